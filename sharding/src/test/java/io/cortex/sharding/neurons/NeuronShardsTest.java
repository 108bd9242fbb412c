package io.cortex.sharding.neurons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cortex.actors.plan.NetworkPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A subnet's neurons fall into at most 16 shards, as many in each give or take one, a subnet of 16 or fewer a
 * neuron a shard; miners and validators each by their own count, and an id the plan does not hold by its hash.
 */
class NeuronShardsTest {

    private static NetworkPlan.SubnetPlan subnet(int netuid, int miners, int validators) {
        List<NetworkPlan.NeuronPlan> neurons = new ArrayList<>();
        for (int i = 0; i < miners; i++) {
            neurons.add(new NetworkPlan.NeuronPlan("s" + netuid + "-miner-" + i, NetworkPlan.Role.MINER, 0.5, 0));
        }
        for (int i = 0; i < validators; i++) {
            neurons.add(new NetworkPlan.NeuronPlan("s" + netuid + "-validator-" + i, NetworkPlan.Role.VALIDATOR, 0, 1_000));
        }
        return new NetworkPlan.SubnetPlan(netuid, "compute", "alice", Map.of(), neurons);
    }

    private static Map<String, Long> perShard(Map<String, String> shards, String netuid) {
        return shards.values().stream().filter(s -> s.startsWith(netuid + "/"))
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    }

    @Test
    void aSubnetsNeuronsFillItsSixteenShardsEvenly() {
        NetworkPlan plan = new NetworkPlan(1, List.of(subnet(1, 251, 4), subnet(2, 8, 3)));

        Map<String, String> miners = NeuronEntities.shards(plan, NetworkPlan.Role.MINER);
        assertEquals(251 + 8, miners.size());
        Map<String, Long> big = perShard(miners, "1");
        assertEquals(NeuronEntities.SHARDS_PER_SUBNET, big.size());
        assertEquals(15, big.values().stream().mapToLong(Long::longValue).min().orElseThrow());
        assertEquals(16, big.values().stream().mapToLong(Long::longValue).max().orElseThrow());
        Map<String, Long> small = perShard(miners, "2");
        assertEquals(8, small.size(), "a miner a shard: " + small);

        Map<String, String> validators = NeuronEntities.shards(plan, NetworkPlan.Role.VALIDATOR);
        assertEquals(4, perShard(validators, "1").size());
        assertEquals(3, perShard(validators, "2").size());
    }

    @Test
    void anIdThePlanDoesNotHoldFallsIntoItsSubnetsShardsByHash() {
        String shard = NeuronEntities.shardOf("7/cxSomeHotkey");
        assertEquals("7/" + Math.floorMod("cxSomeHotkey".hashCode(), NeuronEntities.SHARDS_PER_SUBNET), shard);
        assertEquals("7", NeuronEntities.shardOf("7"), "a subnet actor is its own shard");
    }
}

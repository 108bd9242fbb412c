package io.cortex.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.sharding.neurons.NeuronEntities;
import io.cortex.sharding.node.CortexNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The acceptance run of the network runtime: three nodes, one compute subnet with twelve miners of known,
 * different quality and three validators, until three epochs have paid the miners.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class NetworkRuntimeTest {

    static final String NETWORK = """
            block-time = 100ms
            validator { round-interval = 50ms, query-timeout = 800ms, score-alpha = 0.01 }
            subnets = [{
              mechanism = compute
              owner = alice
              hyperparameters { tempo = 50, commit_reveal = 0 }
              miners { count = 12, quality-low = 0.1, quality-high = 1.0 }
              validators { count = 3, stake-tao = 1000 }
            }]
            """;

    static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(3, NETWORK, "");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeNodesPayThreeEpochsByQuality() throws Exception {
        CortexNode first = cluster.nodes.get(0);
        NetworkPlan plan = first.settings().plan();
        TreeSet<Long> paid = new TreeSet<>();
        Metagraph[] last = new Metagraph[1];
        TestCluster.await(Duration.ofMinutes(3), "three epochs that paid the miners", () -> {
            Metagraph m = metagraph(first);
            if (m != null && m.neurons().stream().anyMatch(n -> isMiner(plan, n) && n.incentive() > 0)
                    && m.neurons().stream().filter(n -> isMiner(plan, n)).count() == 12) {
                paid.add(m.epochIndex());
                last[0] = m;
            }
            return paid.size() >= 3;
        });
        Metagraph m = last[0];

        // miners' incentive is ordered by their true quality
        List<Metagraph.Neuron> miners = new ArrayList<>(m.neurons().stream().filter(n -> isMiner(plan, n)).toList());
        miners.sort(Comparator.comparingDouble(n -> quality(plan, n)));
        StringBuilder table = new StringBuilder();
        for (Metagraph.Neuron n : miners) {
            table.append(String.format("%n  quality %.3f incentive %5d", quality(plan, n), n.incentive()));
        }
        System.out.println("epochs that paid: " + paid + ", last at block " + m.block() + table);
        for (int i = 1; i < miners.size(); i++) {
            assertTrue(miners.get(i).incentive() > miners.get(i - 1).incentive(),
                    "incentive must rise with quality:" + table);
        }
        // validators earned dividends
        for (Metagraph.Neuron n : m.neurons()) {
            if (plan.placement(n.hotkey()) != null && plan.placement(n.hotkey()).neuron().role() == NetworkPlan.Role.VALIDATOR) {
                assertTrue(n.dividends() > 0, "validator uid " + n.uid() + " earned no dividends");
            }
        }
        // queries crossed nodes over UDP, and every node's axon served
        long overUdp = 0;
        for (CortexNode node : cluster.nodes) {
            overUdp += node.transport().dendrite().counters().overUdp.get();
            assertTrue(node.transport().axon().counters().served.get() > 0, node.settings().name() + " served nothing");
        }
        assertTrue(overUdp > 0, "no query crossed nodes over UDP");
        // neurons live on all three nodes, each subnet's miners spread evenly
        for (CortexNode node : cluster.nodes) {
            int minersHere = entities(node, NeuronEntities.MINER);
            int validatorsHere = entities(node, NeuronEntities.VALIDATOR);
            assertTrue(minersHere + validatorsHere > 0, node.settings().name() + " runs no neuron");
            assertEquals(4, minersHere, node.settings().name() + " should run a third of the miners");
        }
        // conservation holds
        LedgerActor.Inspection inspection = first.ledger().inspect(plan.coldkey("alice").address())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), inspection.conservationViolations());
    }

    static Metagraph metagraph(CortexNode node) {
        try {
            return node.ledger().metagraph(1).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    static boolean isMiner(NetworkPlan plan, Metagraph.Neuron n) {
        NetworkPlan.Placement p = plan.placement(n.hotkey());
        return p != null && p.neuron().role() == NetworkPlan.Role.MINER;
    }

    static double quality(NetworkPlan plan, Metagraph.Neuron n) {
        return plan.placement(n.hotkey()).neuron().quality();
    }

    /** How many entities of a type run on a node. */
    static int entities(CortexNode node, EntityTypeKey<?> type) throws Exception {
        return entityIds(node, type).size();
    }

    /** The ids of the entities of a type that run on a node. */
    static Set<String> entityIds(CortexNode node, EntityTypeKey<?> type) throws Exception {
        ShardRegion.CurrentShardRegionState state = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                        ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(node.system()).shardState(),
                        replyTo -> new GetShardRegionState(type, replyTo), Duration.ofSeconds(5), node.system().scheduler())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        Set<String> ids = new TreeSet<>();
        for (ShardRegion.ShardState s : state.getShards()) {
            ids.addAll(s.getEntityIds());
        }
        return ids;
    }
}

package io.cortex.sharding;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.Metagraph;
import io.cortex.sharding.node.CortexNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every built-in subnet in one running network: compute, text-predict, and price-forecast (whose validators
 * hold each answer until its truth arrives, rounds later). On each, miners of quality 0 (for text-predict
 * and price-forecast, exactly the subnet's baseline), 0.5 and 1 are queried over Aeron and paid by Yuma.
 * Validators pay the margin over the baseline, so a quality-0 miner may earn nothing. Summed over the last
 * paid epochs, on compute and text-predict the best earns more incentive than the quality-0 one; on
 * price-forecast, whose best miner beats the baseline by about 10 % of score (its unit test), some miner is
 * paid, which needs the held answers, the miners' and the baseline's, scored.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BuiltInSubnetsTest {

    static final List<String> MECHANISMS = List.of("compute", "text-predict", "price-forecast");

    @Test
    void everyBuiltInSubnetPaysItsMinersAndTheBestOutearnsTheBaseline() {
        StringBuilder network = new StringBuilder("""
                block-time = 100ms
                validator { round-interval = 20ms, query-timeout = 800ms, score-alpha = 0.003 }
                subnets = [
                """);
        for (String m : MECHANISMS) {
            network.append("  { mechanism = ").append(m).append(", owner = alice, hyperparameters { tempo = 30 },"
                    + " miners { count = 3, quality-low = 0.0, quality-high = 1.0 }, validators { count = 1, stake-tao = 1000 } }\n");
        }
        network.append("]\n");
        try (TestCluster cluster = TestCluster.start(1, network.toString(), "")) {
            CortexNode node = cluster.nodes.get(0);
            NetworkPlan plan = node.settings().plan();
            List<Map<Long, Metagraph>> paid = new ArrayList<>();
            MECHANISMS.forEach(m -> paid.add(new TreeMap<>()));
            // validators pay a miner's margin over the baseline: the quality-0 miner may earn nothing
            TestCluster.await(Duration.ofMinutes(3), "four epochs paying miners on every subnet", () -> {
                for (int netuid = 1; netuid <= MECHANISMS.size(); netuid++) {
                    Metagraph m = metagraph(node, netuid);
                    if (m != null && miners(plan, m).size() == 3 && miners(plan, m).stream().anyMatch(n -> n.incentive() > 0)) {
                        paid.get(netuid - 1).put(m.epochIndex(), m);
                    }
                }
                return paid.stream().allMatch(p -> p.size() >= 4);
            });
            StringBuilder table = new StringBuilder();
            boolean ordered = true;
            for (int netuid = 1; netuid <= MECHANISMS.size(); netuid++) {
                List<Metagraph> epochs = new ArrayList<>(paid.get(netuid - 1).values());
                epochs = epochs.subList(epochs.size() - 3, epochs.size());
                List<Metagraph.Neuron> miners = new ArrayList<>(miners(plan, epochs.get(2)));
                miners.sort(Comparator.comparingDouble(n -> plan.placement(n.hotkey()).neuron().quality()));
                long[] incentive = new long[miners.size()];
                for (int i = 0; i < miners.size(); i++) {
                    for (Metagraph e : epochs) {
                        incentive[i] += e.neuron(miners.get(i).hotkey()).incentive();
                    }
                }
                table.append(String.format("%n  %-15s incentive by quality 0 / 0.5 / 1: %d / %d / %d", MECHANISMS.get(netuid - 1),
                        incentive[0], incentive[1], incentive[2]));
                if (!MECHANISMS.get(netuid - 1).equals("price-forecast")) {
                    ordered &= incentive[2] > incentive[0];
                }
            }
            System.out.println("built-in subnets, summed over three paid epochs:" + table);
            assertTrue(ordered, "on compute and text-predict the best miner outearns the quality-0 one:" + table);
        }
    }

    private static List<Metagraph.Neuron> miners(NetworkPlan plan, Metagraph m) {
        return m.neurons().stream().filter(n -> NetworkRuntimeTest.isMiner(plan, n)).toList();
    }

    private static Metagraph metagraph(CortexNode node, int netuid) {
        try {
            return node.ledger().metagraph(netuid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }
}

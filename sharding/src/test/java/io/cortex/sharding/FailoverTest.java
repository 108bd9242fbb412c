package io.cortex.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.Metagraph;
import io.cortex.core.identity.Address;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerViews;
import io.cortex.sharding.ledger.JdbcEpochArchiveTest;
import io.cortex.sharding.neurons.NeuronEntities;
import io.cortex.sharding.node.CortexNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The oldest node is lost abruptly — the one that holds the ledger singleton and the shard coordinators: the
 * ledger recovers on a survivor with its chain, the lost node's neurons start again on the two survivors (the
 * new coordinators allocate with two of the three nodes left), their miners serve the survivors' axons, and
 * later epochs pay again each of them that earned before; and an epoch from before the crash, older than
 * the new ledger's last snapshot (one every 10 blocks here), is still served whole, from the epoch archive.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FailoverTest {

    static final String NETWORK = NetworkRuntimeTest.NETWORK.replace("tempo = 50", "tempo = 30");

    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void neuronsOfALostNodeServeAgainOnTheSurvivorsAndGetPaid() throws Exception {
        cluster = TestCluster.start(3, NETWORK, """
                pekko.coordinated-shutdown.run-by-actor-system-terminate = off
                cortex.ledger.snapshot-every = 10
                """);
        NetworkPlan plan = cluster.nodes.get(0).settings().plan();
        Metagraph[] settled = new Metagraph[1];
        TestCluster.await(Duration.ofMinutes(2), "an epoch that pays three quarters of the miners", () -> {
            // validators pay the margin over the baseline, so the weakest miners may earn nothing
            Metagraph m = NetworkRuntimeTest.metagraph(cluster.nodes.get(0));
            if (m != null && m.neurons().stream().filter(n -> NetworkRuntimeTest.isMiner(plan, n) && n.incentive() > 0).count() >= 9) {
                settled[0] = m;
                return true;
            }
            return false;
        });

        LedgerViews.EpochView first = epoch(cluster.nodes.get(0), 1, 1);

        CortexNode victim = oldest(cluster.nodes);
        Set<Address> moved = minersOn(victim);
        assertFalse(moved.isEmpty(), "the victim runs no miner");
        Set<Address> earners = new HashSet<>();
        moved.stream().filter(h -> settled[0].neuron(h).incentive() > 0).forEach(earners::add);
        assertFalse(earners.isEmpty(), "none of the victim's miners earns");
        List<CortexNode> survivors = cluster.nodes.stream().filter(n -> n != victim).toList();
        String lostAxon = victim.transport().axonChannel();
        long heightAtCrash = inspect(survivors.get(0)).height();
        cluster.crash(victim);

        Set<String> survivorAxons = new HashSet<>();
        survivors.forEach(n -> survivorAxons.add(n.transport().axonChannel()));
        long[] servedAgainAt = {-1};
        TestCluster.await(Duration.ofMinutes(2), "the lost miners serving the survivors' axons", () -> {
            Metagraph m = NetworkRuntimeTest.metagraph(survivors.get(0));
            if (m == null || !moved.stream().allMatch(h -> m.neuron(h) != null && survivorAxons.contains(m.neuron(h).axon()))) {
                return false;
            }
            servedAgainAt[0] = m.epochIndex();
            return true;
        });
        // each moved miner that earned before the crash earns again in a later epoch (not all in the same one:
        // a miner near the baseline may miss an epoch)
        Set<Address> paidAgain = new HashSet<>();
        Metagraph[] paid = new Metagraph[1];
        TestCluster.await(Duration.ofMinutes(2), "later epochs that pay the moved miners " + earners, () -> {
            Metagraph m = NetworkRuntimeTest.metagraph(survivors.get(0));
            if (m != null && m.epochIndex() > servedAgainAt[0] + 1) {
                earners.stream().filter(h -> m.neuron(h).incentive() > 0).forEach(paidAgain::add);
                paid[0] = m;
            }
            return paidAgain.containsAll(earners);
        });

        int running = 0;
        for (CortexNode n : survivors) {
            Set<Address> here = minersOn(n);
            running += here.size();
            assertTrue(here.size() >= 5, n.settings().name() + " runs only " + here.size() + " of 12 miners");
        }
        assertEquals(12, running, "every miner runs exactly once");
        for (Address h : moved) {
            assertFalse(paid[0].neuron(h).axon().equals(lostAxon));
        }
        LedgerActor.Inspection after = inspect(survivors.get(0));
        assertTrue(after.height() > heightAtCrash, "the ledger kept its chain: height " + after.height()
                + " after " + heightAtCrash);
        assertEquals(List.of(), after.conservationViolations());

        // the new ledger re-applied only the blocks after its latest snapshot (at most 10 before the crash):
        // epoch 1 came from before that, so only the archive can serve it
        assertTrue(first.block() < heightAtCrash - 10, "epoch 1 at block " + first.block() + ", the crash at " + heightAtCrash);
        JdbcEpochArchiveTest.assertSameView(first, epoch(survivors.get(0), 1, 1));
    }

    static LedgerViews.EpochView epoch(CortexNode node, int netuid, long epochIndex) throws Exception {
        LedgerViews.SubnetAnswer answer = node.ledger().<LedgerViews.SubnetAnswer>ask(r -> new LedgerActor.GetEpoch(netuid, epochIndex, r))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(answer instanceof LedgerViews.EpochView, "epoch " + epochIndex + " of subnet " + netuid + ": " + answer);
        return (LedgerViews.EpochView) answer;
    }

    /** The node that joined first by the cluster's age ordering: the ledger singleton's and the coordinators' host. */
    static CortexNode oldest(List<CortexNode> nodes) {
        CortexNode oldest = nodes.get(0);
        for (CortexNode n : nodes) {
            Member m = Cluster.get(n.system()).selfMember();
            if (m.isOlderThan(Cluster.get(oldest.system()).selfMember())) {
                oldest = n;
            }
        }
        return oldest;
    }

    static Set<Address> minersOn(CortexNode node) throws Exception {
        Set<Address> hotkeys = new HashSet<>();
        for (String id : NetworkRuntimeTest.entityIds(node, io.cortex.actors.neuron.MinerActor.TYPE_KEY)) {
            hotkeys.add(Address.parse(id.substring(id.indexOf('/') + 1)));
        }
        return hotkeys;
    }

    static LedgerActor.Inspection inspect(CortexNode node) throws Exception {
        return node.ledger().inspect(node.settings().plan().coldkey("alice").address())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

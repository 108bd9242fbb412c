package io.cortex.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import io.cortex.sharding.ledger.Genesis;
import io.cortex.sharding.node.CortexNode;
import io.cortex.sharding.node.NodeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A node starts from its chain spec: outside dev mode with the spec's balances, refusing dev keys and hosting
 * no neuron; and a node started from another spec is refused by the cluster, saying why.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ChainSpecNodeTest {
    private static final Keypair OPERATOR = Keypair.fromSeed(seed(1));
    private static final Keypair MINER = Keypair.fromSeed(seed(2));
    private static final String NO_HOSTED_NEURONS = "subnets = [], block-time = 50ms";

    private static ChainSpec openSpec(String networkId) {
        return new ChainSpec(networkId, LedgerConfig.openNetwork(OPERATOR.address())
                .withBalances(Map.of(OPERATOR.address(), Rao.tao(5_000), MINER.address(), Rao.tao(20))), List.of());
    }

    private static String chainFile(Path file) {
        return "cortex.chain.file = \"" + file.toString().replace('\\', '/') + "\"\ncortex.ledger.store = memory\n";
    }

    @Test
    void aNodeOutsideDevModeStartsWithTheSpecsBalancesRefusesDevKeysAndHostsNoNeuron(@TempDir Path dir) throws Exception {
        ChainSpec spec = openSpec("cortex-open");
        Path file = dir.resolve("chain.json");
        spec.write(file);

        try (TestCluster cluster = TestCluster.start(1, NO_HOSTED_NEURONS, chainFile(file))) {
            CortexNode node = cluster.nodes.get(0);
            assertEquals(spec, node.settings().chain());
            assertEquals(List.of(), node.settings().plan().subnets(), "no hosted neurons, no derived keys");

            assertEquals(Rao.tao(5_000), inspect(node, OPERATOR.address()).balance());
            assertEquals(Rao.tao(20), inspect(node, MINER.address()).balance());
            assertEquals(0, inspect(node, DevKeys.coldkey("alice").address()).balance(), "no dev account is funded");

            Transaction pay = new Transaction.Transfer(MINER.address(), Rao.tao(1));
            Receipt byAlice = submit(node, SignedTransaction.sign(DevKeys.coldkey("alice"), 0, pay));
            assertEquals(RejectReason.DEV_KEY_REFUSED, ((Receipt.Rejected) byAlice).reason(), byAlice.toString());
            Receipt byOperator = submit(node, SignedTransaction.sign(OPERATOR, 0, pay));
            assertTrue(byOperator.accepted(), byOperator.toString());
            assertEquals(Rao.tao(21), inspect(node, MINER.address()).balance());
        }
    }

    @Test
    void hostedNeuronsNeedADevSpecWhoseGenesisCreatesTheirSubnets(@TempDir Path dir) throws Exception {
        Path open = dir.resolve("open.json");
        openSpec("cortex-open").write(open);
        ConfigException.BadValue outsideDev = assertThrows(ConfigException.BadValue.class, () -> settings(open, ""));
        assertTrue(outsideDev.getMessage().contains("hosted neurons need a dev chain spec"), outsideDev.getMessage());

        Path bare = dir.resolve("dev.json");
        ChainSpec.devnet("cortex-dev").write(bare);
        ConfigException.BadValue noSubnets = assertThrows(ConfigException.BadValue.class, () -> settings(bare, ""));
        assertTrue(noSubnets.getMessage().contains("are not the genesis subnets"), noSubnets.getMessage());
        assertEquals(List.of(), settings(bare, "cortex.network.subnets = []").plan().subnets());

        NodeSettings derived = NodeSettings.from(CortexNode.configuration(ConfigFactory.empty()));
        Path planned = dir.resolve("planned.json");
        derived.chain().write(planned);
        NodeSettings fromFile = settings(planned, "");
        assertEquals(derived.chain(), fromFile.chain(), "the plan's dev spec, written and read back");
        assertEquals(Genesis.devSpec(fromFile.plan()), fromFile.chain());
        assertEquals(1, fromFile.chain().subnets().size());

        Path unfunded = dir.resolve("unfunded.json");
        new ChainSpec("cortex-dev", LedgerConfig.devnet(), derived.chain().subnets()).write(unfunded);
        ConfigException.BadValue broke = assertThrows(ConfigException.BadValue.class, () -> settings(unfunded, ""));
        assertTrue(broke.getMessage().contains("does not fund the network plan's key"), broke.getMessage());

        Path strangers = dir.resolve("strangers.json");
        ChainSpec.devnet("cortex-dev").withSubnets(List.of(new ChainSpec.GenesisSubnet(OPERATOR.address(),
                MINER.address(), Map.of()))).write(strangers);
        ConfigException.BadValue unsigned = assertThrows(ConfigException.BadValue.class,
                () -> settings(strangers, "cortex.network.subnets = []"));
        assertTrue(unsigned.getMessage().contains("no node can sign its creation"), unsigned.getMessage());
    }

    @Test
    void aNodeStartedFromAnotherSpecIsRefusedByTheClusterAndSaysWhy(@TempDir Path dir) throws Exception {
        Path ours = dir.resolve("ours.json");
        Path theirs = dir.resolve("theirs.json");
        openSpec("cortex-ours").write(ours);
        openSpec("cortex-theirs").write(theirs);
        String ourHash = ChainSpec.read(ours).hashHex();
        String theirHash = ChainSpec.read(theirs).hashHex();
        Logs logs = Logs.capture();
        try (TestCluster cluster = TestCluster.start(1, NO_HOSTED_NEURONS, chainFile(ours))) {
            CortexNode member = cluster.nodes.get(0);
            int seedPort = Cluster.get(member.system()).selfMember().address().getPort().orElseThrow();
            CortexNode stranger = CortexNode.start(CortexNode.configuration(ConfigFactory.parseString("""
                    cortex.node.name = "stranger"
                    cortex.network { %s }
                    pekko.remote.artery.canonical.port = %d
                    pekko.cluster.seed-nodes = ["pekko://cortex@127.0.0.1:%d"]
                    pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                    cortex.node.grpc.port = 0
                    %s
                    """.formatted(NO_HOSTED_NEURONS, TestCluster.freeTcpPort(), seedPort, chainFile(theirs)))));
            try {
                stranger.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);

                assertTrue(CortexNode.refused(stranger.system()), "the stranger stopped for its configuration");
                assertEquals(1, TestCluster.upCount(member), "the cluster is still the member alone");
                Cluster.get(member.system()).state().getMembers().forEach(m -> assertTrue(
                        m.address().equals(Cluster.get(member.system()).selfMember().address())
                                || m.status() != MemberStatus.up(), "the stranger became a member: " + m));
                TestCluster.await(Duration.ofSeconds(10), "the member's refusal in the log", () -> logs.any(
                        "chain spec hash " + theirHash.substring(0, 16) + "… (network cortex-theirs) differs from the "
                                + "cluster's " + ourHash.substring(0, 16) + "… (network cortex-ours)"));
                assertTrue(logs.any("the cluster refused this node for an incompatible configuration: this node runs "
                        + "chain spec " + theirHash + " (network cortex-theirs"), logs.toString());
            } finally {
                stranger.stop(Duration.ofSeconds(20));
            }
        } finally {
            logs.close();
        }
    }

    private static NodeSettings settings(Path chain, String extra) {
        return NodeSettings.from(CortexNode.configuration(ConfigFactory.parseString(extra + "\n"
                + "cortex.chain.file = \"" + chain.toString().replace('\\', '/') + "\"")));
    }

    private static LedgerActor.Inspection inspect(CortexNode node, Address account) throws Exception {
        return node.ledger().inspect(account).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Receipt submit(CortexNode node, SignedTransaction tx) throws Exception {
        return node.ledger().submit(tx).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static byte[] seed(int b) {
        byte[] seed = new byte[32];
        java.util.Arrays.fill(seed, (byte) b);
        return seed;
    }

    /** Every log line from now on, of every logger, until closed. */
    private static final class Logs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final List<String> lines = new CopyOnWriteArrayList<>();

        static Logs capture() {
            Logs logs = new Logs();
            logs.setContext(((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).getLoggerContext());
            logs.start();
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
            return logs;
        }

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }

        boolean any(String fragment) {
            return lines.stream().anyMatch(l -> l.contains(fragment));
        }

        @Override
        public void close() {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this);
            stop();
        }

        @Override
        public String toString() {
            return String.join("\n", lines);
        }
    }
}

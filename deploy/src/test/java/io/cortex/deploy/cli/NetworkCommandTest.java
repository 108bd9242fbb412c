package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import io.cortex.deploy.testnet.CliRun;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.fixed.Rao;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import io.cortex.sharding.node.CortexNode;
import io.cortex.sharding.node.NodeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cortex network init} as a user runs it, and {@code cortex node --chain} reading what it wrote. */
class NetworkCommandTest {
    private static final Address OPERATOR = Keypair.fromSeed(new byte[32]).address();
    private static final Address MINER = Keypair.generate().address();
    private static final String ALICE = DevKeys.coldkey("alice").address().toString();

    @TempDir
    Path dir;

    @Test
    void initDevWritesTheDevNetworkATestnetRuns() throws Exception {
        Path file = dir.resolve("chain.json");

        CliRun run = CliRun.of("network", "init", "--out", file.toString(), "--dev");

        assertEquals(0, run.exit(), run.err());
        ChainSpec spec = ChainSpec.read(file);
        assertTrue(spec.ledger().devMode());
        assertEquals("cortex-dev", spec.networkId());
        assertEquals(LedgerConfig.devnet().balances(), spec.ledger().balances(), "alice ... ferdie, 1 000 000 TAO each");
        assertEquals(DevKeys.coldkey("alice").address(), spec.ledger().rootKey());
        assertEquals(20, spec.ledger().subnetDefaults().tempo());
        assertTrue(run.out().contains("chain spec hash " + spec.hashHex()), run.out());
    }

    @Test
    void initWithoutDevFundsOnlyTheGivenAccountsUnderTheGivenRootKey() throws Exception {
        Path file = dir.resolve("chain.json");

        CliRun run = CliRun.of("network", "init", "--out", file.toString(), "--network-id", "cortex-open",
                "--sudo", OPERATOR.toString(), "--balance", OPERATOR + "=5000", "--balance", MINER + "=0.5");

        assertEquals(0, run.exit(), run.err());
        ChainSpec spec = ChainSpec.read(file);
        assertFalse(spec.ledger().devMode());
        assertEquals("cortex-open", spec.networkId());
        assertEquals(Map.of(OPERATOR, Rao.tao(5_000), MINER, Rao.parse("0.5")), spec.ledger().balances());
        assertEquals(OPERATOR, spec.ledger().rootKey());
        assertEquals(OPERATOR, spec.ledger().author());
        assertEquals(360, spec.ledger().subnetDefaults().tempo(), "subtensor's clocks");
        assertEquals(java.util.List.of(), spec.subnets());
        assertTrue(run.out().contains("not dev mode (the ledger refuses dev keys)"), run.out());

        Path again = dir.resolve("again.json");
        CliRun.of("network", "init", "--out", again.toString(), "--network-id", "cortex-open",
                "--sudo", OPERATOR.toString(), "--balance", MINER + "=0.5", "--balance", OPERATOR + "=5000");
        assertEquals(spec.hashHex(), ChainSpec.read(again).hashHex(), "the same network, the same hash");
    }

    @Test
    void initWithoutDevRefusesDevKeysAndNeedsARootKey() {
        Path file = dir.resolve("chain.json");

        CliRun noSudo = CliRun.of("network", "init", "--out", file.toString());
        assertEquals(2, noSudo.exit());
        assertTrue(noSudo.err().contains("--sudo ADDRESS is required without --dev"), noSudo.err());

        CliRun aliceAsRoot = CliRun.of("network", "init", "--out", file.toString(), "--sudo", ALICE);
        assertEquals(2, aliceAsRoot.exit());
        assertTrue(aliceAsRoot.err().contains("alice's dev key") && aliceAsRoot.err().contains("--dev makes a dev network"),
                aliceAsRoot.err());

        CliRun aliceFunded = CliRun.of("network", "init", "--out", file.toString(), "--sudo", OPERATOR.toString(),
                "--balance", ALICE + "=10");
        assertEquals(2, aliceFunded.exit());
        assertTrue(aliceFunded.err().contains("alice's dev key"), aliceFunded.err());
        assertFalse(Files.exists(file), "nothing written");
    }

    @Test
    void badInputIsAUsageErrorAndAnExistingFileIsKept() throws Exception {
        Path file = dir.resolve("chain.json");
        Files.writeString(file, "precious");

        CliRun exists = CliRun.of("network", "init", "--out", file.toString(), "--dev");
        assertEquals(2, exists.exit());
        assertTrue(exists.err().contains("--force"), exists.err());
        assertEquals("precious", Files.readString(file));

        Path other = dir.resolve("other.json");
        for (String[] bad : new String[][] {
                {"--balance", OPERATOR.toString()},
                {"--balance", OPERATOR + "=lots"},
                {"--balance", "cxnotanaddress=1"},
                {"--balance", OPERATOR + "=1", "--balance", OPERATOR + "=2"},
                {"--network-id", "my network"}}) {
            String[] args = new String[4 + bad.length];
            System.arraycopy(new String[] {"network", "init", "--out", other.toString()}, 0, args, 0, 4);
            System.arraycopy(bad, 0, args, 4, bad.length);
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exit(), String.join(" ", bad) + ": " + run.err());
            assertFalse(Files.exists(other));
        }

        assertEquals(0, CliRun.of("network", "init", "--out", file.toString(), "--dev", "--force").exit());
        assertTrue(ChainSpec.read(file).ledger().devMode());
    }

    @Test
    void helpSaysWhatEachModeDoes() {
        CliRun help = CliRun.of("network", "init", "--help");

        assertEquals(0, help.exit());
        for (String expected : new String[] {"--out", "--dev", "--network-id", "--balance", "ADDRESS=TAO", "--sudo",
                "refuses the", "dev keys", "rao", "--chain FILE"}) {
            assertTrue(help.out().contains(expected), "help lacks '" + expected + "':\n" + help.out());
        }
        assertTrue(CliRun.of("help").out().contains("network"), "cortex help lists network");
    }

    @Test
    void aNodeGivenAChainSpecStartsFromItAndHostsNoNeuronUnlessItsConfigurationNamesThem() throws Exception {
        Path open = dir.resolve("open.json");
        assertEquals(0, CliRun.of("network", "init", "--out", open.toString(), "--sudo", OPERATOR.toString(),
                "--balance", OPERATOR + "=10").exit());

        NodeSettings settings = NodeSettings.from(nodeSettings("--chain", open.toString()));
        assertEquals(ChainSpec.read(open), settings.chain());
        assertEquals(java.util.List.of(), settings.plan().subnets());

        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, "cortex.network.subnets = [{ mechanism = compute, owner = alice,"
                + " miners { count = 2, quality-low = 0, quality-high = 1 }, validators { count = 1, stake-tao = 10 } }]");
        ConfigException.BadValue hosted = assertThrows(ConfigException.BadValue.class,
                () -> NodeSettings.from(nodeSettings("--chain", open.toString(), "--config", conf.toString())));
        assertTrue(hosted.getMessage().contains("hosted neurons need a dev chain spec"), hosted.getMessage());

        CliRun missing = CliRun.of("node", "--chain", dir.resolve("absent.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("no chain spec file"), missing.err());

        Files.writeString(dir.resolve("broken.json"), "{ \"format\" : \"cortex-chain-spec/2\" }");
        CliRun broken = CliRun.of("node", "--chain", dir.resolve("broken.json").toString());
        assertEquals(2, broken.exit());
        assertTrue(broken.err().contains("cortex.chain.file") && broken.err().contains("networkId: missing"), broken.err());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aNodeStartedFromAnotherSpecIsRefusedByTheClusterAndExitsWithCode1() throws Exception {
        Path ours = dir.resolve("ours.json");
        Path theirs = dir.resolve("theirs.json");
        assertEquals(0, CliRun.of("network", "init", "--out", ours.toString(), "--network-id", "ours", "--sudo",
                OPERATOR.toString()).exit());
        assertEquals(0, CliRun.of("network", "init", "--out", theirs.toString(), "--network-id", "theirs", "--sudo",
                OPERATOR.toString()).exit());
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, """
                cortex.ledger.store = memory
                cortex.node.grpc.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                """);
        int seedPort = NodeCommandTest.freeTcpPort();
        NodeCommand seedNode = new NodeCommand();
        new CommandLine(seedNode).parseArgs("--config", conf.toString(), "--chain", ours.toString(), "--name", "member",
                "--port", Integer.toString(seedPort), "--seed-node", "127.0.0.1:" + seedPort);
        CortexNode member = CortexNode.start(seedNode.settings());
        try {
            CliRun stranger = CliRun.of("node", "--config", conf.toString(), "--chain", theirs.toString(), "--name", "stranger",
                    "--port", Integer.toString(NodeCommandTest.freeTcpPort()), "--seed-node", "127.0.0.1:" + seedPort);

            assertEquals(1, stranger.exit(), stranger.err());
            assertTrue(stranger.err().contains("node stranger stopped: the cluster refused it")
                    && stranger.err().contains(ChainSpec.read(theirs).hashHex()), stranger.err());
            assertEquals(1, java.util.stream.StreamSupport.stream(
                    Cluster.get(member.system()).state().getMembers().spliterator(), false).count(), "the member is alone");
        } finally {
            member.stop(Duration.ofSeconds(20));
        }
    }

    private static com.typesafe.config.Config nodeSettings(String... args) {
        NodeCommand command = new NodeCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }
}

package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.testnet.CliRun;
import io.cortex.deploy.testnet.Testnet;
import io.cortex.deploy.testnet.TestnetState;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's manners: a testnet started with {@code --data DIR} is the one later commands talk to,
 * {@code --debug} shows a failure's whole cause, and a node's heap and collector are checked before anything
 * starts.
 */
class CommandLineLivabilityTest {
    @TempDir
    Path home;

    @BeforeEach
    void useHome() {
        System.setProperty("cortex.home", home.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("cortex.home");
    }

    @Test
    void commandsFindATestnetStartedWithItsOwnDataDirectory() throws Exception {
        int port = closedPort();
        Path elsewhere = home.resolve("elsewhere");
        TestnetState state = new TestnetState(elsewhere, -1, List.of(new TestnetState.Node("n1", ProcessHandle.current().pid(),
                1, "127.0.0.1:" + port, elsewhere.resolve("n1.log"), "")), List.of());
        state.write();
        assertEquals(home.resolve("testnet"), Home.testnet(), "before: the default directory");

        Home.useTestnet(elsewhere); // what testnet up --data does once its nodes are up
        assertEquals(elsewhere.toAbsolutePath().normalize(), Home.testnet());
        CliRun status = CliRun.of("status");
        assertEquals(1, status.exit(), status.err());
        assertTrue(status.err().contains("127.0.0.1:" + port), "status talks to that testnet's node: " + status.err());
        CliRun testnet = CliRun.of("testnet", "status");
        assertTrue(testnet.out().contains("n1"), "testnet status shows it: " + testnet.out());

        TestnetState.delete(elsewhere); // testnet down removes its file
        assertEquals(home.resolve("testnet"), Home.testnet(), "a stopped testnet is no longer looked for");
    }

    @Test
    void debugShowsTheWholeCauseWhereTheDefaultIsOneLine() throws Exception {
        int port = closedPort();
        CliRun plain = CliRun.of("status", "--node", "127.0.0.1:" + port);
        assertEquals(1, plain.exit());
        assertEquals(1, plain.err().strip().lines().count(), plain.err());
        assertTrue(plain.err().contains("cannot reach a Cortex node at 127.0.0.1:" + port), plain.err());

        CliRun debug = CliRun.of("status", "--node", "127.0.0.1:" + port, "--debug");
        assertEquals(1, debug.exit());
        assertTrue(debug.err().lines().anyMatch(l -> l.startsWith("\tat io.cortex.")), "stack frames:\n" + debug.err());
        assertTrue(debug.err().contains("cannot reach a Cortex node"), debug.err());
    }

    @Test
    void theTestnetRunsTheCommandLinesOwnProgram() {
        var up = io.cortex.deploy.CortexCli.commandLine().getSubcommands().get("testnet").getSubcommands().get("up");
        assertEquals(io.cortex.deploy.CortexCli.class.getName(), TestnetCommand.program(up.getCommandSpec()));
        // a command line rooted elsewhere, in a class the JVM cannot start: said before any process starts
        var elsewhere = new picocli.CommandLine(new TestnetCommand()).getSubcommands().get("up");
        io.cortex.deploy.support.CliFailure f = assertThrows(io.cortex.deploy.support.CliFailure.class,
                () -> TestnetCommand.program(elsewhere.getCommandSpec()));
        assertTrue(f.getMessage().contains(TestnetCommand.class.getName() + " has no main method"), f.getMessage());
    }

    @Test
    void aNodesHeapAndCollectorAreCheckedBeforeAnythingStarts() {
        assertEquals(List.of("-Xmx2g", "-XX:+UseG1GC"), new Testnet.NodeJvm("2g", "g1", io.cortex.deploy.CortexCli.class.getName()).options());
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class, () -> new Testnet.NodeJvm("lots", "g1", io.cortex.deploy.CortexCli.class.getName()));
        assertTrue(heap.getMessage().contains("--node-heap"), heap.getMessage());
        CliRun gc = CliRun.of("testnet", "up", "--data", home.resolve("t").toString(), "--node-gc", "cms");
        assertEquals(2, gc.exit(), gc.err());
        assertTrue(gc.err().contains("--node-gc: 'cms' is none of serial, parallel, g1, z"), gc.err());
    }

    /** A loopback port nobody listens on: one the system just handed out and that was closed again. */
    private static int closedPort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

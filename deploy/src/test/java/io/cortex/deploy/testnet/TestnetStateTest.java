package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code testnet down} stops only the processes the testnet started: a pid the system has since given to
 * another program is left alone. A real process plays the other program.
 */
class TestnetStateTest {
    @TempDir
    Path dir;

    @Test
    void downKillsAPidOnlyWhileItIsStillTheProcessTheTestnetStarted() throws Exception {
        Process other = new ProcessBuilder("sleep", "120").start();
        try {
            long started = TestnetState.startedMillis(other.pid());
            assertTrue(started > 0, "the system tells when a process started");
            TestnetState.Node reused = new TestnetState.Node("n1", other.pid(), 1, "127.0.0.1:1", dir.resolve("n1.log"),
                    started - 5_000);
            TestnetState.Node unrecorded = new TestnetState.Node("n1", other.pid(), 1, "127.0.0.1:1", dir.resolve("n1.log"), -1);
            assertFalse(reused.alive(), "a pid started at another time is not the node");
            assertFalse(unrecorded.alive(), "without a recorded start, only a Cortex JVM's command line is the node's");

            TestnetState state = new TestnetState(dir, -1, List.of(reused), List.of());
            state.write();
            assertEquals(0, Testnet.stop(state, Duration.ofSeconds(5)));
            assertTrue(other.isAlive(), "down left the other program alone");
            assertTrue(TestnetState.read(dir).isEmpty(), "and forgot the testnet");

            TestnetState.Node node = new TestnetState.Node("n1", other.pid(), 1, "127.0.0.1:1", dir.resolve("n1.log"), started);
            assertTrue(node.alive());
            TestnetState ours = new TestnetState(dir, -1, List.of(node), List.of());
            ours.write();
            assertEquals(started, TestnetState.read(dir).orElseThrow().nodes().get(0).started(), "the start is kept in the file");
            assertEquals(1, Testnet.stop(ours, Duration.ofSeconds(5)));
            assertTrue(other.waitFor(10, TimeUnit.SECONDS), "down stopped the process it started");
        } finally {
            other.destroyForcibly();
        }
    }
}

package io.cortex.ledger.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same seed gives the same final state hash: twice in this JVM, and in a separate JVM. */
class DeterminismTest {
    private static final LedgerSimulation.Settings SETTINGS = new LedgerSimulation.Settings(160, 3, 20, 42);

    @Test
    void sameSeedSameStateHashInOneJvm() {
        String first = new LedgerSimulation(SETTINGS).run(epoch -> { }).stateHash();
        String second = new LedgerSimulation(SETTINGS).run(epoch -> { }).stateHash();
        assertEquals(first, second);

        String otherSeed = new LedgerSimulation(new LedgerSimulation.Settings(160, 3, 20, 43)).run(epoch -> { }).stateHash();
        assertNotEquals(first, otherSeed);
    }

    @Test
    void sameSeedSameStateHashInAnotherJvm() throws IOException, InterruptedException {
        String here = new LedgerSimulation(SETTINGS).run(epoch -> { }).stateHash();

        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LedgerSimulation.class.getName(), "160", "3", "20", "42")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the other JVM finished");

        assertEquals(0, p.exitValue(), out);
        assertEquals("state-hash " + here, out.lines().reduce((a, b) -> b).orElse(""));
    }
}

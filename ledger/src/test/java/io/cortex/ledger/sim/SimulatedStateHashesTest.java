package io.cortex.ledger.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.audit.Canonical;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ledger's behaviour, pinned: {@code cortex ledger simulate} at fixed seeds must reach the state hashes
 * recorded in {@code golden/state-hashes.txt}, every 25 blocks and at the end. A refactoring of the ledger
 * (issue 19) must leave every one of them as it is; a change meant to alter the economics rewrites the file
 * on purpose, with {@code -Dcortex.golden.write=ledger/src/test/resources/golden/state-hashes.txt}, and says
 * so in its commit.
 */
class SimulatedStateHashesTest {
    /** Runs that between them create subnets, register, stake, commit, reveal and set weights, and prune. */
    static final List<LedgerSimulation.Settings> RUNS = List.of(
            new LedgerSimulation.Settings(400, 3, 12, 1),
            new LedgerSimulation.Settings(300, 2, 40, 7),
            new LedgerSimulation.Settings(250, 5, 6, 42));

    @Test
    void fixedSeedsReachTheRecordedStateHashes() throws IOException {
        List<String> now = new ArrayList<>();
        for (LedgerSimulation.Settings s : RUNS) {
            LedgerSimulation sim = new LedgerSimulation(s);
            sim.prepare();
            while (sim.state().height() < s.blocks()) {
                sim.step();
                long h = sim.state().height();
                if (h % 25 == 0 || h == s.blocks()) {
                    now.add(s.blocks() + " " + s.subnets() + " " + s.neurons() + " " + s.seed() + " block " + h + " "
                            + Canonical.hex(sim.state().stateHash()));
                }
            }
        }
        String write = System.getProperty("cortex.golden.write");
        if (write != null) {
            Files.write(Path.of(write), now, StandardCharsets.UTF_8);
            return;
        }
        List<String> golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/state-hashes.txt")) {
            assertTrue(in != null, "no golden/state-hashes.txt");
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
        assertEquals(golden.size(), now.size(), "hashes recorded");
        for (int i = 0; i < golden.size(); i++) {
            assertEquals(golden.get(i), now.get(i), "blocks subnets neurons seed, then the block and its state hash");
        }
    }
}

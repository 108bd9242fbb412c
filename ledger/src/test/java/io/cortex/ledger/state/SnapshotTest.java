package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.sim.LedgerSimulation;
import org.junit.jupiter.api.Test;

/**
 * A snapshot is a state of its own: the ledger actor makes each block on one and adopts it once the block is
 * persisted, so a block applied to a snapshot must give the state the original would have reached, and the
 * snapshot it came from must not change.
 */
class SnapshotTest {
    @Test
    void blocksAppliedToSnapshotsReachTheSameStatesAndLeaveTheirSourcesAlone() {
        LedgerSimulation simulation = new LedgerSimulation(new LedgerSimulation.Settings(Long.MAX_VALUE, 3, 48, 5));
        simulation.prepare();
        LedgerState shadow = simulation.state().snapshot();
        long epochs = 0;
        for (int i = 0; i < 120; i++) {
            String before = shadow.stateHashHex();
            Block block = simulation.stepBlock();
            LedgerState next = shadow.snapshot();
            epochs += next.apply(block).epochs().size();
            assertEquals(before, shadow.stateHashHex(), "the snapshot's source changed at block " + block.height());
            assertEquals(simulation.state().stateHashHex(), next.stateHashHex(), "diverged at block " + block.height());
            shadow = next;
        }
        assertTrue(epochs > 3, "epochs ran on the snapshots: " + epochs);
    }
}

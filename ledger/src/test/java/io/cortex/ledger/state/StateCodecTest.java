package io.cortex.ledger.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cortex.ledger.emission.EmissionPolicy;
import io.cortex.ledger.sim.LedgerSimulation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A snapshot reads back to the same state: the same hash, and the same hashes after every further block. */
class StateCodecTest {

    @Test
    void aSnapshotReadsBackToTheSameStateThatGoesOnTheSameWay() {
        LedgerSimulation sim = new LedgerSimulation(new LedgerSimulation.Settings(400, 3, 24, 5));
        sim.prepare();
        for (int b = 0; b < 120; b++) {
            sim.step();
        }
        LedgerState original = sim.state();
        LedgerState restored = StateCodec.decode(StateCodec.encode(original), original.config());
        assertEquals(original.stateHashHex(), restored.stateHashHex());
        assertArrayEquals(original.lastBlockHash(), restored.lastBlockHash());
        assertArrayEquals(StateCodec.encode(original), StateCodec.encode(restored));

        // the simulation goes on on its own state; the restored copy replays the same blocks
        for (int b = 0; b < 120; b++) {
            Block block = sim.stepBlock();
            restored.apply(block);
            assertEquals(sim.state().stateHashHex(), restored.stateHashHex(), "after block " + block.height());
        }
    }

    @Test
    void aDamagedOrForeignSnapshotIsRefused() {
        LedgerSimulation sim = new LedgerSimulation(new LedgerSimulation.Settings(60, 1, 8, 2));
        sim.run(e -> { });
        byte[] bytes = StateCodec.encode(sim.state());
        LedgerConfig config = sim.state().config();
        assertThrows(IllegalArgumentException.class, () -> StateCodec.decode(Arrays.copyOf(bytes, bytes.length / 2), config));
        assertThrows(IllegalArgumentException.class, () -> StateCodec.decode(new byte[] {1, 2, 3}, config));
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> StateCodec.decode(bytes, config.withEmissionPolicy(EmissionPolicy.named("equal"))));
        assertEquals(true, foreign.getMessage().contains("another ledger configuration"));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> StateCodec.decode(longer, config));
    }
}

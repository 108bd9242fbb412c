package io.cortex.ledger.yuma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.fixed.Chunks;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large epochs split their passes over the cores; the output must be bit-identical to running every pass
 * in one thread, for both bond branches and when weights are masked (the compacting path).
 */
class ParallelEpochTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void parallelAndSequentialEpochsAreIdentical(long seed) {
        Random r = new Random(seed);
        EpochInput input = RandomEpochInputs.dense(r, 2048, 160);
        if (seed % 2 == 0) {
            // re-registrations mask some weights and bonds, so rows shrink and the structure is rebuilt
            long[] registered = input.blockAtRegistration().clone();
            for (int k = 0; k < 50; k++) {
                registered[160 + r.nextInt(2048 - 160)] = 1150;
            }
            input = new EpochInput(input.n(), input.block(), input.tempo(), input.emission(),
                    input.lastMechanismStepBlock(), input.ownerUid(), input.hyper(), input.stake(), input.lastUpdate(),
                    registered, input.validatorPermit(), input.weights(), input.bonds(), null);
        }
        assertTrue(input.weights().nonZeros() > 2 * Chunks.MIN_PARALLEL_WORK, "large enough to run in parallel");
        EpochInput in = input;

        EpochOutput parallel = YumaEpoch.run(in);
        EpochOutput sequential = Chunks.sequentially(() -> YumaEpoch.run(in));

        assertEquals(sequential, parallel);
    }
}

package io.cortex.ledger.yuma;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.fixed.I32F32;
import io.cortex.ledger.fixed.SparseMatrix;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mean consensus (the {@code mean_consensus} hyper-parameter): a miner's consensus weight is the active
 * stake's mean weight on it instead of the kappa median; clipping and everything after are unchanged. The
 * Python oracle computes it independently too ({@code OracleCrossCheckTest}, one random input in four).
 */
class MeanConsensusTest {

    private static EpochInput with(EpochInput in, boolean mean) {
        return new EpochInput(in.n(), in.block(), in.tempo(), in.emission(), in.lastMechanismStepBlock(), in.ownerUid(),
                in.hyper().withMeanConsensus(mean), in.stake(), in.lastUpdate(), in.blockAtRegistration(),
                in.validatorPermit(), in.weights(), in.bonds(), in.earliestCommitBlock());
    }

    @Test
    void consensusIsTheActiveStakesMeanWeightAndClippingFollowsIt() {
        Random r = new Random(16);
        int differing = 0;
        for (int trial = 0; trial < 50; trial++) {
            EpochInput in = with(RandomEpochInputs.random(r, 2 + r.nextInt(40)), true);
            EpochTrace t = YumaEpoch.trace(in);
            SparseMatrix w = t.weights();
            long[] mean = new long[in.n()];
            for (int i = 0; i < in.n(); i++) {
                for (int k = w.rowStart(i); k < w.rowEnd(i); k++) {
                    mean[w.column(k)] = I32F32.add(mean[w.column(k)], I32F32.mul(t.activeStake()[i], w.value(k)));
                }
            }
            assertArrayEquals(mean, t.consensus(), "trial " + trial);
            for (int i = 0; i < in.n(); i++) {
                for (int k = w.rowStart(i); k < w.rowEnd(i); k++) {
                    assertEquals(Math.min(w.value(k), mean[w.column(k)]), t.clippedWeights().get(i, w.column(k)),
                            "clipped at the mean, trial " + trial);
                }
            }
            EpochTrace median = YumaEpoch.trace(with(in, false));
            differing += java.util.Arrays.equals(median.consensus(), t.consensus()) ? 0 : 1;
        }
        // many random inputs have one voter, or none, where mean and median agree
        assertTrue(differing >= 10, "the mean is not the median: " + differing + " of 50 inputs differ");
    }

    @Test
    void theEpochJsonNamesMeanConsensusOnlyWhenItIsOnSoMedianInputsKeepTheirHashes() {
        EpochInput median = with(RandomEpochInputs.random(new Random(3), 12), false);
        EpochInput mean = with(median, true);
        String medianJson = new String(EpochJson.inputBytes(median), StandardCharsets.UTF_8);
        String meanJson = new String(EpochJson.inputBytes(mean), StandardCharsets.UTF_8);
        assertFalse(medianJson.contains("mean_consensus"));
        assertTrue(meanJson.replace(" ", "").contains("\"mean_consensus\":true"), meanJson);
        assertTrue(EpochJson.readInput(EpochJson.inputBytes(mean)).hyper().meanConsensus());
        assertFalse(EpochJson.readInput(EpochJson.inputBytes(median)).hyper().meanConsensus());
        assertArrayEquals(EpochJson.outputBytes(YumaEpoch.run(mean)),
                EpochJson.outputBytes(YumaEpoch.run(EpochJson.readInput(EpochJson.inputBytes(mean)))));
    }
}

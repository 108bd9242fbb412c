package io.cortex.subnets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How validators turn scores into weights, and the baseline's moving average they measure margins against. */
class WeightingTest {

    @Test
    void theDefaultPaysTheMarginOverTheBaselineSquared() {
        double[] v = Weighting.DEFAULT.values(new double[] {0.2, 0.3, 0.5, Double.NaN}, 0.3);

        assertArrayEquals(new double[] {0, 0, 1, 0}, v, 1e-12);
        assertArrayEquals(new double[] {0, 0.25, 1}, Weighting.DEFAULT.values(new double[] {0.3, 0.4, 0.5}, 0.3), 1e-12);
    }

    @Test
    void linearWeightsTheRawScore() {
        assertArrayEquals(new double[] {0.4, 0.6, 1, 0}, Weighting.linear().values(new double[] {0.2, 0.3, 0.5, Double.NaN}, 0.3),
                1e-12);
    }

    /** Ten weak miners against one strong one, on scores like compute's: the swarm's share falls by an order. */
    @Test
    void aSybilSwarmEarnsLittleOverTheBaseline() {
        double[] scores = new double[11];
        java.util.Arrays.fill(scores, 0.3);
        scores[10] = 0.97;
        double baseline = 0.21;
        double[] linear = Weighting.linear().values(scores, baseline);
        double[] margin = Weighting.DEFAULT.values(scores, baseline);

        assertEquals(10 * 0.3 / 0.97, swarmOverStrong(linear), 1e-9);
        assertEquals(10 * Math.pow(0.09 / 0.76, 2), swarmOverStrong(margin), 1e-9);
    }

    private static double swarmOverStrong(double[] v) {
        double swarm = 0;
        for (int i = 0; i < 10; i++) {
            swarm += v[i];
        }
        return swarm / v[10];
    }

    @Test
    void noMinerAboveTheBaselineMeansNoWeights() {
        assertNull(Weighting.DEFAULT.values(new double[] {0.1, 0.2}, 0.2));
        assertNull(Weighting.linear().values(new double[] {Double.NaN, 0}, 0));
    }

    @Test
    void namesAndLimits() {
        assertEquals(Weighting.DEFAULT, Weighting.named("over-baseline"));
        assertEquals(Weighting.linear(), Weighting.named("LINEAR"));
        assertThrows(IllegalArgumentException.class, () -> Weighting.named("quadratic"));
        assertThrows(IllegalArgumentException.class, () -> new Weighting(true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Weighting(true, Double.NaN));
    }

    /** The baseline's average moves a round at a time, from 0, like a miner's: one point per round, its mean. */
    @Test
    void theBaselineScoreMovesOncePerRound() {
        BaselineScore b = new BaselineScore(0.5);
        b.add(0.2);
        b.add(0.4);
        assertEquals(0, b.value());
        b.endRound();
        assertEquals(0.15, b.value(), 1e-12);
        b.endRound(); // a round without baseline scores leaves it
        assertEquals(0.15, b.value(), 1e-12);
        b.add(0.35);
        b.endRound();
        assertEquals(0.25, b.value(), 1e-12);
    }

    /**
     * Every built-in subnet's baseline can be scored the way a validator does it: each score in [0, 1], and on
     * average strictly between, below the best miner's (a baseline every miner beats, or none can, is no bar).
     */
    @Test
    void everyBuiltInBaselineScoresBetweenZeroAndOne() {
        SplittableRandom random = new SplittableRandom(7);
        for (SubnetMechanism m : SubnetMechanisms.all().values()) {
            double baseline = 0;
            double best = 0;
            int tasks = 200;
            for (int i = 0; i < tasks; i++) {
                SubnetMechanism.Task task = m.nextTask(random);
                SubnetMechanism.Answer a = m.baseline().answer(task.payload(), random);
                double s = m.score(task, a.payload(), a.delayMillis());
                assertTrue(s >= 0 && s <= 1, m.name() + " baseline scored " + s);
                baseline += s;
                SubnetMechanism.Answer top = m.miner(1.0).answer(task.payload(), random);
                best += m.score(task, top.payload(), top.delayMillis());
            }
            baseline /= tasks;
            best /= tasks;
            assertTrue(baseline > 0 && baseline < 1, m.name() + " baseline's mean score " + baseline);
            assertTrue(best > baseline, m.name() + ": the best miner " + best + " beats the baseline " + baseline);
        }
    }
}

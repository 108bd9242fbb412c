package io.cortex.subnets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ComputeSubnetTest {
    private final SubnetMechanism compute = SubnetMechanisms.named("compute");

    @Test
    void isFoundByServiceLoaderByName() {
        assertEquals("compute", compute.name());
        assertTrue(SubnetMechanisms.all().containsKey("compute"));
    }

    @Test
    void betterMinersScoreHigherAndTheBestBeatTheBaseline() {
        SplittableRandom r = new SplittableRandom(3);
        double[] qualities = {0.0, 0.3, 0.6, 1.0};
        double[] mean = new double[qualities.length];
        for (int q = 0; q < qualities.length; q++) {
            SubnetMechanism.MinerModel miner = compute.miner(qualities[q]);
            for (int i = 0; i < 2000; i++) {
                SubnetMechanism.Task task = compute.nextTask(r);
                SubnetMechanism.Answer a = miner.answer(task.payload(), r);
                mean[q] += compute.score(task, a.payload(), a.delayMillis()) / 2000;
            }
        }
        for (int q = 1; q < qualities.length; q++) {
            assertTrue(mean[q] > mean[q - 1] + 0.05, "quality " + qualities[q] + " scores " + mean[q]);
        }
        double baseline = 0;
        for (int i = 0; i < 2000; i++) {
            SubnetMechanism.Task task = compute.nextTask(r);
            SubnetMechanism.Answer a = compute.baseline().answer(task.payload(), r);
            baseline += compute.score(task, a.payload(), a.delayMillis()) / 2000;
        }
        assertTrue(mean[3] > baseline, "the best miner " + mean[3] + " beats the baseline " + baseline);
    }

    @Test
    void aWrongOrMissingAnswerScoresNothing() {
        SubnetMechanism.Task task = compute.nextTask(new SplittableRandom(1));
        assertEquals(0, compute.score(task, null, 1));
        assertEquals(0, compute.score(task, new byte[8], 1));
        assertEquals(0, compute.score(task, new byte[3], 1));
        assertTrue(compute.score(task, task.expected(), 1) > 0.99);
    }

    @Test
    void aTextQueryIsParsedSolvedAndFormatted() {
        SubnetMechanism.Task task = compute.parseQuery("3 4 5 mod 7");
        assertEquals("1", compute.formatAnswer(task.expected())); // 9 + 16 + 25 = 50 = 7 * 7 + 1
        assertEquals(Long.toString((9 + 16 + 25) % 1_000_000_007L), compute.formatAnswer(compute.parseQuery("3,4,5").expected()));
        SubnetMechanism.Answer a = compute.miner(1.0).answer(task.payload(), new SplittableRandom(2));
        assertEquals("1", compute.formatAnswer(a.payload()));
    }

    @Test
    void aMalformedTextQuerySaysWhatAQueryLooksLike() {
        for (String bad : new String[] {"", "three", "1 2 mod", "1 mod 2 mod 3", "1 2 mod 1", "-4 mod 9"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compute.parseQuery(bad), bad);
            assertTrue(e.getMessage().contains("3 4 5 mod 1000003"), e.getMessage());
        }
    }

    @Test
    void answersAggregateToTheMostCommon() {
        byte[] one = {1};
        byte[] two = {2};
        assertArrayEquals(two, compute.aggregate(java.util.List.of(one, two, two)));
        assertArrayEquals(one, compute.aggregate(java.util.List.of(one, two)));
        assertEquals(null, compute.aggregate(java.util.List.of()));
    }
}

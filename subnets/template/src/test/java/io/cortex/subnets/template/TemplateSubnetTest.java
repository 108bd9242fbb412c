package io.cortex.subnets.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What every subnet should show before it joins a testnet (SUBNETS.md, "Test it"). */
class TemplateSubnetTest {
    /** CHANGE: your subnet's name. */
    private final SubnetMechanism subnet = SubnetMechanisms.named("template");

    @Test
    void betterMinersScoreHigherAndTheBestBeatsTheBaseline() {
        double baseline = meanScore(subnet.baseline());
        double previous = -1;
        for (double quality : new double[] {0.1, 0.4, 0.7, 1.0}) {
            double mean = meanScore(subnet.miner(quality));
            assertTrue(mean > previous, "quality " + quality + " scores " + mean + ", not above " + previous);
            previous = mean;
        }
        assertTrue(previous > baseline, "the best miner " + previous + " beats the baseline " + baseline);
    }

    private double meanScore(SubnetMechanism.MinerModel miner) {
        SplittableRandom random = new SplittableRandom(42);
        double sum = 0;
        for (int i = 0; i < 2000; i++) {
            SubnetMechanism.Task task = subnet.nextTask(random);
            SubnetMechanism.Answer answer = miner.answer(task.payload(), random);
            double score = subnet.score(task, answer.payload(), answer.delayMillis());
            assertTrue(score >= 0 && score <= 1, "a score in [0, 1]: " + score);
            sum += score;
        }
        return sum / 2000;
    }

    @Test
    void noAnswerOrAMalformedOneScoresNothing() {
        SubnetMechanism.Task task = subnet.nextTask(new SplittableRandom(1));
        assertEquals(0, subnet.score(task, null, 1));
        assertEquals(0, subnet.score(task, new byte[] {1, 2, 3}, 1));
        assertEquals(1, subnet.score(task, task.expected(), 1));
    }

    @Test
    void aUsersQueryIsAnsweredAndBadOnesAreRefused() {
        SubnetMechanism.Task task = subnet.parseQuery("5 1 9 3 7 2 8 4 6");
        assertEquals("5", subnet.formatAnswer(task.expected()));
        assertEquals("5", subnet.formatAnswer(subnet.miner(1.0).answer(task.payload(), new SplittableRandom(1)).payload()));
        assertThrows(IllegalArgumentException.class, () -> subnet.parseQuery("1 2 3"));
        assertThrows(IllegalArgumentException.class, () -> subnet.parseQuery("a b c d e f g h i"));
    }
}

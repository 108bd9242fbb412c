package io.cortex.subnets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.subnets.text.Corpus;
import io.cortex.subnets.text.TextPredictSubnet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextPredictSubnetTest {
    private final SubnetMechanism text = SubnetMechanisms.named("text-predict");

    @Test
    void higherOrdersPredictHeldOutTextBetterAndEveryOrderAboveOneBeatsTheUnigramBaseline() {
        double baseline = meanScore(text.baseline(), 3000, 11);
        double previous = baseline;
        StringBuilder figures = new StringBuilder(String.format(Locale.ROOT, "baseline (unigram) %.3f", baseline));
        for (int order = 2; order <= TextPredictSubnet.MAX_ORDER; order++) {
            double mean = meanScore(TextPredictSubnet.ngram(order), 3000, 11);
            figures.append(String.format(Locale.ROOT, ", order %d %.3f", order, mean));
            assertTrue(mean > previous, "order " + order + " scores " + mean + " after " + previous);
            previous = mean;
        }
        System.out.println("text-predict mean scores on held-out text: " + figures);
        assertTrue(meanScore(text.miner(1.0), 3000, 11) > baseline + 0.2, figures.toString());
        assertEquals(baseline, meanScore(text.miner(0.0), 3000, 11), 1e-12, "quality 0 is the unigram model");
        double[] graded = new double[6];
        for (int i = 0; i < graded.length; i++) {
            graded[i] = meanScore(text.miner(0.1 + 0.18 * i), 3000, 11);
            assertTrue(i == 0 || graded[i] > graded[i - 1], "quality counts between orders too: " + java.util.Arrays.toString(graded));
        }
    }

    private double meanScore(SubnetMechanism.MinerModel miner, int tasks, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double sum = 0;
        for (int i = 0; i < tasks; i++) {
            SubnetMechanism.Task task = text.nextTask(r);
            SubnetMechanism.Answer a = miner.answer(task.payload(), r);
            double s = text.score(task, a.payload(), a.delayMillis());
            assertTrue(s >= 0 && s <= 1, "a score in [0, 1]: " + s);
            sum += s;
        }
        return sum / tasks;
    }

    @Test
    void tasksComeFromTextTheModelsNeverSaw() {
        SubnetMechanism.Task task = text.nextTask(new SplittableRandom(5));
        assertEquals(TextPredictSubnet.CONTEXT, task.payload().length);
        assertEquals(1, task.expected().length);
        String training = new String(render(Corpus.get().training()));
        // the held-out paragraphs are not in the training text (a 40-character window of one, at least)
        SplittableRandom r = new SplittableRandom(6);
        int unseen = 0;
        for (int i = 0; i < 200; i++) {
            SubnetMechanism.Task t = text.nextTask(r);
            unseen += training.contains(new String(render(t.payload())) + Corpus.character(t.expected()[0])) ? 0 : 1;
        }
        assertTrue(unseen > 0, "some contexts continue differently from anything in the training text");
    }

    private static char[] render(byte[] symbols) {
        char[] c = new char[symbols.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = Corpus.character(symbols[i]);
        }
        return c;
    }

    @Test
    void noAnswerOrAMalformedOneScoresNothingAndAConfidentRightOneNearlyOne() {
        SubnetMechanism.Task task = text.nextTask(new SplittableRandom(1));
        assertEquals(0, text.score(task, null, 1));
        assertEquals(0, text.score(task, new byte[3], 1));
        assertEquals(0, text.score(task, new byte[TextPredictSubnet.ANSWER_LENGTH], 1), "all zeros");
        byte[] sure = new byte[TextPredictSubnet.ANSWER_LENGTH];
        sure[2 * task.expected()[0]] = (byte) 0xFF;
        sure[2 * task.expected()[0] + 1] = (byte) 0xFF;
        assertEquals(1.0, text.score(task, sure, 1), 1e-9);
        byte[] wrong = new byte[TextPredictSubnet.ANSWER_LENGTH];
        int other = (task.expected()[0] + 1) % Corpus.ALPHABET;
        wrong[2 * other] = (byte) 0xFF;
        assertEquals(0, text.score(task, wrong, 1), "confidently wrong: no better than a uniform guess");
    }

    @Test
    void aTextQueryIsContinuedAndAnswersAggregateToTheirMean() {
        SubnetMechanism.Task task = text.parseQuery("We hold these truths to be self-evident, that all men are created equ");
        assertNull(task.expected());
        byte[] best = text.miner(1.0).answer(task.payload(), new SplittableRandom(1)).payload();
        String shown = text.formatAnswer(best);
        assertTrue(shown.startsWith("'a' "), shown);
        byte[] unigram = text.baseline().answer(task.payload(), new SplittableRandom(1)).payload();
        byte[] mean = text.aggregate(List.of(best, unigram, new byte[5]));
        assertTrue(text.formatAnswer(mean).startsWith("'a' "), text.formatAnswer(mean));
        assertEquals("the mean of the miners' distributions", text.aggregationRule());
        assertThrows(IllegalArgumentException.class, () -> text.parseQuery("   "));
    }

    @Test
    void aDistributionAgreesWithTheMeanWhenItsMostLikelyCharacterIsTheMeans() {
        TextPredictSubnet subnet = new TextPredictSubnet();
        byte[] peakAt3 = peak(3, 2);
        byte[] peakAt3Too = peak(3, 9);
        byte[] peakAt5 = peak(5, 3);
        byte[] mean = subnet.aggregate(List.of(peakAt3, peakAt3Too, peakAt5));
        // the mean's most likely character is 3 (two of three put it first); none of the answers equals the mean
        assertTrue(subnet.agrees(peakAt3, mean) && subnet.agrees(peakAt3Too, mean));
        assertFalse(subnet.agrees(peakAt5, mean));
        assertFalse(java.util.Arrays.equals(peakAt3, mean), "agreeing is not being equal here");
        assertFalse(subnet.agrees(new byte[4], mean), "a malformed answer does not agree");
    }

    /** A distribution with most weight on {@code top} and a little on {@code second}, as u16 weights. */
    private static byte[] peak(int top, int second) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(TextPredictSubnet.ANSWER_LENGTH);
        for (int i = 0; i < Corpus.ALPHABET; i++) {
            b.putShort((short) (i == top ? 65_535 : i == second ? 30_000 : 1));
        }
        return b.array();
    }
}

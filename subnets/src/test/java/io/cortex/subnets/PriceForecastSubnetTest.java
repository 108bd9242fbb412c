package io.cortex.subnets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.subnets.price.PriceForecastSubnet;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PriceForecastSubnetTest {
    private final SubnetMechanism price = SubnetMechanisms.named("price-forecast");

    @Test
    void betterMinersForecastBetterAndTheBestBeatsTheLastPrice() {
        double baseline = meanScore(price.baseline());
        double[] qualities = {0.1, 0.4, 0.7, 1.0};
        double[] mean = new double[qualities.length];
        StringBuilder figures = new StringBuilder(String.format(Locale.ROOT, "baseline (last price) %.4f", baseline));
        for (int i = 0; i < qualities.length; i++) {
            mean[i] = meanScore(price.miner(qualities[i]));
            figures.append(String.format(Locale.ROOT, ", quality %.1f %.4f", qualities[i], mean[i]));
        }
        System.out.println("price-forecast mean scores: " + figures);
        assertTrue(mean[0] > baseline, figures.toString());
        for (int i = 1; i < mean.length; i++) {
            assertTrue(mean[i] > mean[i - 1], figures.toString());
        }
        assertTrue(mean[3] > baseline + 0.02, "the best miner clearly beats the baseline: " + figures);
    }

    private double meanScore(SubnetMechanism.MinerModel miner) {
        SplittableRandom r = new SplittableRandom(17);
        double sum = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            SubnetMechanism.Task task = price.nextTask(r);
            SubnetMechanism.Answer a = miner.answer(task.payload(), r);
            double s = price.score(task, a.payload(), a.delayMillis());
            assertTrue(s >= 0 && s <= 1, "a score in [0, 1]: " + s);
            sum += s;
        }
        return sum / n;
    }

    @Test
    void theTruthComesLaterAndTasksAreFreshDrawsOfTheSeed() {
        // a forecast is held until its truth is known: at least a round later, as validators are told
        assertTrue(price.truthDelayRounds() > 0, "the truth comes " + price.truthDelayRounds() + " rounds later");
        SubnetMechanism.Task a = price.nextTask(new SplittableRandom(3));
        SubnetMechanism.Task b = price.nextTask(new SplittableRandom(3));
        assertArrayEquals(a.payload(), b.payload(), "the same seed, the same task");
        assertEquals(PriceForecastSubnet.WINDOW * 8, a.payload().length);
        SubnetMechanism.Task c = price.nextTask(new SplittableRandom(4));
        assertTrue(!Arrays.equals(a.payload(), c.payload()));
    }

    @Test
    void noAnswerOrANonsenseOneScoresNothingAndTheTruthScoresOne() {
        SubnetMechanism.Task task = price.nextTask(new SplittableRandom(1));
        assertEquals(0, price.score(task, null, 1));
        assertEquals(0, price.score(task, new byte[5], 1));
        assertEquals(0, price.score(task, ByteBuffer.allocate(8).putDouble(-3).array(), 1));
        assertEquals(0, price.score(task, ByteBuffer.allocate(8).putDouble(Double.NaN).array(), 1));
        assertEquals(1, price.score(task, task.expected(), 1), 1e-12);
    }

    @Test
    void aUsersSeriesIsForecastAndAggregatedByTheMedian() {
        SubnetMechanism.Task task = price.parseQuery("100 101 102 103 104 105 106 107");
        assertNull(task.expected());
        double forecast = ByteBuffer.wrap(price.miner(1.0).answer(task.payload(), new SplittableRandom(1)).payload()).getDouble();
        assertTrue(forecast > 107, "a steady climb is forecast to go on: " + forecast);
        assertEquals("107.0000", price.formatAnswer(price.baseline().answer(task.payload(), new SplittableRandom(1)).payload()));
        byte[] median = price.aggregate(List.of(bytes(1), bytes(3), bytes(2), new byte[3]));
        assertEquals("2.0000", price.formatAnswer(median));
        assertThrows(IllegalArgumentException.class, () -> price.parseQuery("100 101"));
        assertThrows(IllegalArgumentException.class, () -> price.parseQuery("100 -1 102"));
        assertThrows(IllegalArgumentException.class, () -> price.parseQuery("a b c"));
    }

    private static byte[] bytes(double v) {
        return ByteBuffer.allocate(8).putDouble(v).array();
    }

    @Test
    void aForecastAgreesWithTheMedianWithinOnePercent() {
        PriceForecastSubnet subnet = new PriceForecastSubnet();
        List<byte[]> answers = List.of(price(100.0), price(100.5), price(120.0));
        byte[] median = subnet.aggregate(answers);
        assertEquals(100.5, ByteBuffer.wrap(median).getDouble());
        assertTrue(subnet.agrees(price(100.0), median), "0.5 % off the median agrees");
        assertTrue(subnet.agrees(price(100.5), median));
        assertFalse(subnet.agrees(price(120.0), median), "19 % off does not");
        assertFalse(subnet.agrees(new byte[3], median), "a malformed answer does not");
        assertFalse(subnet.agrees(price(100.5), null), "nothing to agree with");
    }

    private static byte[] price(double p) {
        return ByteBuffer.allocate(8).putDouble(p).array();
    }
}

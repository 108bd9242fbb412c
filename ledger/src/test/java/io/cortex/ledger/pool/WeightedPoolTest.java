package io.cortex.ledger.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pool formulas of yuma.md section 6, against the closed forms in high precision. */
class WeightedPoolTest {
    private static final long TAO = 1_000_000_000L;

    @Test
    void priceIsTheWeightRatioTimesTheReserveRatio() {
        assertEquals(2.0, WeightedPool.price(200 * TAO, 100 * TAO, 0.5), 1e-15);
        assertEquals(0.25 / 0.75 * 2.0, WeightedPool.price(200 * TAO, 100 * TAO, 0.75), 1e-15);
    }

    @ParameterizedTest(name = "y={0} x={1} w2={2} buy {3}")
    @CsvSource({
        "1000, 500, 0.5, 10",
        "1000, 500, 0.5, 1000",
        "1000, 500, 0.3, 77",
        "1000, 500, 0.8, 0.000001",
        "5, 9000000, 0.5, 4000"
    })
    void buyingPaysTheWeightedFormulaFloored(double y, double x, double w2, double dy) {
        long tao = (long) (y * TAO);
        long alpha = (long) (x * TAO);
        long in = (long) (dy * TAO);
        double exact = alpha * (1 - Math.pow((double) tao / (tao + in), w2 / (1 - w2)));

        long out = WeightedPool.alphaOut(tao, alpha, w2, in);

        assertTrue(out <= exact + 1e-3 && out >= Math.floor(exact) - 2, out + " vs " + exact);
        assertTrue(out < alpha);
    }

    @ParameterizedTest(name = "y={0} x={1} w2={2} sell {3}")
    @CsvSource({
        "1000, 500, 0.5, 10",
        "1000, 500, 0.5, 5000",
        "1000, 500, 0.3, 77",
        "1000, 500, 0.8, 0.000001"
    })
    void sellingPaysTheWeightedFormulaFloored(double y, double x, double w2, double dx) {
        long tao = (long) (y * TAO);
        long alpha = (long) (x * TAO);
        long in = (long) (dx * TAO);
        double exact = tao * (1 - Math.pow((double) alpha / (alpha + in), (1 - w2) / w2));

        long out = WeightedPool.taoOut(tao, alpha, w2, in);

        assertTrue(out <= exact + 1e-3 && out >= Math.floor(exact) - 2, out + " vs " + exact);
    }

    @Test
    void aBuyThenTheSameSellNeverProfits() {
        long tao = 1000 * TAO;
        long alpha = 700 * TAO;
        long in = 50 * TAO;
        long bought = WeightedPool.alphaOut(tao, alpha, 0.4, in);
        long back = WeightedPool.taoOut(tao + in, alpha - bought, 0.4, bought);
        assertTrue(back <= in, back + " > " + in);
    }

    @Test
    void injectingReweightsSoThePriceStays() {
        long tao = 1000 * TAO;
        long alpha = 400 * TAO;
        double before = WeightedPool.price(tao, alpha, 0.5);

        double w2 = WeightedPool.reweighted(tao, alpha, 0.5, 3 * TAO, 7 * TAO);

        assertEquals(before, WeightedPool.price(tao + 3 * TAO, alpha + 7 * TAO, w2), before * 1e-12);
    }

    @Test
    void anInjectionThatWouldPushAWeightOutOfRangeIsRefused() {
        assertTrue(Double.isNaN(WeightedPool.reweighted(TAO, TAO, 0.5, 1000 * TAO, 0)));
    }

    @Test
    void swapsBeyondThePoolLimitsAreRefused() {
        assertEquals(-1, WeightedPool.alphaOut(TAO, 100 * TAO, 0.5, 1001 * TAO + 1000), "input over 1000x the reserve");
        assertEquals(-1, WeightedPool.alphaOut(100 * TAO, 999_999, 0.5, TAO), "output reserve under 1 000 000 rao");
        assertEquals(-1, WeightedPool.taoOut(999_999, 100 * TAO, 0.5, TAO));
        assertEquals(-1, WeightedPool.alphaOut(100 * TAO, 100 * TAO, 0.5, 0));
    }

    @Test
    void theFeeIsTheRateOf65535FlooredForAnyAmount() {
        assertEquals(0, WeightedPool.fee(1985, 33));
        assertEquals(33, WeightedPool.fee(65_535, 33));
        assertEquals(503_547, WeightedPool.fee(1_000_000_000, 33));
        assertEquals(Long.MAX_VALUE / 65535 * 33 + (Long.MAX_VALUE % 65535) * 33 / 65535, WeightedPool.fee(Long.MAX_VALUE, 33));
    }
}

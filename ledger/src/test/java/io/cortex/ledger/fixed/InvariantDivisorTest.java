package io.cortex.ledger.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The multiply-high division is exact: it equals BigInteger division for every operand tried. */
class InvariantDivisorTest {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private static BigInteger unsigned(long x) {
        return x >= 0 ? BigInteger.valueOf(x) : BigInteger.valueOf(x).add(TWO_64);
    }

    @Property(tries = 2000)
    void quotientsEqualBigIntegerDivision(@ForAll long d, @ForAll long n) {
        if (d == 0) {
            return;
        }
        assertEquals(unsigned(n).divide(unsigned(d)).longValue(), new InvariantDivisor(d).divide(n));
    }

    @Test
    void edgeDivisorsAndNumeratorsAreExact() {
        long[] divisors = {1, 2, 3, 7, 65535, 1L << 31, (1L << 32) - 1, 1L << 32, (1L << 32) + 1, Long.MAX_VALUE,
            Long.MIN_VALUE, -1L, -2L};
        long[] numerators = {0, 1, 2, 65534, 65535, 65536, Long.MAX_VALUE, Long.MIN_VALUE, -1L, (1L << 63) + 12345};
        Random r = new Random(7);
        for (long d : divisors) {
            InvariantDivisor divisor = new InvariantDivisor(d);
            for (long n : numerators) {
                assertEquals(unsigned(n).divide(unsigned(d)).longValue(), divisor.divide(n), n + " / " + d);
            }
            for (int k = 0; k < 10_000; k++) {
                long n = r.nextLong() >>> r.nextInt(64);
                assertEquals(unsigned(n).divide(unsigned(d)).longValue(), divisor.divide(n), n + " / " + d);
            }
        }
    }

    @Property(tries = 2000)
    void wideDivisionEqualsBigInteger(@ForAll long anyHigh, @ForAll long low, @ForAll long d) {
        if (d == 0) {
            return;
        }
        // divideWide needs high < d (the quotient fits 64 bits): reduce it rather than skip half the tries
        long high = Long.remainderUnsigned(anyHigh, d);
        BigInteger numerator = unsigned(high).shiftLeft(64).add(unsigned(low));
        assertEquals(numerator.divide(unsigned(d)).longValue(), InvariantDivisor.divideWide(high, low, d));
    }
}

package io.cortex.ledger.fixed;

/**
 * Exact unsigned division by one divisor applied many times over (a row or column normalisation divides a
 * million entries by a few thousand sums): Granlund and Montgomery's "division by invariant integers
 * using multiplication" (PLDI 1994, figure 4.1). One 128/64-bit division when the divisor is set up, then a
 * multiply-high, two shifts and two additions per quotient instead of a 64-bit hardware division.
 * {@code InvariantDivisorTest} checks it against {@link java.math.BigInteger}.
 */
public final class InvariantDivisor {
    private final long divisor;
    private final long multiplier;
    private final int shift1;
    private final int shift2;

    /** @param divisor any non-zero value, read as unsigned */
    public InvariantDivisor(long divisor) {
        if (divisor == 0) {
            throw new ArithmeticException("division by zero");
        }
        this.divisor = divisor;
        int l = 64 - Long.numberOfLeadingZeros(divisor - 1); // ceil(log2 divisor)
        // m = floor(2^64 (2^l - d) / d) + 1, where 2^l - d < d keeps the quotient within 64 bits
        long twoToL = l == 64 ? 0 : 1L << l; // 2^64 wraps to 0, so 2^l - d is right modulo 2^64
        this.multiplier = divideWide(twoToL - divisor, 0, divisor) + 1;
        this.shift1 = Math.min(l, 1);
        this.shift2 = Math.max(l - 1, 0);
    }

    /** floor(n / divisor), both read as unsigned. */
    public long divide(long n) {
        long t = unsignedMultiplyHigh(multiplier, n);
        return (t + ((n - t) >>> shift1)) >>> shift2;
    }

    /**
     * Exactly {@code I32F32.div(a, divisor)} (truncated fixed-point quotient, 0 on overflow) for a
     * positive divisor: the shifted numerator of a non-negative value below 0.5 fits in 63 bits and takes
     * the fast path.
     */
    public long divideFixed(long a) {
        if (a >= 0 && a < (1L << 31) && divisor > 0) {
            return divide(a << I32F32.FRAC_BITS);
        }
        return I32F32.div(a, divisor);
    }

    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /**
     * floor((high * 2^64 + low) / d), all unsigned, for high &lt; d so that the quotient fits in 64 bits:
     * Knuth's algorithm D on 32-bit digits (Hacker's Delight, {@code divlu}).
     */
    static long divideWide(long high, long low, long d) {
        final long base = 1L << 32;
        int s = Long.numberOfLeadingZeros(d);
        d <<= s;
        long dHigh = d >>> 32;
        long dLow = d & 0xFFFF_FFFFL;
        long numerator32 = (high << s) | (s == 0 ? 0 : low >>> (64 - s));
        long numerator10 = low << s;
        long n1 = numerator10 >>> 32;
        long n0 = numerator10 & 0xFFFF_FFFFL;

        long q1 = Long.divideUnsigned(numerator32, dHigh);
        long remainder = numerator32 - q1 * dHigh;
        while (Long.compareUnsigned(q1, base) >= 0 || Long.compareUnsigned(q1 * dLow, base * remainder + n1) > 0) {
            q1--;
            remainder += dHigh;
            if (Long.compareUnsigned(remainder, base) >= 0) {
                break;
            }
        }
        long numerator21 = numerator32 * base + n1 - q1 * d;
        long q0 = Long.divideUnsigned(numerator21, dHigh);
        remainder = numerator21 - q0 * dHigh;
        while (Long.compareUnsigned(q0, base) >= 0 || Long.compareUnsigned(q0 * dLow, base * remainder + n0) > 0) {
            q0--;
            remainder += dHigh;
            if (Long.compareUnsigned(remainder, base) >= 0) {
                break;
            }
        }
        return q1 * base + q0;
    }
}

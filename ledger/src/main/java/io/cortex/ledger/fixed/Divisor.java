package io.cortex.ledger.fixed;

/**
 * {@link I32F32#div} by one divisor many times over (a row or column normalisation divides a million
 * entries by a few thousand sums). A 64-bit division costs tens of cycles; here the quotient is estimated
 * with a precomputed floating reciprocal ({@link #scaledInverse}) and then corrected to the exact
 * truncated quotient by checking the remainder, so the result is bit-identical to {@link I32F32#div}.
 * Cases the estimate cannot settle (negative operands, huge quotients or divisors) go to
 * {@link I32F32#div}.
 */
final class Divisor {
    private static final double TWO_POW_32 = 4294967296.0;
    private static final double MAX_ESTIMATE = 0x1p50;
    private static final long MAX_FAST_DIVISOR = 1L << 61;

    private Divisor() {
    }

    /** 2^32 / d, the reciprocal {@link #divide} takes; NaN when d is not in the fast range. */
    static double scaledInverse(long d) {
        return d > 0 && d < MAX_FAST_DIVISOR ? TWO_POW_32 / d : Double.NaN;
    }

    static double[] scaledInverses(long[] d) {
        double[] inverse = new double[d.length];
        for (int j = 0; j < d.length; j++) {
            inverse[j] = scaledInverse(d[j]);
        }
        return inverse;
    }

    /** Exactly {@code I32F32.div(a, d)}, given {@code inverse = scaledInverse(d)}. */
    static long divide(long a, long d, double inverse) {
        double estimate = a * inverse;
        // false for NaN (a divisor outside the fast range), negative a and quotients too large to settle
        if (!(estimate >= 0 && estimate < MAX_ESTIMATE)) {
            return I32F32.div(a, d);
        }
        long q = (long) estimate;
        // The true remainder a*2^32 - q*d is within a few divisors of zero, so computing it modulo 2^64
        // (where the shifted numerator and the product wrap) gives it exactly.
        long r = (a << I32F32.FRAC_BITS) - q * d;
        while (r < 0) {
            q--;
            r += d;
        }
        while (r >= d) {
            q++;
            r -= d;
        }
        return q;
    }
}

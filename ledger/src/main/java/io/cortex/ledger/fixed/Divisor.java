package io.cortex.ledger.fixed;

/**
 * {@link I32F32#div} by one divisor many times over (a row or column normalisation divides a million
 * entries by a few thousand sums). A 64-bit division costs tens of cycles; here the quotient is estimated
 * with a precomputed floating reciprocal and then corrected to the exact truncated quotient by checking the
 * remainder, so the result is bit-identical to {@link I32F32#div}. Cases the estimate cannot settle
 * (negative operands, huge quotients or divisors) go to {@link I32F32#div}.
 */
final class Divisor {
    private static final double TWO_POW_32 = 4294967296.0;
    private static final double MAX_ESTIMATE = 0x1p50;
    private static final long MAX_FAST_DIVISOR = 1L << 61;

    private final long divisor;
    private final double scaledInverse;
    private final boolean fast;

    Divisor(long divisor) {
        this.divisor = divisor;
        this.fast = divisor > 0 && divisor < MAX_FAST_DIVISOR;
        this.scaledInverse = TWO_POW_32 / divisor;
    }

    /** Exactly {@code I32F32.div(a, divisor)}. */
    long divide(long a) {
        if (!fast || a < 0) {
            return I32F32.div(a, divisor);
        }
        double estimate = a * scaledInverse;
        if (estimate >= MAX_ESTIMATE) {
            return I32F32.div(a, divisor);
        }
        long q = (long) estimate;
        // The true remainder a*2^32 - q*divisor is within a few divisors of zero, so computing it modulo
        // 2^64 (where the shifted numerator and the product wrap) gives it exactly.
        long r = (a << I32F32.FRAC_BITS) - q * divisor;
        while (r < 0) {
            q--;
            r += divisor;
        }
        while (r >= divisor) {
            q++;
            r -= divisor;
        }
        return q;
    }
}

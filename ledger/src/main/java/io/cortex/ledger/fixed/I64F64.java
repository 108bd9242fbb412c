package io.cortex.ledger.fixed;

/**
 * The two places the epoch works in I64F64 (signed 128-bit, 64 fraction bits) before truncating to
 * I32F32 (yuma.md section 1). Both inputs are integers there, which lets the exact result be computed
 * without 128-bit arithmetic; the javadoc of each method shows why.
 */
public final class I64F64 {
    private I64F64() {
    }

    /**
     * Stake normalisation (yuma.md section 4.3): {@code inplace_normalize_64} of integer rao stakes, then
     * the I64F64 to I32F32 truncation. For integer stake s and total T the I64F64 quotient is
     * floor(s * 2^64 / T) raw; dropping 32 fraction bits floors again, so the I32F32 bits are
     * floor(s * 2^32 / T). A zero total leaves the (all-zero) vector as it is.
     *
     * @param stake non-negative rao amounts whose sum fits in a signed 64-bit integer
     * @return I32F32 bits of each share
     */
    public static long[] normalizeToI32F32(long[] stake) {
        long total = 0;
        for (long s : stake) {
            total = Math.addExact(total, s);
        }
        long[] shares = new long[stake.length];
        if (total == 0) {
            return shares;
        }
        for (int i = 0; i < stake.length; i++) {
            shares[i] = ratio(stake[i], total);
        }
        return shares;
    }

    /**
     * floor(s * 2^32 / total) for 0 &le; s &le; total, by long division one bit at a time after the
     * integer part (the remainder stays below total &lt; 2^63, so doubling it cannot overflow unsigned).
     */
    static long ratio(long s, long total) {
        long quotient = s / total;
        long remainder = s % total;
        for (int bit = 0; bit < I32F32.FRAC_BITS; bit++) {
            remainder <<= 1;
            quotient <<= 1;
            if (Long.compareUnsigned(remainder, total) >= 0) {
                remainder -= total;
                quotient |= 1;
            }
        }
        return quotient;
    }

    /**
     * The bonds EMA coefficient of yuma.md section 4.11 step 3: {@code 1 - I32F32(bma / 10^6)} where the
     * quotient is taken in I64F64 and truncated. For integer bma that is 1 - floor(bma * 2^32 / 10^6).
     */
    public static long bondsEmaAlpha(long bondsMovingAverage) {
        long scaled = ratio(bondsMovingAverage, 1_000_000L);
        return I32F32.sub(I32F32.ONE, scaled);
    }
}

package io.cortex.ledger.fixed;

/** Rao amounts as subtensor computes them in I96F32 (yuma.md section 4.14). */
public final class I96F32 {
    private I96F32() {
    }

    /**
     * {@code floor(x * amount)} for a non-negative I32F32 share x and a rao amount, saturating to u64:
     * {@code I96F32::from_num(x).saturating_mul(I96F32::from_num(amount)).saturating_to_num::<u64>()}.
     * The exact product x_bits * amount fits in 128 bits; its top 64 bits after a 32-bit shift are the
     * result.
     *
     * @return the amount as an unsigned 64-bit value (compare with {@link Long#compareUnsigned})
     */
    public static long mulFloor(long x, long amount) {
        if (x <= 0 || amount == 0) {
            return 0;
        }
        long hi = Math.multiplyHigh(x, amount) + ((amount >> 63) & x);
        long lo = x * amount;
        if ((hi >>> I32F32.FRAC_BITS) != 0) {
            return -1L; // u64::MAX
        }
        return (hi << I32F32.FRAC_BITS) | (lo >>> I32F32.FRAC_BITS);
    }
}

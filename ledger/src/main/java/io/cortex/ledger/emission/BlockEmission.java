package io.cortex.ledger.emission;

/**
 * Emission per block, halving by issuance (yuma.md section 5.1): with issuance I of a supply S,
 * {@code k = floor(log2(1 / (1 - I/S)))} and the emission is {@code floor(10^9 / 2^k)} rao; none once
 * {@code I >= S}. The same function gives a subnet's alpha emission from its alpha issuance.
 */
public final class BlockEmission {
    /** 21 million TAO (or alpha), in rao. */
    public static final long SUPPLY = 21_000_000L * 1_000_000_000L;
    public static final long FULL = 1_000_000_000L;

    private BlockEmission() {
    }

    /** The emission for an issuance; k is the largest integer with {@code 2^k (S - I) <= S}. */
    public static long of(long issuance) {
        if (issuance >= SUPPLY) {
            return 0;
        }
        long remaining = SUPPLY - Math.max(0, issuance);
        int k = 0;
        while (k < 62 && (remaining << (k + 1)) > 0 && (remaining << (k + 1)) <= SUPPLY) {
            k++;
        }
        return FULL >> Math.min(k, 63);
    }
}

package io.cortex.ledger.fixed;

import java.util.Arrays;

/** Vector operations of subtensor's {@code math.rs} over I32F32 bits (yuma.md section 1). */
public final class FixedVector {
    private FixedVector() {
    }

    /** {@code sum}: plain addition, as the runtime's {@code Iterator::sum}. */
    public static long sum(long[] x) {
        long s = 0;
        for (long v : x) {
            s += v;
        }
        return s;
    }

    /** {@code normalize}: a copy divided by its sum; left as is when the sum is exactly 0. */
    public static long[] normalize(long[] x) {
        return normalizeWithSum(x, sum(x));
    }

    /** {@code inplace_normalize_using_sum} on a copy: every element divided by the given sum unless it is 0. */
    public static long[] normalizeWithSum(long[] x, long sum) {
        long[] out = x.clone();
        if (sum == 0) {
            return out;
        }
        InvariantDivisor divisor = new InvariantDivisor(sum);
        for (int i = 0; i < out.length; i++) {
            out[i] = divisor.divideFixed(out[i]);
        }
        return out;
    }

    /** {@code is_topk}: true for the k largest; a stable ascending sort drops the first n-k (higher index wins ties). */
    public static boolean[] isTopK(long[] x, int k) {
        boolean[] result = new boolean[x.length];
        Arrays.fill(result, true);
        clearAllButTopK(x, k, result);
        return result;
    }

    /** {@code is_topk_nonzero}: as {@link #isTopK}, and never for a zero element. */
    public static boolean[] isTopKNonZero(long[] x, int k) {
        boolean[] result = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            result[i] = x[i] != 0;
        }
        clearAllButTopK(x, k, result);
        return result;
    }

    private static void clearAllButTopK(long[] x, int k, boolean[] result) {
        int n = x.length;
        if (n < k) {
            return;
        }
        // Sort (value, index) pairs; equal values keep index order, as Rust's stable sort does.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(x[a], x[b]));
        for (int r = 0; r < n - k; r++) {
            result[order[r]] = false;
        }
    }

    /**
     * {@code vec_max_upscale_to_u16}: scales so that the largest becomes 65535, rounding half away from
     * zero. The two formulas of subtensor (for a maximum above 32768 it divides 65535 by the maximum
     * first) are kept because they round differently.
     */
    public static int[] maxUpscaleToU16(long[] x) {
        int[] out = new int[x.length];
        if (x.length == 0) {
            return out;
        }
        long max = Long.MIN_VALUE;
        for (long v : x) {
            max = Math.max(max, v);
        }
        long threshold = 32768L << I32F32.FRAC_BITS;
        for (int i = 0; i < x.length; i++) {
            if (max == 0) {
                out[i] = I32F32.toU16(I32F32.mul(x[i], I32F32.U16_MAX));
            } else if (max > threshold) {
                out[i] = I32F32.toU16(I32F32.round(I32F32.mul(x[i], I32F32.div(I32F32.U16_MAX, max))));
            } else {
                out[i] = I32F32.toU16(I32F32.round(I32F32.div(I32F32.mul(x[i], I32F32.U16_MAX), max)));
            }
        }
        return out;
    }

    /** {@code vec_u16_max_upscale_to_u16}: the set_weights upscaling of raw u16 values. */
    public static int[] maxUpscaleU16(int[] weights) {
        long[] fixed = new long[weights.length];
        for (int i = 0; i < weights.length; i++) {
            fixed[i] = I32F32.fromInt(weights[i]);
        }
        return maxUpscaleToU16(fixed);
    }
}

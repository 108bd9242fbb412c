package io.cortex.ledger.yuma;

import io.cortex.ledger.fixed.I32F32;
import io.cortex.ledger.fixed.SparseMatrix;

/**
 * Liquid alpha (yuma.md section 4.12): a bond EMA coefficient per (validator, miner) from a sigmoid of how
 * far the validator's weight is ahead of consensus (when buying) or its bond ahead of its weight (when
 * selling). Subtensor computes a dense n x n matrix of coefficients but only reads those of entries the
 * validator's current weight row holds, so only those are computed here.
 */
final class LiquidAlpha {
    private static final long MINUS_HUNDRED = I32F32.fromInt(-100);

    private final long low;
    private final long high;
    private final long steepness;

    private LiquidAlpha(long low, long high, long steepness) {
        this.low = low;
        this.high = high;
        this.steepness = steepness;
    }

    static LiquidAlpha of(Hyperparameters hyper) {
        return new LiquidAlpha(I32F32.fromU16Proportion(hyper.alphaLow()), I32F32.fromU16Proportion(hyper.alphaHigh()),
                I32F32.fromInt(hyper.alphaSigmoidSteepness()));
    }

    /** One coefficient per entry of {@code weights}, by entry index. */
    long[] coefficients(SparseMatrix weights, SparseMatrix bonds, long[] consensus) {
        long[] alpha = new long[weights.nonZeros()];
        for (int i = 0; i < weights.rows(); i++) {
            int kb = bonds.rowStart(i);
            int eb = bonds.rowEnd(i);
            for (int k = weights.rowStart(i); k < weights.rowEnd(i); k++) {
                int j = weights.column(k);
                while (kb < eb && bonds.column(kb) < j) {
                    kb++;
                }
                long bond = kb < eb && bonds.column(kb) == j ? bonds.value(kb) : 0;
                alpha[k] = sigmoid(consensus[j], weights.value(k), bond);
            }
        }
        return alpha;
    }

    /** {@code liquid_alpha_sigmoid}: alpha_low + sigmoid(steepness, diff) (alpha_high - alpha_low), clamped. */
    long sigmoid(long consensus, long weight, long bond) {
        long diff = weight >= bond
                ? clamp(I32F32.sub(weight, consensus), 0, I32F32.ONE)
                : clamp(I32F32.sub(bond, weight), 0, I32F32.ONE);
        long exponent = I32F32.mul(I32F32.saturatingDiv(steepness, MINUS_HUNDRED), I32F32.sub(diff, I32F32.HALF));
        long sigmoid = I32F32.saturatingDiv(I32F32.ONE, I32F32.add(I32F32.ONE, I32F32.expSafe(exponent)));
        long alpha = I32F32.add(low, I32F32.mul(sigmoid, I32F32.sub(high, low)));
        return clamp(alpha, low, high);
    }

    private static long clamp(long x, long lo, long hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}

package io.cortex.ledger.pool;

/**
 * The subnet pool of yuma.md section 6: a Balancer-style weighted pool of TAO (reserve y, weight w2) and
 * alpha (reserve x, weight w1 = 1 - w2). Pure functions over the reserves; the caller moves the amounts.
 *
 * <p>Amounts are whole rao, always rounded in the pool's favour (outputs floored), so a swap never pays out
 * more than the reserves hold. The fractional powers use {@link StrictMath}, whose results are the same on
 * every JVM, so every ledger computes the same amounts.
 */
public final class WeightedPool {
    /** A weight may not leave [0.01, 0.99]; an injection that would push it out is refused. */
    public static final double MIN_WEIGHT = 0.01;
    public static final double MAX_WEIGHT = 0.99;
    /** The output side must hold at least this much for a swap to run. */
    public static final long MIN_OUTPUT_RESERVE = 1_000_000;
    /** A swap's net input may be at most this many times the input-side reserve. */
    public static final long MAX_INPUT_RATIO = 1000;
    public static final long RAO_PER_UNIT = 1_000_000_000L;

    private WeightedPool() {
    }

    /** Spot price, TAO per alpha: {@code (w1 / w2) (y / x)}. */
    public static double price(long tao, long alpha, double taoWeight) {
        if (alpha <= 0) {
            return 0;
        }
        return (1 - taoWeight) / taoWeight * ((double) tao / alpha);
    }

    /** The price as rao of TAO per whole alpha, the unit limit prices are given in. */
    public static long priceRao(long tao, long alpha, double taoWeight) {
        return (long) Math.min(Long.MAX_VALUE, Math.floor(price(tao, alpha, taoWeight) * RAO_PER_UNIT));
    }

    /**
     * Alpha out for {@code taoIn} net TAO in: {@code x (1 - (y / (y + dy))^(w2 / w1))}, floored, or -1 when
     * the pool refuses the swap (input above 1000 x the reserve, output reserve below the minimum).
     */
    public static long alphaOut(long tao, long alpha, double taoWeight, long taoIn) {
        if (taoIn <= 0 || tao <= 0 || alpha < MIN_OUTPUT_RESERVE || taoIn / MAX_INPUT_RATIO > tao) {
            return -1;
        }
        double exponent = taoWeight / (1 - taoWeight);
        return floorShare(alpha, exponent, (double) taoIn / tao);
    }

    /** TAO out for {@code alphaIn} alpha in: {@code y (1 - (x / (x + dx))^(w1 / w2))}, floored, or -1 if refused. */
    public static long taoOut(long tao, long alpha, double taoWeight, long alphaIn) {
        if (alphaIn <= 0 || alpha <= 0 || tao < MIN_OUTPUT_RESERVE || alphaIn / MAX_INPUT_RATIO > alpha) {
            return -1;
        }
        double exponent = (1 - taoWeight) / taoWeight;
        return floorShare(tao, exponent, (double) alphaIn / alpha);
    }

    /**
     * {@code floor(reserve (1 - (1 + ratio)^-exponent))}, computed as {@code -expm1(-exponent log1p(ratio))}
     * so that small trades keep their precision, and kept strictly below the reserve.
     */
    private static long floorShare(long reserve, double exponent, double ratio) {
        double share = -StrictMath.expm1(-exponent * StrictMath.log1p(ratio));
        long out = (long) Math.floor(reserve * share);
        return Math.max(0, Math.min(out, reserve - 1));
    }

    /**
     * The TAO weight after adding (taoIn, alphaIn) to the reserves at an unchanged price:
     * {@code w2' = w2 x (y + dy) / (w1 y (x + dx) + w2 x (y + dy))}; NaN when it would leave [0.01, 0.99].
     */
    public static double reweighted(long tao, long alpha, double taoWeight, long taoIn, long alphaIn) {
        double w1 = 1 - taoWeight;
        double a = taoWeight * (double) alpha * ((double) tao + taoIn);
        double b = w1 * (double) tao * ((double) alpha + alphaIn);
        double w2 = a / (a + b);
        return w2 >= MIN_WEIGHT && w2 <= MAX_WEIGHT ? w2 : Double.NaN;
    }

    /** The fee on an amount: {@code floor(amount * feeRate / 65535)}. */
    public static long fee(long amount, int feeRate) {
        // (q * 65535 + r) * f / 65535 = q * f + r * f / 65535, exact without overflow for any amount
        return amount / 65535 * feeRate + amount % 65535 * feeRate / 65535;
    }
}

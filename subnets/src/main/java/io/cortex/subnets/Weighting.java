package io.cortex.subnets;

import java.util.Locale;

/**
 * How a validator turns its miners' scores into weights. With {@code overBaseline} a miner's value is its
 * margin over the subnet's baseline (the baseline model's score, measured by the same validator on the same
 * kind of tasks), floored at 0; without, its score. Values are scaled to the best miner's and raised to
 * {@code sharpness}.
 *
 * <p>The default, margin over the baseline squared, is what holds back sybil swarms: ten weak miners of one
 * owner, each a little above a trivial answer's score, out-earn one strong miner when weights are linear in
 * the raw score, and earn a tenth of it this way (SIMULATE.md). It is also the rule that pays only for
 * evidence of value: a miner no better than the open baseline earns nothing.
 */
public record Weighting(boolean overBaseline, double sharpness) {
    /** Margin over the baseline, squared. */
    public static final Weighting DEFAULT = new Weighting(true, 2);
    /** The largest sharpness accepted. */
    public static final double MAX_SHARPNESS = 16;

    public Weighting {
        if (!(sharpness > 0 && sharpness <= MAX_SHARPNESS)) {
            throw new IllegalArgumentException("sharpness must be in (0, " + MAX_SHARPNESS + "], not " + sharpness);
        }
    }

    /** Weights linear in the raw score. */
    public static Weighting linear() {
        return new Weighting(false, 1);
    }

    /** By name: {@code over-baseline} ({@link #DEFAULT}) or {@code linear}. */
    public static Weighting named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "over-baseline" -> DEFAULT;
            case "linear" -> linear();
            default -> throw new IllegalArgumentException("weighting must be over-baseline or linear, not '" + name + "'");
        };
    }

    /**
     * Each score's weight in [0, 1], the best miner's 1; a score that is NaN (no score yet) gets 0. Null when
     * no miner has a positive value (no weights to set).
     */
    public double[] values(double[] scores, double baselineScore) {
        double[] value = new double[scores.length];
        double max = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                continue;
            }
            value[i] = Math.max(0, overBaseline ? scores[i] - baselineScore : scores[i]);
            max = Math.max(max, value[i]);
        }
        if (max <= 0) {
            return null;
        }
        for (int i = 0; i < value.length; i++) {
            value[i] = Math.pow(value[i] / max, sharpness);
        }
        return value;
    }
}

package io.cortex.ledger.emission;

import java.util.List;

/**
 * How a block's TAO emission is split across the subnets that emit (yuma.md section 5.3). Pluggable so that
 * policies can be compared on the same scenario; each built-in one has a name to pick it by in config and
 * scenarios.
 */
public interface EmissionPolicy {

    /** What a policy may read of each emitting subnet. */
    record SubnetSignal(int netuid, double movingPrice, double minerBurned, double netTaoFlow) {
    }

    String name();

    /**
     * Each subnet's share of the block emission, in the order given: non-negative, summing to at most 1
     * (what is left is recycled).
     */
    double[] shares(List<SubnetSignal> subnets);

    /** The built-in policy of that name: {@code price-ema} (default), {@code net-tao-flow}, {@code equal}. */
    static EmissionPolicy named(String name) {
        return switch (name) {
            case "price-ema" -> new PriceEmaPolicy();
            case "net-tao-flow" -> new NetTaoFlowPolicy();
            case "equal" -> new EqualSharesPolicy();
            default -> throw new IllegalArgumentException(
                    "unknown emission policy '" + name + "' (price-ema, net-tao-flow, equal)");
        };
    }

    /** Normalises to sum 1; all zeros stay zeros. */
    static double[] normalised(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += Math.max(0, w);
        }
        double[] out = new double[weights.length];
        if (sum > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.max(0, weights[i]) / sum;
            }
        }
        return out;
    }
}

package io.cortex.ledger.yuma;

/**
 * The subnet hyper-parameters one epoch reads (epoch-io.md {@code hyper}; yuma.md section 2).
 *
 * @param kappa consensus majority, u16 proportion
 * @param bondsPenalty u16 proportion: 0 builds bonds from raw weights, 65535 from clipped weights
 * @param bondsMovingAverage millionths; the bonds EMA keeps this much of the old bonds
 * @param yuma3 the Yuma3 bond and dividend branch (section 4.12) instead of the original (4.11)
 * @param liquidAlpha per-bond EMA coefficients from a sigmoid (Yuma3 only)
 * @param alphaLow liquid alpha lower bound, u16 proportion
 * @param alphaHigh liquid alpha upper bound, u16 proportion
 * @param alphaSigmoidSteepness liquid alpha sigmoid steepness (i16; slope = steepness / 100)
 * @param maxAllowedValidators how many uids get a validator permit
 * @param activityCutoffFactorMilli activity cutoff = max(1, floor(factor * tempo / 1000)) blocks
 * @param stakeThreshold rao a uid needs to count as staked (the owner is exempt)
 * @param meanConsensus a miner's consensus weight is the active stake's mean weight on it (section 4.7,
 *                      mean consensus) instead of the kappa median; Cortex's own, no subtensor vectors
 */
public record Hyperparameters(
        int kappa,
        int bondsPenalty,
        long bondsMovingAverage,
        boolean yuma3,
        boolean liquidAlpha,
        int alphaLow,
        int alphaHigh,
        int alphaSigmoidSteepness,
        int maxAllowedValidators,
        long activityCutoffFactorMilli,
        long stakeThreshold,
        boolean meanConsensus) {

    /** The Yuma variants' parameters with the kappa median (mean consensus off). */
    public Hyperparameters(int kappa, int bondsPenalty, long bondsMovingAverage, boolean yuma3, boolean liquidAlpha,
                           int alphaLow, int alphaHigh, int alphaSigmoidSteepness, int maxAllowedValidators,
                           long activityCutoffFactorMilli, long stakeThreshold) {
        this(kappa, bondsPenalty, bondsMovingAverage, yuma3, liquidAlpha, alphaLow, alphaHigh, alphaSigmoidSteepness,
                maxAllowedValidators, activityCutoffFactorMilli, stakeThreshold, false);
    }

    /** A copy with mean consensus on or off. */
    public Hyperparameters withMeanConsensus(boolean on) {
        return new Hyperparameters(kappa, bondsPenalty, bondsMovingAverage, yuma3, liquidAlpha, alphaLow, alphaHigh,
                alphaSigmoidSteepness, maxAllowedValidators, activityCutoffFactorMilli, stakeThreshold, on);
    }

    /** Values that {@code init_new_network} writes for a new subnet (yuma.md section 2). */
    public static Hyperparameters defaults() {
        return new Hyperparameters(32767, 65535, 900_000, true, false, 45875, 58982, 1000, 64, 13889, 0);
    }
}

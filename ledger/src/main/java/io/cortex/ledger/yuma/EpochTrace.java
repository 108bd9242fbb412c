package io.cortex.ledger.yuma;

import io.cortex.ledger.fixed.SparseMatrix;

/**
 * Every intermediate quantity of one epoch, in I32F32 bits, so that {@code explain} can show the
 * derivation of a payout (stake, consensus, clipping, trust, incentive, bonds, dividends).
 *
 * @param stake normalised stake S
 * @param activeStake A
 * @param permit the permits this epoch masked with
 * @param weights W after masking and row normalisation
 * @param consensus C
 * @param clippedWeights min(W, C)
 * @param validatorTrust row sums of the clipped weights
 * @param incentive I
 * @param bonds bonds after the EMA (column-normalised for original Yuma, absolute for Yuma3)
 * @param dividends D
 * @param output what the epoch wrote
 */
public record EpochTrace(
        EpochInput input,
        long[] stake,
        long[] activeStake,
        boolean[] permit,
        SparseMatrix weights,
        long[] consensus,
        SparseMatrix clippedWeights,
        long[] validatorTrust,
        long[] incentive,
        SparseMatrix bonds,
        long[] dividends,
        EpochOutput output) {
}

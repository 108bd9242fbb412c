package io.cortex.ledger.yuma;

import io.cortex.ledger.fixed.Chunks;
import io.cortex.ledger.fixed.FixedVector;
import io.cortex.ledger.fixed.I32F32;
import io.cortex.ledger.fixed.I64F64;
import io.cortex.ledger.fixed.I96F32;
import io.cortex.ledger.fixed.InvariantDivisor;
import io.cortex.ledger.fixed.KappaMedian;
import io.cortex.ledger.fixed.SparseMatrix;

/**
 * One Yuma epoch: the pure function {@code EpochInput -> EpochOutput} of yuma.md section 4, bit-exact with
 * subtensor's sparse {@code epoch_mechanism}. It reads as that function does: one named step after
 * another, each a method below with the spec section it implements; the arithmetic lives in
 * {@code io.cortex.ledger.fixed}.
 *
 * <p>All vectors are I32F32 bits unless named otherwise.
 */
public final class YumaEpoch {
    private YumaEpoch() {
    }

    public static EpochOutput run(EpochInput in) {
        return trace(in).output();
    }

    /** Runs the epoch and keeps every intermediate quantity, for {@code explain}. */
    public static EpochTrace trace(EpochInput in) {
        int n = in.n();
        Hyperparameters hyper = in.hyper();

        boolean[] active = activity(in);
        long[] stake = stake(in);
        boolean[] permit = previousPermits(in);
        boolean[] newPermit = validatorPermits(in, stake);
        long[] activeStake = activeStake(stake, active, permit);

        SparseMatrix weights = weights(in, permit);
        long[] consensus = consensus(weights, activeStake, hyper);
        SparseMatrix clippedWeights = weights.clipColumns(consensus);
        long[] validatorTrust = clippedWeights.rowSums();
        long[] incentive = incentive(clippedWeights, activeStake);
        SparseMatrix weightsForBonds = SparseMatrix.interpolate(weights, clippedWeights,
                I32F32.fromU16Proportion(hyper.bondsPenalty()));

        Bonds bonds = hyper.yuma3()
                ? yuma3Bonds(in, weightsForBonds, consensus, incentive, activeStake)
                : yumaBonds(in, weightsForBonds, incentive, activeStake);

        Split split = emissionSplit(incentive, bonds.dividends(), activeStake, stake);
        EpochOutput output = new EpochOutput(
                active,
                toU16(stake),
                newPermit,
                toU16(consensus),
                toU16(validatorTrust),
                toU16(incentive),
                toU16(bonds.dividends()),
                amounts(split.server(), in.emission()),
                amounts(split.validator(), in.emission()),
                amounts(split.combined(), in.emission()),
                storedBonds(bonds.stored(), newPermit, n));
        return new EpochTrace(in, stake, activeStake, permit, weights, consensus, clippedWeights, validatorTrust,
                incentive, bonds.ema(), bonds.dividends(), output);
    }

    // §4.2 A uid is active when it set weights (or registered) within the activity cutoff.
    static boolean[] activity(EpochInput in) {
        long cutoff = Math.max(1, in.hyper().activityCutoffFactorMilli() * in.tempo() / 1000);
        boolean[] active = new boolean[in.n()];
        for (int i = 0; i < in.n(); i++) {
            active[i] = !(saturatingAdd(in.lastUpdate()[i], cutoff) < in.block());
        }
        return active;
    }

    // §4.3 Stakes below the threshold count as zero (the owner is exempt); normalise in I64F64.
    static long[] stake(EpochInput in) {
        long[] filtered = in.stake().clone();
        for (int i = 0; i < in.n(); i++) {
            if (i != in.ownerUid() && filtered[i] < in.hyper().stakeThreshold()) {
                filtered[i] = 0;
            }
        }
        return I64F64.normalizeToI32F32(filtered);
    }

    // §4.4 This epoch masks with the permits the previous epoch wrote; the owner always has one.
    static boolean[] previousPermits(EpochInput in) {
        boolean[] permit = in.validatorPermit().clone();
        if (in.hasOwner()) {
            permit[in.ownerUid()] = true;
        }
        return permit;
    }

    // §4.4 New permits for the next epoch: the top max_allowed_validators non-zero stakes, and the owner.
    static boolean[] validatorPermits(EpochInput in, long[] stake) {
        boolean[] permit = FixedVector.isTopKNonZero(stake, in.hyper().maxAllowedValidators());
        if (in.hasOwner()) {
            permit[in.ownerUid()] = true;
        }
        return permit;
    }

    // §4.5 Active stake: stake of active, permitted uids, normalised.
    static long[] activeStake(long[] stake, boolean[] active, boolean[] permit) {
        long[] a = stake.clone();
        for (int i = 0; i < a.length; i++) {
            if (!active[i] || !permit[i]) {
                a[i] = 0;
            }
        }
        return FixedVector.normalize(a);
    }

    // §4.6 Weights: rows of permitted validators, no self-weight but the owner's, none set before the
    // target registered, none a pending commit predates (commit-reveal); then row-normalised.
    static SparseMatrix weights(EpochInput in, boolean[] permit) {
        int n = in.n();
        StoredMatrix stored = in.weights();
        long lastRegistration = 0;
        for (long r : in.blockAtRegistration()) {
            lastRegistration = Math.max(lastRegistration, r);
        }
        long latest = lastRegistration;
        int chunks = Chunks.count(stored.nonZeros());
        int[] bounds = Chunks.rowBounds(n, stored::rowEnd, chunks);
        boolean[] wholeRow = new boolean[n];
        int[] kept = new int[n];
        long[] rowSum = new long[n];
        Chunks.run(chunks, c -> {
            for (int i = bounds[c]; i < bounds[c + 1]; i++) {
                wholeRow[i] = keepsWholeRow(in, permit, i, latest);
                for (int k = stored.rowStart(i); k < stored.rowEnd(i); k++) {
                    if (wholeRow[i] || keepWeight(in, permit, i, stored.column(k))) {
                        kept[i]++;
                        rowSum[i] += stored.value(k);
                    }
                }
            }
        });
        boolean allKept = true;
        int[] rowStart = new int[n + 1];
        for (int i = 0; i < n; i++) {
            rowStart[i + 1] = rowStart[i] + kept[i];
            allKept &= kept[i] == stored.rowEnd(i) - stored.rowStart(i);
        }
        long[] val = new long[rowStart[n]];
        int[] col = allKept ? null : new int[rowStart[n]];
        Chunks.run(chunks, c -> {
            for (int i = bounds[c]; i < bounds[c + 1]; i++) {
                // Row normalisation of raw u16 values u: I32F32.div(u << 32, sum << 32) = (u << 32) / sum.
                InvariantDivisor divisor = rowSum[i] > 0 ? new InvariantDivisor(rowSum[i]) : null;
                int e = rowStart[i];
                for (int k = stored.rowStart(i); k < stored.rowEnd(i); k++) {
                    int j = stored.column(k);
                    if (wholeRow[i] || keepWeight(in, permit, i, j)) {
                        long u = stored.value(k);
                        val[e] = divisor == null ? 0 : divisor.divide(u << I32F32.FRAC_BITS);
                        if (col != null) {
                            col[e] = j;
                        }
                        e++;
                    }
                }
            }
        });
        return allKept ? stored.withValues(n, val) : SparseMatrix.fromArrays(n, rowStart, col, val);
    }

    /**
     * Whether every stored weight of row i counts without looking at each: a permitted validator that set
     * its weights after the latest registration, with no commit older than it and no self-weight to drop.
     */
    private static boolean keepsWholeRow(EpochInput in, boolean[] permit, int i, long latestRegistration) {
        long[] commit = in.earliestCommitBlock();
        boolean selfWeight = i != in.ownerUid() && in.weights().contains(i, i);
        return permit[i] && !selfWeight && in.lastUpdate()[i] > latestRegistration
                && (commit == null || commit[i] >= latestRegistration);
    }

    /** Whether validator i's stored weight on uid j counts (§4.6 steps 1 to 4). */
    private static boolean keepWeight(EpochInput in, boolean[] permit, int i, int j) {
        boolean selfWeight = j == i && i != in.ownerUid();
        boolean outdated = in.lastUpdate()[i] <= in.blockAtRegistration()[j];
        long[] commit = in.earliestCommitBlock();
        boolean committedBeforeRegistration = commit != null && commit[i] < in.blockAtRegistration()[j];
        return permit[i] && !selfWeight && !outdated && !committedBeforeRegistration;
    }

    // §4.7 Consensus per miner: the kappa median of its weights by active stake or, with mean consensus, their
    // mean by active stake (one pass over the weights, no sort: the variant for subnets of tens of thousands of
    // uids). Clipping, ranks, bonds and dividends are the same either way.
    static long[] consensus(SparseMatrix weights, long[] activeStake, Hyperparameters hyper) {
        return hyper.meanConsensus()
                ? weights.leftMultiply(activeStake)
                : KappaMedian.columnMedians(activeStake, weights, I32F32.fromU16Proportion(hyper.kappa()));
    }

    // §4.9 Ranks R_j = sum_i A_i * clipped W_ij, normalised into incentive.
    static long[] incentive(SparseMatrix clippedWeights, long[] activeStake) {
        return FixedVector.normalize(clippedWeights.leftMultiply(activeStake));
    }

    /** The uids registered in or after the last tempo's block: their columns of old bonds are dropped. */
    static boolean[] registeredSinceLastTempo(EpochInput in) {
        long limit = lastTempo(in);
        boolean[] recent = new boolean[in.n()];
        for (int j = 0; j < recent.length; j++) {
            recent[j] = limit <= in.blockAtRegistration()[j];
        }
        return recent;
    }

    /** Bonds after the EMA, the matrix to store (before u16 conversion) and the dividends. */
    record Bonds(SparseMatrix ema, SparseMatrix stored, long[] dividends) {
    }

    // §4.11 Original Yuma: column-normalised bonds, EMA with W∘A, dividends from bonds × incentive.
    static Bonds yumaBonds(EpochInput in, SparseMatrix weightsForBonds, long[] incentive, long[] activeStake) {
        int n = in.n();
        SparseMatrix bonds = in.bonds().toFixed(n)
                .dropColumns(registeredSinceLastTempo(in))
                .columnNormalize();
        SparseMatrix delta = weightsForBonds.scaleRows(activeStake).columnNormalize();
        long alpha = I64F64.bondsEmaAlpha(in.hyper().bondsMovingAverage());
        SparseMatrix ema = SparseMatrix.ema(delta, bonds, alpha).columnNormalize();
        long[] dividends = FixedVector.normalize(ema.rightMultiply(incentive));
        return new Bonds(ema, ema.columnMaxUpscale(), dividends);
    }

    // §4.12 Yuma3: absolute bonds in [0, 1], EMA of the weights themselves (liquid alpha optional),
    // dividends from column-normalised bonds × incentive × active stake.
    static Bonds yuma3Bonds(EpochInput in, SparseMatrix weightsForBonds, long[] consensus, long[] incentive,
                            long[] activeStake) {
        int n = in.n();
        Hyperparameters hyper = in.hyper();
        SparseMatrix bonds = in.bonds().toProportions(n)
                .dropColumns(registeredSinceLastTempo(in));
        SparseMatrix ema;
        if (hyper.liquidAlpha() && anyNonZero(consensus)) {
            long[] alpha = LiquidAlpha.of(hyper).coefficients(weightsForBonds, bonds, consensus);
            ema = SparseMatrix.emaPerEntry(weightsForBonds, bonds, alpha);
        } else {
            ema = SparseMatrix.ema(weightsForBonds, bonds, I64F64.bondsEmaAlpha(hyper.bondsMovingAverage()));
        }
        long[] perValidator = ema.columnNormalizedRightMultiply(incentive);
        long[] dividends = new long[n];
        for (int i = 0; i < n; i++) {
            // vec_mul uses checked_mul(..).unwrap_or_default(): an overflow counts as 0
            dividends[i] = I32F32.mulOrZero(perValidator[i], activeStake[i]);
        }
        return new Bonds(ema, ema, FixedVector.normalize(dividends));
    }

    // §4.11 step 1: bonds to a uid registered at or after this block are masked.
    static long lastTempo(EpochInput in) {
        if (in.lastMechanismStepBlock() == 0) {
            return Math.max(0, in.block() - in.tempo());
        }
        return saturatingAdd(in.lastMechanismStepBlock(), 1);
    }

    /** Normalised emission shares: miners, validators and combined. */
    record Split(long[] server, long[] validator, long[] combined) {
    }

    // §4.14 Emission split: incentive and dividends normalised by their joint sum; with no consensus at
    // all, validators are paid by active stake (or by stake when nobody is active).
    static Split emissionSplit(long[] incentive, long[] dividends, long[] activeStake, long[] stake) {
        long[] combined = new long[incentive.length];
        for (int i = 0; i < combined.length; i++) {
            combined[i] = I32F32.add(incentive[i], dividends[i]);
        }
        long sum = FixedVector.sum(combined);
        long[] server = FixedVector.normalizeWithSum(incentive, sum);
        long[] validator = FixedVector.normalizeWithSum(dividends, sum);
        long[] combinedShare = FixedVector.normalize(combined);
        if (sum == 0) {
            long[] fallback = FixedVector.sum(activeStake) == 0 ? stake : activeStake;
            validator = fallback;
            combinedShare = fallback;
        }
        return new Split(server, validator, combinedShare);
    }

    // §4.13 Bond storage: a permitted uid keeps its new row; every other row is written empty.
    static StoredMatrix storedBonds(SparseMatrix bonds, boolean[] newPermit, int n) {
        SparseMatrix.U16Rows rows = bonds.toU16Proportions(newPermit);
        return StoredMatrix.fromArrays(rows.rowStart(), rows.column(), rows.value());
    }

    private static int[] toU16(long[] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = I32F32.toU16Proportion(x[i]);
        }
        return out;
    }

    private static long[] amounts(long[] share, long emission) {
        long[] out = new long[share.length];
        for (int i = 0; i < share.length; i++) {
            out[i] = I96F32.mulFloor(share[i], emission);
        }
        return out;
    }

    private static boolean anyNonZero(long[] x) {
        for (long v : x) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < a ? Long.MAX_VALUE : r;
    }
}

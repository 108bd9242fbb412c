package io.cortex.ledger.fixed;

/**
 * The stake-weighted kappa median of yuma.md section 4.7 ({@code weighted_median} and
 * {@code weighted_median_col_sparse}): for each column, the score that validators holding at least kappa
 * of the active stake reach. The partition uses the middle element of the current index list as pivot,
 * never a random one, so the result is bit-exact and deterministic.
 *
 * <p>Instances hold scratch buffers and are not thread-safe; the static entry points make their own.
 */
public final class KappaMedian {
    private int[] current;
    private int[] lower;
    private int[] upper;

    private KappaMedian(int size) {
        current = new int[Math.max(size, 1)];
        lower = new int[Math.max(size, 1)];
        upper = new int[Math.max(size, 1)];
        scratchScore = new long[Math.max(size, 1)];
        scratchStake = new long[Math.max(size, 1)];
        nextInBucket = new int[Math.max(size, 1)];
    }

    /**
     * {@code weighted_median(stake, score, partition, minority, lo, hi)}.
     *
     * @param partition the indices to consider, in order (the order decides the pivots, not the result)
     */
    public static long weightedMedian(long[] stake, long[] score, int[] partition, long minority, long lo, long hi) {
        KappaMedian m = new KappaMedian(partition.length);
        System.arraycopy(partition, 0, m.current, 0, partition.length);
        return m.median(stake, score, partition.length, minority, lo, hi);
    }

    /**
     * Consensus per column ({@code weighted_median_col_sparse}): only rows with positive stake vote; their
     * stakes are renormalised to sum s, and the median is taken with minority {@code s - kappa}. A vote
     * absent from a row counts as score 0.
     *
     * <p>The partition algorithm returns the smallest score x whose cumulative stake F(x) (the stake of
     * voters scoring at most x) exceeds the minority, or the largest score when none does: every sum it
     * forms is an exact integer sum, so the value does not depend on the order it visits scores in. This
     * computes the same value faster: the stake of each column is bucketed by the top bits of the score,
     * the bucket where F crosses the minority is found in one sweep, and only that bucket goes through the
     * partition algorithm. {@code KappaMedianTest} checks both against each other.
     *
     * @param stake active stake per row (I32F32 bits)
     * @param scores row-normalised weights
     * @param kappa the majority ratio (I32F32 bits)
     */
    public static long[] columnMedians(long[] stake, SparseMatrix scores, long kappa) {
        int rows = scores.rows();
        int columns = scores.columns();
        boolean[] votes = new boolean[rows];
        int voters = 0;
        for (int i = 0; i < rows; i++) {
            votes[i] = stake[i] > 0;
            voters += votes[i] ? 1 : 0;
        }
        long[] median = new long[columns];
        if (voters == 0) {
            return median;
        }
        long[] voterStake = new long[voters];
        for (int i = 0, v = 0; i < rows; i++) {
            if (votes[i]) {
                voterStake[v++] = stake[i];
            }
        }
        voterStake = FixedVector.normalize(voterStake);
        long stakeSum = FixedVector.sum(voterStake);
        long minority = I32F32.sub(stakeSum, kappa);

        // Walk the columns in order with one cursor per voter row (rows hold ascending columns), so each
        // column's scores are gathered densely without transposing the matrix. Chunks of columns are
        // independent and run in parallel for large matrices.
        int[] voterRow = new int[voters];
        for (int i = 0, v = 0; i < rows; i++) {
            if (votes[i]) {
                voterRow[v++] = i;
            }
        }
        int chunks = Math.min(Chunks.count(scores.nonZeros()), Math.max(1, columns));
        int[] bounds = Chunks.evenBounds(columns, chunks);
        long[] stakeOfVoter = voterStake;
        int voterCount = voters;
        Chunks.run(chunks, c -> new KappaMedian(voterCount).medians(scores, voterRow, stakeOfVoter, stakeSum, minority,
                bounds[c], bounds[c + 1], median));
        return median;
    }

    /** Writes {@code median[j]} for the columns [from, to). */
    private void medians(SparseMatrix scores, int[] voterRow, long[] voterStake, long stakeSum, long minority,
                         int from, int to, long[] median) {
        int voters = voterRow.length;
        int[] cursor = new int[voters];
        int[] end = new int[voters];
        for (int v = 0; v < voters; v++) {
            int i = voterRow[v];
            cursor[v] = scores.firstEntryFrom(i, from);
            end[v] = scores.rowEnd(i);
        }
        long[] columnScore = new long[voters];
        for (int j = from; j < to; j++) {
            int positives = 0;
            long positiveStake = 0;
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int v = 0; v < voters; v++) {
                int k = cursor[v];
                long x = 0;
                if (k < end[v] && scores.column(k) == j) {
                    x = scores.value(k);
                    cursor[v] = k + 1;
                    if (x > 0) {
                        positives++;
                        positiveStake += voterStake[v];
                        min = Math.min(min, x);
                        max = Math.max(max, x);
                    } else if (x < 0) {
                        throw new IllegalArgumentException("weights are never negative, got " + I32F32.toString(x));
                    }
                }
                columnScore[v] = x;
            }
            // voters scoring 0 (no entry, or an explicit 0) hold exactly stakeSum - positiveStake
            median[j] = select(columnScore, voterStake, positives, stakeSum - positiveStake, min, max, minority);
        }
    }

    private static final int BUCKET_BITS = 8;
    private static final int GROUP_BITS = 4;
    private final long[] bucketStake = new long[1 << BUCKET_BITS];
    private final long[] groupStake = new long[1 << (BUCKET_BITS - GROUP_BITS)];
    /** Per bucket its last voter + 1 (0: empty); with {@link #nextInBucket} a list of the bucket's voters. */
    private final int[] bucketHead = new int[1 << BUCKET_BITS];
    private final int[] nextInBucket;
    private final long[] scratchScore;
    private final long[] scratchStake;

    /**
     * The median of one column: {@code score[v]} of every voter v (0 for those without an entry), of which
     * {@code positives} are above zero, between {@code min} and {@code max}, and the zero scores hold
     * {@code zeroStake}.
     */
    private long select(long[] score, long[] stake, int positives, long zeroStake, long min, long max, long minority) {
        int voters = score.length;
        if (positives == 0) {
            return 0;
        }
        if (zeroStake > minority) {
            // F already exceeds the minority below every positive score: the smallest score wins
            return positives < voters ? 0 : min;
        }
        // Bucket the stake by the top bits of the score; F can only cross the minority in a bucket that
        // holds stake, so the walk (16 groups of 16 buckets) never stops at an empty one.
        int shift = Math.max(0, 64 - Long.numberOfLeadingZeros(max) - BUCKET_BITS);
        for (int v = 0; v < voters; v++) {
            long x = score[v];
            if (x > 0) {
                int b = (int) (x >>> shift);
                bucketStake[b] += stake[v];
                groupStake[b >>> GROUP_BITS] += stake[v];
                nextInBucket[v] = bucketHead[b];
                bucketHead[b] = v + 1;
            }
        }
        long result = max;
        long below = zeroStake;
        for (int g = 0; g < groupStake.length; g++) {
            if (below + groupStake[g] <= minority) {
                below += groupStake[g];
                continue;
            }
            for (int b = g << GROUP_BITS; ; b++) {
                long through = below + bucketStake[b];
                if (through > minority) {
                    // the partition algorithm on this bucket's scores alone, with the stake window
                    // [below, through], finds the same score it finds on the whole column
                    int k = 0;
                    for (int v = bucketHead[b] - 1; v >= 0; v = nextInBucket[v] - 1) {
                        scratchScore[k] = score[v];
                        scratchStake[k] = stake[v];
                        current[k] = k;
                        k++;
                    }
                    result = median(scratchStake, scratchScore, k, minority, below, through);
                    break;
                }
                below = through;
            }
            break;
        }
        java.util.Arrays.fill(bucketStake, 0);
        java.util.Arrays.fill(groupStake, 0);
        java.util.Arrays.fill(bucketHead, 0);
        return result;
    }

    private long median(long[] stake, long[] score, int size, long minority, long lo, long hi) {
        int n = size;
        for (int iteration = 0; iteration <= size; iteration++) {
            if (n == 0) {
                return 0;
            }
            if (n == 1) {
                return score[current[0]];
            }
            long pivot = score[current[n / 2]];
            long loStake = 0;
            long hiStake = 0;
            int nLower = 0;
            int nUpper = 0;
            for (int p = 0; p < n; p++) {
                int idx = current[p];
                long s = score[idx];
                if (s == pivot) {
                    continue;
                }
                if (s < pivot) {
                    loStake = I32F32.add(loStake, stake[idx]);
                    lower[nLower++] = idx;
                } else {
                    hiStake = I32F32.add(hiStake, stake[idx]);
                    upper[nUpper++] = idx;
                }
            }
            if (minority < I32F32.add(lo, loStake) && nLower > 0) {
                hi = I32F32.add(lo, loStake);
                int[] t = current;
                current = lower;
                lower = t;
                n = nLower;
            } else if (I32F32.sub(hi, hiStake) <= minority && nUpper > 0) {
                lo = I32F32.sub(hi, hiStake);
                int[] t = current;
                current = upper;
                upper = t;
                n = nUpper;
            } else {
                return pivot;
            }
        }
        return 0;
    }
}

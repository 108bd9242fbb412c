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
     * @param stake active stake per row (I32F32 bits)
     * @param scores row-normalised weights
     * @param kappa the majority ratio (I32F32 bits)
     */
    public static long[] columnMedians(long[] stake, SparseMatrix scores, long kappa) {
        int rows = scores.rows();
        int columns = scores.columns();
        int[] voterOf = new int[rows];
        int voters = 0;
        for (int i = 0; i < rows; i++) {
            voterOf[i] = stake[i] > 0 ? voters++ : -1;
        }
        long[] voterStake = new long[voters];
        for (int i = 0; i < rows; i++) {
            if (voterOf[i] >= 0) {
                voterStake[voterOf[i]] = stake[i];
            }
        }
        voterStake = FixedVector.normalize(voterStake);
        long stakeSum = FixedVector.sum(voterStake);
        long minority = I32F32.sub(stakeSum, kappa);

        // Transpose the voters' entries so each column's scores can be laid out densely in turn.
        int[] columnCount = new int[columns + 1];
        for (int i = 0; i < rows; i++) {
            if (voterOf[i] < 0) {
                continue;
            }
            for (int k = scores.rowStart(i); k < scores.rowEnd(i); k++) {
                columnCount[scores.column(k) + 1]++;
            }
        }
        for (int j = 0; j < columns; j++) {
            columnCount[j + 1] += columnCount[j];
        }
        int[] fill = columnCount.clone();
        int[] entryVoter = new int[columnCount[columns]];
        long[] entryScore = new long[columnCount[columns]];
        for (int i = 0; i < rows; i++) {
            if (voterOf[i] < 0) {
                continue;
            }
            for (int k = scores.rowStart(i); k < scores.rowEnd(i); k++) {
                int slot = fill[scores.column(k)]++;
                entryVoter[slot] = voterOf[i];
                entryScore[slot] = scores.value(k);
            }
        }

        long[] median = new long[columns];
        if (voters == 0) {
            return median;
        }
        KappaMedian m = new KappaMedian(voters);
        long[] columnScore = new long[voters];
        for (int j = 0; j < columns; j++) {
            int from = columnCount[j];
            int to = columnCount[j + 1];
            boolean anyPositive = false;
            for (int e = from; e < to; e++) {
                columnScore[entryVoter[e]] = entryScore[e];
                anyPositive |= entryScore[e] != 0;
            }
            if (anyPositive) {
                for (int v = 0; v < voters; v++) {
                    m.current[v] = v;
                }
                median[j] = m.median(voterStake, columnScore, voters, minority, 0, stakeSum);
            }
            // An all-zero column has median 0: the first pivot is 0 and nothing lies either side of it.
            for (int e = from; e < to; e++) {
                columnScore[entryVoter[e]] = 0;
            }
        }
        return median;
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

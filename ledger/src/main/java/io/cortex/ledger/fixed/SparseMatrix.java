package io.cortex.ledger.fixed;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.LongBinaryOperator;

/**
 * An immutable sparse matrix of I32F32 values in compressed-row form: row i holds the entries
 * {@code rowStart[i] .. rowStart[i+1]-1}, columns strictly ascending within a row. It is what subtensor's
 * {@code Vec<Vec<(u16, I32F32)>>} is, laid out flat so that a 4096 x 4096 epoch touches a few arrays.
 *
 * <p>Every operation returns a new matrix and copies only what changes (a value-only operation shares the
 * structure arrays). Entries may hold the value 0: an explicit zero weight stays an entry, as it does in
 * subtensor, because the bond EMA treats it differently from a missing entry.
 */
// long on purpose: every sparse operation the epoch uses, in one type, as subtensor's math.rs has them
public final class SparseMatrix {
    private final int columns;
    private final int[] rowStart;
    private final int[] col;
    private final long[] val;
    /** Row and column sums when the operation that built the matrix had them at hand; else null. */
    private final long[] knownRowSums;
    private final long[] knownColumnSums;

    private SparseMatrix(int columns, int[] rowStart, int[] col, long[] val) {
        this(columns, rowStart, col, val, null, null);
    }

    private SparseMatrix(int columns, int[] rowStart, int[] col, long[] val, long[] rowSums, long[] columnSums) {
        this.columns = columns;
        this.rowStart = rowStart;
        this.col = col;
        this.val = val;
        this.knownRowSums = rowSums;
        this.knownColumnSums = columnSums;
    }

    public int rows() {
        return rowStart.length - 1;
    }

    public int columns() {
        return columns;
    }

    public int nonZeros() {
        return rowStart[rowStart.length - 1];
    }

    /** Index of row i's first entry. */
    public int rowStart(int i) {
        return rowStart[i];
    }

    /** Index one past row i's last entry. */
    public int rowEnd(int i) {
        return rowStart[i + 1];
    }

    public int column(int entry) {
        return col[entry];
    }

    public long value(int entry) {
        return val[entry];
    }

    /** The value at (i, j), 0 when there is no entry. */
    public long get(int i, int j) {
        int k = Arrays.binarySearch(col, rowStart[i], rowStart[i + 1], j);
        return k >= 0 ? val[k] : 0;
    }

    /** Index of the first entry of row i whose column is at least j ({@link #rowEnd} if none). */
    public int firstEntryFrom(int i, int j) {
        int k = Arrays.binarySearch(col, rowStart[i], rowStart[i + 1], j);
        return k >= 0 ? k : -k - 1;
    }

    public static Builder builder(int rows, int columns, int capacity) {
        return new Builder(rows, columns, capacity);
    }

    /**
     * A matrix over the given arrays, which it owns from now on (the caller must not change them):
     * {@code rowStart} has rows + 1 offsets, {@code col} and {@code val} hold at least rowStart[rows]
     * entries, columns strictly ascending within each row.
     */
    public static SparseMatrix fromArrays(int columns, int[] rowStart, int[] col, long[] val) {
        return new SparseMatrix(columns, rowStart, col, val);
    }

    public static SparseMatrix empty(int rows, int columns) {
        return new SparseMatrix(columns, new int[rows + 1], new int[0], new long[0]);
    }

    /** The same structure with new values. */
    private SparseMatrix withValues(long[] values) {
        return new SparseMatrix(columns, rowStart, col, values);
    }

    // ---------------------------------------------------------------- value-only operations

    /** {@code inplace_row_normalize_sparse}: each row divided by its sum when the sum is positive. */
    public SparseMatrix rowNormalize() {
        long[] out = new long[nonZeros()];
        long[] values = val;
        forEachRow((i, from, to) -> {
            long sum = sum(values, from, to);
            InvariantDivisor d = sum > 0 ? new InvariantDivisor(sum) : null;
            for (int k = from; k < to; k++) {
                out[k] = d == null ? values[k] : d.divideFixed(values[k]);
            }
        });
        return withValues(out);
    }

    /** {@code inplace_col_normalize_sparse}: each column divided by its sum when the sum is non-zero. */
    public SparseMatrix columnNormalize() {
        return divideColumns(columnSums());
    }

    /**
     * Saturating sums per column. Computed per chunk of rows and then combined: for the non-negative values
     * the epoch sums, a saturating sum is min(MAX, exact sum) in any order.
     */
    private long[] columnSums() {
        if (knownColumnSums != null) {
            return knownColumnSums.clone();
        }
        int chunks = Chunks.count(nonZeros());
        int[] bounds = Chunks.rowBounds(this, chunks);
        long[][] partial = new long[chunks][columns];
        long[] values = val;
        int[] columnOf = col;
        Chunks.run(chunks, c -> {
            long[] sums = partial[c];
            for (int k = rowStart[bounds[c]], end = rowStart[bounds[c + 1]]; k < end; k++) {
                int j = columnOf[k];
                sums[j] = I32F32.add(sums[j], values[k]);
            }
        });
        return combine(partial);
    }

    /** Adds per-chunk partial sums in chunk order (saturating). */
    private static long[] combine(long[][] partial) {
        long[] sums = partial[0];
        for (int c = 1; c < partial.length; c++) {
            for (int j = 0; j < sums.length; j++) {
                sums[j] = I32F32.add(sums[j], partial[c][j]);
            }
        }
        return sums;
    }

    /** {@code inplace_col_max_upscale_sparse}: each column divided by its largest value when non-zero. */
    public SparseMatrix columnMaxUpscale() {
        long[] max = new long[columns];
        for (int k = 0; k < nonZeros(); k++) {
            if (max[col[k]] < val[k]) {
                max[col[k]] = val[k];
            }
        }
        return divideColumns(max);
    }

    private SparseMatrix divideColumns(long[] divisors) {
        InvariantDivisor[] byColumn = divisorsOf(divisors);
        long[] out = new long[nonZeros()];
        long[] values = val;
        int[] columnOf = col;
        forEntryChunks((from, to) -> {
            for (int k = from; k < to; k++) {
                InvariantDivisor d = byColumn[columnOf[k]];
                out[k] = d == null ? values[k] : d.divideFixed(values[k]);
            }
        });
        return withValues(out);
    }

    /** A divisor per non-zero value; {@code null} where the value is 0 (such columns are left as they are). */
    private static InvariantDivisor[] divisorsOf(long[] values) {
        InvariantDivisor[] out = new InvariantDivisor[values.length];
        int chunks = Chunks.count(values.length * 64L);
        int[] bounds = Chunks.evenBounds(values.length, chunks);
        Chunks.run(chunks, c -> {
            for (int j = bounds[c]; j < bounds[c + 1]; j++) {
                out[j] = values[j] == 0 ? null : new InvariantDivisor(values[j]);
            }
        });
        return out;
    }

    /** {@code row_hadamard_sparse}: row i scaled by {@code v[i]}; zero products stay as entries. */
    public SparseMatrix scaleRows(long[] v) {
        long[] out = new long[nonZeros()];
        long[] values = val;
        forEachRow((i, from, to) -> {
            long s = v[i];
            for (int k = from; k < to; k++) {
                out[k] = I32F32.mul(values[k], s);
            }
        });
        return withValues(out);
    }

    /**
     * The matrix as stored u16 proportions ({@code fixed_proportion_to_u16} of each value), with the rows
     * where {@code keepRow} is false emptied. The structure arrays are this matrix's own when no row with
     * entries is emptied (neither side ever changes them).
     */
    public U16Rows toU16Proportions(boolean[] keepRow) {
        int rows = rows();
        boolean emptiesARow = false;
        int[] start = new int[rows + 1];
        for (int i = 0; i < rows; i++) {
            int length = keepRow[i] ? rowStart[i + 1] - rowStart[i] : 0;
            emptiesARow |= length != rowStart[i + 1] - rowStart[i];
            start[i + 1] = start[i] + length;
        }
        boolean shared = !emptiesARow;
        int[] columns = shared ? col : new int[start[rows]];
        char[] u16 = new char[start[rows]];
        long[] values = val;
        int[] columnOf = col;
        forEachRow((i, from, to) -> {
            if (keepRow[i]) {
                for (int k = from, e = start[i]; k < to; k++, e++) {
                    u16[e] = (char) I32F32.toU16Proportion(values[k]);
                    if (!shared) {
                        columns[e] = columnOf[k];
                    }
                }
            }
        });
        return new U16Rows(shared ? rowStart : start, columns, u16);
    }

    /** Rows of (column, u16) entries in compressed-row arrays; see {@link #toU16Proportions}. */
    public record U16Rows(int[] rowStart, int[] column, char[] value) {
    }

    // ---------------------------------------------------------------- products and sums

    /** {@code row_sum_sparse}. */
    public long[] rowSums() {
        if (knownRowSums != null) {
            return knownRowSums.clone();
        }
        long[] out = new long[rows()];
        long[] values = val;
        forEachRow((i, from, to) -> out[i] = sum(values, from, to));
        return out;
    }

    /** {@code matmul_sparse}: {@code r_j = sum_i v_i * m_ij}. */
    public long[] leftMultiply(long[] v) {
        int chunks = Chunks.count(nonZeros());
        int[] bounds = Chunks.rowBounds(this, chunks);
        long[][] partial = new long[chunks][columns];
        long[] values = val;
        int[] columnOf = col;
        int[] starts = rowStart;
        Chunks.run(chunks, c -> {
            long[] out = partial[c];
            for (int i = bounds[c]; i < bounds[c + 1]; i++) {
                long s = v[i];
                for (int k = starts[i], end = starts[i + 1]; k < end; k++) {
                    int j = columnOf[k];
                    out[j] = I32F32.add(out[j], I32F32.mul(s, values[k]));
                }
            }
        });
        return combine(partial);
    }

    /**
     * {@code matmul_transpose_sparse}: {@code r_i = sum_j v_j * m_ij}. Also
     * {@code row_sum_sparse(mat_vec_mul_sparse(m, v))}, which only drops zero products from the sum.
     */
    public long[] rightMultiply(long[] v) {
        return rightMultiply(v, new InvariantDivisor[columns]);
    }

    /**
     * {@code columnNormalize().rightMultiply(v)} without building the normalised matrix:
     * {@code r_i = sum_j (m_ij / colsum_j) * v_j}, each quotient rounded exactly as there.
     */
    public long[] columnNormalizedRightMultiply(long[] v) {
        return rightMultiply(v, divisorsOf(columnSums()));
    }

    /** {@code r_i = sum_j (m_ij / d_j) * v_j}, where a {@code null} divisor d_j leaves the column as it is. */
    private long[] rightMultiply(long[] v, InvariantDivisor[] byColumn) {
        long[] out = new long[rows()];
        long[] values = val;
        int[] columnOf = col;
        forEachRow((i, from, to) -> {
            long acc = 0;
            for (int k = from; k < to; k++) {
                int j = columnOf[k];
                InvariantDivisor d = byColumn[j];
                long normalised = d == null ? values[k] : d.divideFixed(values[k]);
                acc = I32F32.add(acc, I32F32.mul(v[j], normalised));
            }
            out[i] = acc;
        });
        return out;
    }

    // ---------------------------------------------------------------- structural operations

    /** {@code col_clip_sparse}: values above the column threshold become the threshold, or are dropped
     *  when the threshold is not positive. */
    public SparseMatrix clipColumns(long[] threshold) {
        int rows = rows();
        long[] clipped = new long[nonZeros()];
        int[] dropped = new int[rows];
        long[] rowSums = new long[rows];
        long[] values = val;
        int[] columnOf = col;
        forEachRow((i, from, to) -> {
            long sum = 0;
            int drops = 0;
            for (int k = from; k < to; k++) {
                long t = threshold[columnOf[k]];
                long v = Math.min(values[k], t);
                boolean drop = t < values[k] & t <= 0;
                clipped[k] = v;
                sum += drop ? 0 : v;
                drops += drop ? 1 : 0;
            }
            rowSums[i] = sum;
            dropped[i] = drops;
        });
        int[] start = new int[rows + 1];
        for (int i = 0; i < rows; i++) {
            start[i + 1] = start[i] + (rowStart[i + 1] - rowStart[i]) - dropped[i];
        }
        if (start[rows] == nonZeros()) {
            return new SparseMatrix(columns, rowStart, col, clipped, rowSums, null);
        }
        int[] keptCol = new int[start[rows]];
        long[] keptVal = new long[start[rows]];
        forEachRow((i, from, to) -> {
            int e = start[i];
            for (int k = from; k < to; k++) {
                long t = threshold[columnOf[k]];
                if (!(t < values[k] && t <= 0)) {
                    keptCol[e] = columnOf[k];
                    keptVal[e++] = clipped[k];
                }
            }
        });
        return new SparseMatrix(columns, start, keptCol, keptVal, rowSums, null);
    }

    /**
     * Drops every entry in a column j with {@code drop[j]} ({@code scalar_vec_mask_sparse_matrix}); this matrix
     * itself when no column is marked.
     */
    public SparseMatrix dropColumns(boolean[] drop) {
        boolean drops = false;
        for (int j = 0; j < columns && !drops; j++) {
            drops = drop[j];
        }
        if (!drops) {
            return this;
        }
        return keepEntries(k -> !drop[col[k]]);
    }

    /**
     * {@code interpolate_sparse}: {@code a + ratio (b - a)} element-wise; ratio 0 returns a and ratio 1
     * returns b unchanged, otherwise only strictly positive results are kept.
     */
    public static SparseMatrix interpolate(SparseMatrix a, SparseMatrix b, long ratio) {
        if (ratio == 0) {
            return a;
        }
        if (ratio == I32F32.ONE) {
            return b;
        }
        return mergePositive(a, b, (v1, v2) -> I32F32.add(v1, I32F32.mul(ratio, I32F32.sub(v2, v1))));
    }

    /**
     * {@code mat_ema_sparse}: {@code alpha * newer + (1 - alpha) * older} over the union of entries,
     * keeping strictly positive results.
     */
    public static SparseMatrix ema(SparseMatrix newer, SparseMatrix older, long alpha) {
        long oneMinusAlpha = I32F32.sub(I32F32.ONE, alpha);
        LongBinaryOperator ema = (n, o) -> I32F32.add(I32F32.mul(alpha, n), I32F32.mul(oneMinusAlpha, o));
        if (newer.sameStructure(older)) {
            long[] v = new long[newer.nonZeros()];
            int chunks = Chunks.count(v.length);
            int[] bounds = Chunks.evenBounds(v.length, chunks);
            long[][] partial = new long[chunks][newer.columns];
            boolean[] dropped = new boolean[chunks];
            long[] newValues = newer.val;
            long[] oldValues = older.val;
            int[] columnOf = newer.col;
            Chunks.run(chunks, c -> {
                long[] sums = partial[c];
                boolean drop = false;
                for (int k = bounds[c], end = bounds[c + 1]; k < end; k++) {
                    long x = ema.applyAsLong(newValues[k], oldValues[k]);
                    v[k] = x;
                    drop |= x <= 0;
                    int j = columnOf[k];
                    sums[j] = I32F32.add(sums[j], x);
                }
                dropped[c] = drop;
            });
            for (boolean d : dropped) {
                if (d) {
                    return newer.withValues(v).keepPositive();
                }
            }
            // the column sums come for free here, and the dividends need them next
            return new SparseMatrix(newer.columns, newer.rowStart, newer.col, v, null, combine(partial));
        }
        return mergePositive(newer, older, ema);
    }

    /**
     * Over the union of {@code a}'s and {@code b}'s entries, {@code merge} of both values (0 where one has no
     * entry), keeping strictly positive results.
     */
    private static SparseMatrix mergePositive(SparseMatrix a, SparseMatrix b, LongBinaryOperator merge) {
        Builder out = new Builder(a.rows(), a.columns, Math.max(a.nonZeros(), b.nonZeros()));
        for (int i = 0; i < a.rows(); i++) {
            int ka = a.rowStart[i];
            int kb = b.rowStart[i];
            int ea = a.rowStart[i + 1];
            int eb = b.rowStart[i + 1];
            while (ka < ea || kb < eb) {
                int ja = ka < ea ? a.col[ka] : Integer.MAX_VALUE;
                int jb = kb < eb ? b.col[kb] : Integer.MAX_VALUE;
                int j = Math.min(ja, jb);
                long v = merge.applyAsLong(ja == j ? a.val[ka++] : 0, jb == j ? b.val[kb++] : 0);
                if (v > 0) {
                    out.add(j, v);
                }
            }
            out.endRow();
        }
        return out.build();
    }

    /**
     * {@code mat_ema_alpha_sparse} with one coefficient per entry of {@code newer}:
     * {@code min(1, (1 - a) * older + max(0, a * newer))}. Only entries of {@code newer} are emitted:
     * an older entry whose column the newer row no longer lists is dropped, not decayed.
     *
     * @param alpha the coefficient of each entry of {@code newer}, by entry index
     */
    public static SparseMatrix emaPerEntry(SparseMatrix newer, SparseMatrix older, long[] alpha) {
        Builder out = new Builder(newer.rows(), newer.columns, newer.nonZeros());
        for (int i = 0; i < newer.rows(); i++) {
            int ko = older.rowStart[i];
            int eo = older.rowStart[i + 1];
            for (int kn = newer.rowStart[i]; kn < newer.rowStart[i + 1]; kn++) {
                int j = newer.col[kn];
                while (ko < eo && older.col[ko] < j) {
                    ko++;
                }
                long a = alpha[kn];
                long decayed = ko < eo && older.col[ko] == j
                        ? I32F32.mul(I32F32.sub(I32F32.ONE, a), older.val[ko]) : 0;
                long increment = Math.max(0, I32F32.mul(a, newer.val[kn]));
                long v = Math.min(I32F32.ONE, I32F32.add(decayed, increment));
                if (v > 0) {
                    out.add(j, v);
                }
            }
            out.endRow();
        }
        return out.build();
    }

    /** True when both matrices have entries at exactly the same (row, column) positions. */
    private boolean sameStructure(SparseMatrix other) {
        if (!(rowStart == other.rowStart || Arrays.equals(rowStart, other.rowStart))) {
            return false;
        }
        if (col == other.col) {
            return true;
        }
        int chunks = Chunks.count(nonZeros());
        int[] bounds = Chunks.evenBounds(nonZeros(), chunks);
        boolean[] differs = new boolean[chunks];
        Chunks.run(chunks, c -> differs[c] = !Arrays.equals(col, bounds[c], bounds[c + 1], other.col, bounds[c], bounds[c + 1]));
        for (boolean d : differs) {
            if (d) {
                return false;
            }
        }
        return true;
    }

    /** Drops entries that are not strictly positive. */
    private SparseMatrix keepPositive() {
        return keepEntries(k -> val[k] > 0);
    }

    /** The entries whose index passes {@code keep}. */
    private SparseMatrix keepEntries(IntPredicate keep) {
        Builder b = new Builder(rows(), columns, nonZeros());
        for (int i = 0; i < rows(); i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                if (keep.test(k)) {
                    b.add(col[k], val[k]);
                }
            }
            b.endRow();
        }
        return b.build();
    }

    /** A loop body over a range [from, to) of entries. */
    private interface Range {
        void run(int from, int to);
    }

    /** A loop body over one row: its index and the range [from, to) of its entries. */
    private interface Row {
        void run(int i, int from, int to);
    }

    /** Runs {@code body} on every row, over chunks of rows of about equal entries, in parallel for large matrices. */
    private void forEachRow(Row body) {
        int chunks = Chunks.count(nonZeros());
        int[] bounds = Chunks.rowBounds(this, chunks);
        int[] starts = rowStart;
        Chunks.run(chunks, c -> {
            for (int i = bounds[c]; i < bounds[c + 1]; i++) {
                body.run(i, starts[i], starts[i + 1]);
            }
        });
    }

    /** The plain sum of the values [from, to). */
    private static long sum(long[] values, int from, int to) {
        long sum = 0;
        for (int k = from; k < to; k++) {
            sum += values[k];
        }
        return sum;
    }

    /** Runs {@code body} over equal chunks of entry indices, in parallel for large matrices. */
    private void forEntryChunks(Range body) {
        int chunks = Chunks.count(nonZeros());
        int[] bounds = Chunks.evenBounds(nonZeros(), chunks);
        Chunks.run(chunks, c -> body.run(bounds[c], bounds[c + 1]));
    }

    /** The matrix as dense rows, for tests and small debugging output. */
    public long[][] toDense() {
        long[][] dense = new long[rows()][columns];
        for (int i = 0; i < rows(); i++) {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                dense[i][col[k]] = val[k];
            }
        }
        return dense;
    }

    /** Appends rows in order; columns within a row must be strictly ascending. */
    public static final class Builder {
        private final int columns;
        private final int[] rowStart;
        private int[] col;
        private long[] val;
        private int row;
        private int size;

        private Builder(int rows, int columns, int capacity) {
            this.columns = columns;
            this.rowStart = new int[rows + 1];
            this.col = new int[Math.max(capacity, 4)];
            this.val = new long[Math.max(capacity, 4)];
        }

        public Builder add(int column, long value) {
            if (size == col.length) {
                col = Arrays.copyOf(col, size * 2);
                val = Arrays.copyOf(val, size * 2);
            }
            col[size] = column;
            val[size] = value;
            size++;
            return this;
        }

        public Builder endRow() {
            rowStart[++row] = size;
            return this;
        }

        public SparseMatrix build() {
            if (row != rowStart.length - 1) {
                throw new IllegalStateException("built " + row + " of " + (rowStart.length - 1) + " rows");
            }
            // arrays may hold unused capacity past the last row; every operation reads up to nonZeros()
            return new SparseMatrix(columns, rowStart, col, val);
        }
    }
}

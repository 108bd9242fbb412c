package io.cortex.ledger.yuma;

import io.cortex.ledger.fixed.Chunks;
import io.cortex.ledger.fixed.I32F32;
import io.cortex.ledger.fixed.SparseMatrix;
import java.util.Arrays;

/**
 * A u16 matrix as the chain stores weights and bonds: per uid a row of {@code (column, u16)} pairs, columns
 * strictly ascending. Immutable; compared by value.
 */
public final class StoredMatrix {
    private final int[] rowStart;
    private final int[] col;
    private final char[] val;

    private StoredMatrix(int[] rowStart, int[] col, char[] val) {
        this.rowStart = rowStart;
        this.col = col;
        this.val = val;
    }

    public int rows() {
        return rowStart.length - 1;
    }

    public int rowStart(int i) {
        return rowStart[i];
    }

    public int rowEnd(int i) {
        return rowStart[i + 1];
    }

    public int column(int entry) {
        return col[entry];
    }

    public int value(int entry) {
        return val[entry];
    }

    public int nonZeros() {
        return rowStart[rowStart.length - 1];
    }

    /** The stored u16 at (i, j); 0 when absent. */
    public int get(int i, int j) {
        int k = Arrays.binarySearch(col, rowStart[i], rowStart[i + 1], j);
        return k >= 0 ? val[k] : 0;
    }

    /** Whether row i has an entry at column j, even one holding 0. */
    public boolean contains(int i, int j) {
        return Arrays.binarySearch(col, rowStart[i], rowStart[i + 1], j) >= 0;
    }

    /** The same entries with {@code rows} rows: rows are added empty (or cut off). */
    public StoredMatrix resized(int rows) {
        int[] start = Arrays.copyOf(rowStart, rows + 1);
        for (int i = rowStart.length; i <= rows; i++) {
            start[i] = rowStart[rowStart.length - 1];
        }
        int size = start[rows];
        return new StoredMatrix(start, Arrays.copyOf(col, size), Arrays.copyOf(val, size));
    }

    /** The same entries with row {@code i} emptied. */
    public StoredMatrix withoutRow(int i) {
        int removed = rowStart[i + 1] - rowStart[i];
        if (removed == 0) {
            return this;
        }
        int[] start = rowStart.clone();
        for (int r = i + 1; r < start.length; r++) {
            start[r] -= removed;
        }
        int[] c = new int[col.length - removed];
        char[] v = new char[val.length - removed];
        System.arraycopy(col, 0, c, 0, rowStart[i]);
        System.arraycopy(val, 0, v, 0, rowStart[i]);
        System.arraycopy(col, rowStart[i + 1], c, rowStart[i], col.length - rowStart[i + 1]);
        System.arraycopy(val, rowStart[i + 1], v, rowStart[i], val.length - rowStart[i + 1]);
        return new StoredMatrix(start, c, v);
    }

    public static StoredMatrix empty(int rows) {
        return new StoredMatrix(new int[rows + 1], new int[0], new char[0]);
    }

    /** A sparse matrix with this one's entries at the same positions and the given values (by entry index). */
    public SparseMatrix withValues(int columns, long[] values) {
        return SparseMatrix.fromArrays(columns, rowStart, col, values);
    }

    /** Raw u16 values as fixed-point numbers (65535 becomes 65535.0): how weights and Yuma bonds are read. */
    public SparseMatrix toFixed(int columns) {
        long[] v = new long[nonZeros()];
        for (int k = 0; k < v.length; k++) {
            v[k] = ((long) val[k]) << I32F32.FRAC_BITS;
        }
        return withValues(columns, v);
    }

    /** Values as proportions {@code u / 65535}: how Yuma3 reads its bonds. */
    public SparseMatrix toProportions(int columns) {
        long[] v = new long[nonZeros()];
        int chunks = Chunks.count(v.length);
        int[] bounds = Chunks.evenBounds(v.length, chunks);
        char[] stored = val;
        Chunks.run(chunks, c -> {
            for (int k = bounds[c], end = bounds[c + 1]; k < end; k++) {
                v[k] = I32F32.fromU16Proportion(stored[k]);
            }
        });
        return withValues(columns, v);
    }

    /**
     * A matrix over the given arrays, which it owns from now on (see {@link SparseMatrix#fromArrays}). Public
     * for snapshots; the caller vouches that row starts ascend and columns ascend within each row.
     */
    public static StoredMatrix fromArrays(int[] rowStart, int[] col, char[] val) {
        return new StoredMatrix(rowStart, col, val);
    }

    public static Builder builder(int rows, int capacity) {
        return new Builder(rows, capacity);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredMatrix m && Arrays.equals(rowStart, m.rowStart) && Arrays.equals(col, m.col)
                && Arrays.equals(val, m.val);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(rowStart) + Arrays.hashCode(col)) + Arrays.hashCode(val);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < rows(); i++) {
            s.append(i == 0 ? "[" : ", [");
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                s.append(k == rowStart[i] ? "" : ", ").append('[').append(col[k]).append(", ").append((int) val[k]).append(']');
            }
            s.append(']');
        }
        return s.append(']').toString();
    }

    /** Appends rows in order. */
    public static final class Builder {
        private final int[] rowStart;
        private int[] col;
        private char[] val;
        private int row;
        private int size;

        private Builder(int rows, int capacity) {
            rowStart = new int[rows + 1];
            col = new int[Math.max(4, capacity)];
            val = new char[Math.max(4, capacity)];
        }

        /** Adds (column, value); the caller keeps columns ascending and values within u16. */
        public Builder add(int column, int value) {
            if (size == col.length) {
                col = Arrays.copyOf(col, size * 2);
                val = Arrays.copyOf(val, size * 2);
            }
            col[size] = column;
            val[size] = (char) value;
            size++;
            return this;
        }

        public Builder endRow() {
            rowStart[++row] = size;
            return this;
        }

        public StoredMatrix build() {
            if (row != rowStart.length - 1) {
                throw new IllegalStateException("built " + row + " of " + (rowStart.length - 1) + " rows");
            }
            return new StoredMatrix(rowStart, Arrays.copyOf(col, size), Arrays.copyOf(val, size));
        }
    }
}

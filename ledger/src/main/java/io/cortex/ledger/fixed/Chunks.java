package io.cortex.ledger.fixed;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Splits the passes of a large epoch over the cores: a range of rows (or columns) is cut into chunks of
 * about equal work, run on the common fork-join pool, and their results are combined in chunk order.
 * Every chunk computes exactly what the sequential loop computes for its rows; column sums of non-negative
 * values are the same in any order even when they saturate. So the epoch is bit-identical whether or not
 * it runs in parallel, and small inputs simply run in the caller.
 */
public final class Chunks {
    /** Below this many entries a pass runs in the calling thread; forking costs more than it saves. */
    public static final int MIN_PARALLEL_WORK = 1 << 17;
    private static final int CHUNKS_PER_CORE = 2;
    private static final ThreadLocal<Boolean> SEQUENTIAL = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Chunks() {
    }

    /** How many chunks to cut {@code work} units into: 1 when small or inside {@link #sequentially}. */
    public static int count(long work) {
        if (work < MIN_PARALLEL_WORK || SEQUENTIAL.get()) {
            return 1;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() * CHUNKS_PER_CORE);
    }

    /**
     * Computes {@code task} with every pass in the calling thread: for callers that already run many epochs
     * in parallel (a simulation), and for tests that compare both ways.
     */
    public static <T> T sequentially(java.util.function.Supplier<T> task) {
        boolean previous = SEQUENTIAL.get();
        SEQUENTIAL.set(Boolean.TRUE);
        try {
            return task.get();
        } finally {
            SEQUENTIAL.set(previous);
        }
    }

    /** Runs {@code body} for each chunk index, in parallel when there is more than one. */
    public static void run(int chunks, IntConsumer body) {
        if (chunks == 1) {
            body.accept(0);
        } else {
            IntStream.range(0, chunks).parallel().forEach(body);
        }
    }

    /** Row boundaries cutting the matrix into {@code chunks} ranges of about equal entries. */
    static int[] rowBounds(SparseMatrix m, int chunks) {
        return rowBounds(m.rows(), m::rowEnd, chunks);
    }

    /** The entry offset where row i ends. */
    public interface RowEnds {
        int end(int row);
    }

    /**
     * Row boundaries cutting rows into {@code chunks} ranges of about equal work (entries plus one per row),
     * given where each row's entries end.
     */
    public static int[] rowBounds(int rows, RowEnds rowEnd, int chunks) {
        int[] bounds = new int[chunks + 1];
        long total = (rows == 0 ? 0 : rowEnd.end(rows - 1)) + (long) rows;
        int row = 0;
        for (int c = 1; c < chunks; c++) {
            long target = total * c / chunks;
            while (row < rows && rowEnd.end(row) + (long) row < target) {
                row++;
            }
            bounds[c] = row;
        }
        bounds[chunks] = rows;
        return bounds;
    }

    /** Equal index boundaries over [0, size). */
    public static int[] evenBounds(int size, int chunks) {
        int[] bounds = new int[chunks + 1];
        for (int c = 0; c <= chunks; c++) {
            bounds[c] = (int) ((long) size * c / chunks);
        }
        return bounds;
    }
}

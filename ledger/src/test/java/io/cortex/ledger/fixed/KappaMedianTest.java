package io.cortex.ledger.fixed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fast column median (bucketed, {@link KappaMedian#columnMedians}) equals subtensor's partition
 * algorithm run on every voter of the column ({@link KappaMedian#weightedMedian}) for any stakes, scores
 * and kappa, ties and zero stakes included.
 */
class KappaMedianTest {

    @Property(tries = 500)
    void bucketedColumnMediansEqualTheReferencePartition(@ForAll long seed,
                                                         @ForAll @IntRange(min = 1, max = 40) int rows,
                                                         @ForAll @IntRange(min = 1, max = 30) int columns) {
        Random r = new Random(seed);
        long[] stake = new long[rows];
        for (int i = 0; i < rows; i++) {
            stake[i] = switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 1 + r.nextInt(3); // shares that truncate to 0 or nearly
                case 2 -> I32F32.ONE / 7;
                default -> (long) (r.nextDouble() * I32F32.ONE);
            };
        }
        long[] palette = {0, 1, I32F32.ONE / 3, I32F32.ONE / 3 + 1, I32F32.ONE, r.nextLong() >>> 30};
        SparseMatrix.Builder b = SparseMatrix.builder(rows, columns, rows * columns);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                if (r.nextInt(3) != 0) {
                    b.add(j, r.nextBoolean() ? palette[r.nextInt(palette.length)] : (long) (r.nextDouble() * I32F32.ONE));
                }
            }
            b.endRow();
        }
        SparseMatrix scores = b.build();
        long kappa = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> I32F32.ONE;
            case 2 -> I32F32.fromU16Proportion(32767);
            default -> (long) (r.nextDouble() * I32F32.ONE);
        };

        long[] fast = KappaMedian.columnMedians(stake, scores, kappa);

        assertEquals(columns, fast.length);
        long[][] dense = scores.toDense();
        int voters = 0;
        for (long s : stake) {
            voters += s > 0 ? 1 : 0;
        }
        long[] voterStake = new long[voters];
        for (int i = 0, v = 0; i < rows; i++) {
            if (stake[i] > 0) {
                voterStake[v++] = stake[i];
            }
        }
        voterStake = FixedVector.normalize(voterStake);
        long sum = FixedVector.sum(voterStake);
        int[] all = new int[voters];
        for (int v = 0; v < voters; v++) {
            all[v] = v;
        }
        for (int j = 0; j < columns; j++) {
            long[] column = new long[voters];
            for (int i = 0, v = 0; i < rows; i++) {
                if (stake[i] > 0) {
                    column[v++] = dense[i][j];
                }
            }
            long reference = KappaMedian.weightedMedian(voterStake, column, all, I32F32.sub(sum, kappa), 0, sum);
            assertEquals(reference, fast[j], "column " + j);
        }
    }
}

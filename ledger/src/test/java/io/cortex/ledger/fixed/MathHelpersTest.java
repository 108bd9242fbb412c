package io.cortex.ledger.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Drives the fixed-point helpers with every case of {@code vectors/math-helpers.json} (subtensor's
 * {@code tests/math.rs}). Raw I32F32 bits are compared exactly, or within the case's raw tolerance.
 * Dense cases run through the sparse implementation with every cell present, which is how the epoch uses
 * these helpers.
 */
class MathHelpersTest {

    @TestFactory
    Stream<DynamicTest> everyMathHelperCaseHolds() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/vectors/math-helpers.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (JsonNode c : root.get("cases")) {
            String name = String.format("%03d %s (%s)", index++, c.get("function").asText(), c.get("test").asText());
            tests.add(DynamicTest.dynamicTest(name, () -> check(c)));
        }
        assertEquals(152, tests.size(), "math-helpers.json should hold 152 cases");
        return tests.stream();
    }

    private static void check(JsonNode c) {
        JsonNode a = c.has("raw_args") ? c.get("raw_args") : c.get("args");
        JsonNode expected = c.get("raw_expected");
        long tolerance = c.has("raw_tolerance") ? c.get("raw_tolerance").asLong() : 0;
        switch (c.get("function").asText()) {
            case "weighted_median" -> {
                long[] stake = longs(a.get("stake"));
                int[] all = new int[stake.length];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                long median = KappaMedian.weightedMedian(stake, longs(a.get("score")), all,
                        a.get("minority").asLong(), a.get("partition_lo").asLong(), a.get("partition_hi").asLong());
                assertClose(expected.asLong(), median, tolerance);
            }
            case "weighted_median_col" -> {
                long[] stake = longs(a.get("stake"));
                long[][] rows = dense(a.get("weights_rows"), stake.length);
                int columns = rows.length == 0 || a.get("weights_rows").size() == 0 ? 0
                        : a.get("weights_rows").get(0).size();
                SparseMatrix m = full(rows, columns);
                assertVectorClose(longs(expected), KappaMedian.columnMedians(stake, m, a.get("majority").asLong()), tolerance);
            }
            case "weighted_median_col_sparse" -> {
                long[] stake = longs(a.get("stake"));
                SparseMatrix m = sparse(a.get("weights_sparse"), a.get("columns").asInt(), stake.length);
                assertVectorClose(longs(expected), KappaMedian.columnMedians(stake, m, a.get("majority").asLong()), tolerance);
            }
            case "vec_max_upscale_to_u16" ->
                    assertArrayEquals(ints(expected), FixedVector.maxUpscaleToU16(longs(a.get("vector"))));
            case "vec_u16_max_upscale_to_u16" ->
                    assertArrayEquals(ints(expected), FixedVector.maxUpscaleU16(ints(a.get("vector"))));
            case "normalize" -> assertVectorClose(longs(expected), FixedVector.normalize(longs(a.get("x"))), tolerance);
            case "inplace_row_normalize" -> assertDenseClose(expected, fullFrom(a.get("rows")).rowNormalize(), tolerance);
            case "inplace_col_normalize" -> assertDenseClose(expected, fullFrom(a.get("rows")).columnNormalize(), tolerance);
            case "inplace_col_max_upscale" -> assertDenseClose(expected, fullFrom(a.get("rows")).columnMaxUpscale(), tolerance);
            case "inplace_row_normalize_sparse" -> assertSparseClose(expected, sparseFrom(a).rowNormalize(), tolerance);
            case "inplace_col_normalize_sparse" -> assertSparseClose(expected, sparseFrom(a).columnNormalize(), tolerance);
            case "inplace_col_max_upscale_sparse" -> assertSparseClose(expected, sparseFrom(a).columnMaxUpscale(), tolerance);
            case "inplace_col_clip" ->
                    assertDenseClose(expected, fullFrom(a.get("rows")).clipColumns(longs(a.get("thresholds"))), tolerance);
            case "col_clip_sparse" ->
                    assertSparseClose(expected, sparseFrom(a).clipColumns(longs(a.get("thresholds"))), tolerance);
            case "mat_ema_alpha" -> {
                SparseMatrix newer = fullFrom(a.get("new"));
                SparseMatrix older = fullFrom(a.get("old"));
                long[] alpha = perEntry(newer, a.get("alpha"));
                assertDenseClose(expected, SparseMatrix.emaPerEntry(newer, older, alpha), tolerance);
            }
            case "mat_ema_alpha_sparse" -> {
                int columns = a.get("alpha").get(0).size();
                SparseMatrix newer = sparse(a.get("new_sparse"), columns, a.get("new_sparse").size());
                SparseMatrix older = sparse(a.get("old_sparse"), columns, a.get("old_sparse").size());
                long[] alpha = perEntry(newer, a.get("alpha"));
                assertSparseClose(expected, SparseMatrix.emaPerEntry(newer, older, alpha), tolerance);
            }
            case "interpolate" -> assertDenseClose(expected,
                    SparseMatrix.interpolate(fullFrom(a.get("mat1")), fullFrom(a.get("mat2")), a.get("ratio").asLong()),
                    tolerance);
            case "interpolate_sparse" -> {
                int columns = a.get("columns").asInt();
                SparseMatrix m1 = sparse(a.get("mat1_sparse"), columns, a.get("mat1_sparse").size());
                SparseMatrix m2 = sparse(a.get("mat2_sparse"), columns, a.get("mat2_sparse").size());
                assertSparseClose(expected, SparseMatrix.interpolate(m1, m2, a.get("ratio").asLong()), tolerance);
            }
            case "exp_safe" -> assertClose(expected.asLong(), I32F32.expSafe(a.get("x").asLong()), tolerance);
            case "sigmoid_safe" -> assertClose(expected.asLong(),
                    I32F32.sigmoidSafe(a.get("input").asLong(), a.get("rho").asLong(), a.get("kappa").asLong()), tolerance);
            case "is_topk" -> {
                boolean[] want = new boolean[expected.size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = expected.get(i).asBoolean();
                }
                assertArrayEquals(want, FixedVector.isTopK(longs(a.get("vector")), a.get("k").asInt()));
            }
            default -> throw new AssertionError("no driver for " + c.get("function").asText());
        }
    }

    private static void assertClose(long expected, long actual, long tolerance) {
        assertTrue(Math.abs(expected - actual) <= tolerance, () -> "expected " + expected + " (" + I32F32.toString(expected)
                + ") got " + actual + " (" + I32F32.toString(actual) + ") tolerance " + tolerance);
    }

    private static void assertVectorClose(long[] expected, long[] actual, long tolerance) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            final int at = i;
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance,
                    () -> "element " + at + ": expected " + expected[at] + " got " + actual[at]);
        }
    }

    private static void assertDenseClose(JsonNode expected, SparseMatrix actual, long tolerance) {
        long[][] got = actual.toDense();
        assertEquals(expected.size(), got.length, "rows");
        for (int i = 0; i < got.length; i++) {
            assertVectorClose(longs(expected.get(i)), got[i], tolerance);
        }
    }

    private static void assertSparseClose(JsonNode expected, SparseMatrix actual, long tolerance) {
        assertEquals(expected.size(), actual.rows(), "rows");
        for (int i = 0; i < actual.rows(); i++) {
            JsonNode row = expected.get(i);
            assertEquals(row.size(), actual.rowEnd(i) - actual.rowStart(i), "entries in row " + i);
            for (int e = 0; e < row.size(); e++) {
                int k = actual.rowStart(i) + e;
                assertEquals(row.get(e).get(0).asInt(), actual.column(k), "column of entry " + e + " in row " + i);
                assertClose(row.get(e).get(1).asLong(), actual.value(k), tolerance);
            }
        }
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static long[][] dense(JsonNode rows, int count) {
        long[][] out = new long[Math.min(count, rows.size())][];
        for (int i = 0; i < out.length; i++) {
            out[i] = longs(rows.get(i));
        }
        return out;
    }

    /** A sparse matrix with every cell of the dense rows present, zeros included. */
    private static SparseMatrix full(long[][] rows, int columns) {
        SparseMatrix.Builder b = SparseMatrix.builder(rows.length, columns, rows.length * columns);
        for (long[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                b.add(j, row[j]);
            }
            b.endRow();
        }
        return b.build();
    }

    private static SparseMatrix fullFrom(JsonNode rows) {
        return full(dense(rows, rows.size()), rows.size() == 0 ? 0 : rows.get(0).size());
    }

    private static SparseMatrix sparseFrom(JsonNode args) {
        JsonNode rows = args.get("rows_sparse");
        int columns = 0;
        if (args.has("columns")) {
            columns = args.get("columns").asInt();
        } else {
            for (JsonNode row : rows) {
                for (JsonNode e : row) {
                    columns = Math.max(columns, e.get(0).asInt() + 1);
                }
            }
        }
        return sparse(rows, columns, rows.size());
    }

    private static SparseMatrix sparse(JsonNode rows, int columns, int count) {
        SparseMatrix.Builder b = SparseMatrix.builder(count, columns, 16);
        for (int i = 0; i < count; i++) {
            for (JsonNode e : rows.get(i)) {
                b.add(e.get(0).asInt(), e.get(1).asLong());
            }
            b.endRow();
        }
        return b.build();
    }

    private static long[] perEntry(SparseMatrix m, JsonNode denseAlpha) {
        long[] alpha = new long[m.nonZeros()];
        for (int i = 0; i < m.rows(); i++) {
            for (int k = m.rowStart(i); k < m.rowEnd(i); k++) {
                alpha[k] = denseAlpha.get(i).get(m.column(k)).asLong();
            }
        }
        return alpha;
    }
}

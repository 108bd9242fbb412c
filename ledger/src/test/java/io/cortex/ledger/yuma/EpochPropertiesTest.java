package io.cortex.ledger.yuma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.fixed.FixedVector;
import io.cortex.ledger.fixed.I32F32;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties of the epoch over random inputs (see {@link RandomEpochInputs}). */
class EpochPropertiesTest {

    @Property(tries = 300)
    void sameInputGivesTheSameOutputEvenAfterAJsonRoundTrip(@ForAll long seed, @ForAll @IntRange(min = 1, max = 48) int n) {
        EpochInput input = RandomEpochInputs.random(new Random(seed), n);

        EpochOutput first = YumaEpoch.run(input);
        EpochOutput again = YumaEpoch.run(input);
        EpochOutput reparsed = YumaEpoch.run(EpochJson.readInput(EpochJson.inputBytes(input)));

        assertEquals(first, again);
        assertEquals(first, reparsed);
    }

    @Property(tries = 300)
    void normalisedVectorsSumToOneWithinTheFixedPointRounding(@ForAll long seed,
                                                             @ForAll @IntRange(min = 1, max = 48) int n) {
        EpochTrace t = YumaEpoch.trace(RandomEpochInputs.random(new Random(seed), n));

        // Each element of a normalised vector is truncated, so the sum falls short of 1 by less than n ulp.
        assertSumsToOneOrZero("stake", t.stake(), n);
        assertSumsToOneOrZero("active stake", t.activeStake(), n);
        assertSumsToOneOrZero("incentive", t.incentive(), n);
        assertSumsToOneOrZero("dividends", t.dividends(), n);
        for (int i = 0; i < n; i++) {
            long rowSum = 0;
            for (int k = t.weights().rowStart(i); k < t.weights().rowEnd(i); k++) {
                rowSum += t.weights().value(k);
            }
            if (rowSum != 0) {
                long row = t.weights().rowEnd(i) - t.weights().rowStart(i);
                assertTrue(rowSum <= I32F32.ONE && rowSum > I32F32.ONE - row, "weights row " + i + " sums to " + rowSum);
            }
        }
        long paid = 0;
        for (long e : t.output().emission()) {
            paid += e;
        }
        assertTrue(paid <= t.input().emission(), "the epoch never pays more than its emission");
    }

    @Property(tries = 200)
    void relabellingUidsOnlyRelabelsTheOutputs(@ForAll long seed, @ForAll @IntRange(min = 2, max = 40) int n) {
        Random r = new Random(seed);
        EpochInput input = withoutPermitBoundary(RandomEpochInputs.random(r, n));
        int[] perm = permutation(r, n);

        EpochOutput out = YumaEpoch.run(input);
        EpochOutput relabelled = YumaEpoch.run(relabel(input, perm));

        for (int i = 0; i < n; i++) {
            int p = perm[i];
            String at = "uid " + i + " -> " + p;
            assertEquals(out.active()[i], relabelled.active()[p], at);
            assertEquals(out.stakeWeight()[i], relabelled.stakeWeight()[p], at);
            assertEquals(out.validatorPermit()[i], relabelled.validatorPermit()[p], at);
            assertEquals(out.consensus()[i], relabelled.consensus()[p], at);
            assertEquals(out.validatorTrust()[i], relabelled.validatorTrust()[p], at);
            assertEquals(out.incentive()[i], relabelled.incentive()[p], at);
            assertEquals(out.dividends()[i], relabelled.dividends()[p], at);
            assertEquals(out.serverEmission()[i], relabelled.serverEmission()[p], at);
            assertEquals(out.validatorEmission()[i], relabelled.validatorEmission()[p], at);
            assertEquals(out.emission()[i], relabelled.emission()[p], at);
            for (int j = 0; j < n; j++) {
                assertEquals(out.bonds().get(i, j), relabelled.bonds().get(p, perm[j]), "bond " + at + ", column " + j);
            }
        }
    }

    @Property(tries = 100)
    void aMinersIncentiveDoesNotDependOnTheOrderOfValidatorRows(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 24;
        EpochInput input = withoutPermitBoundary(RandomEpochInputs.random(r, n));
        // swap two uids only; everything else keeps its uid
        int a = r.nextInt(n);
        int b = (a + 1 + r.nextInt(n - 1)) % n; // another uid: a swap of one with itself would test nothing
        int[] swap = new int[n];
        for (int i = 0; i < n; i++) {
            swap[i] = i == a ? b : i == b ? a : i;
        }
        EpochOutput out = YumaEpoch.run(input);
        EpochOutput swapped = YumaEpoch.run(relabel(input, swap));
        for (int j = 0; j < n; j++) {
            if (j != a && j != b) {
                assertEquals(out.incentive()[j], swapped.incentive()[j], "uid " + j);
                assertEquals(out.consensus()[j], swapped.consensus()[j], "uid " + j);
            }
        }
    }

    private static void assertSumsToOneOrZero(String name, long[] v, int n) {
        long sum = FixedVector.sum(v);
        assertTrue(sum == 0 || (sum <= I32F32.ONE && sum > I32F32.ONE - n), name + " sums to " + I32F32.toString(sum));
    }

    /** Permits can only be compared across relabelling when no stake tie sits at the top-k boundary. */
    private static EpochInput withoutPermitBoundary(EpochInput in) {
        Hyperparameters h = in.hyper();
        Hyperparameters all = new Hyperparameters(h.kappa(), h.bondsPenalty(), h.bondsMovingAverage(), h.yuma3(),
                h.liquidAlpha(), h.alphaLow(), h.alphaHigh(), h.alphaSigmoidSteepness(), in.n() + 1,
                h.activityCutoffFactorMilli(), h.stakeThreshold(), h.meanConsensus());
        return new EpochInput(in.n(), in.block(), in.tempo(), in.emission(), in.lastMechanismStepBlock(), in.ownerUid(),
                all, in.stake(), in.lastUpdate(), in.blockAtRegistration(), in.validatorPermit(), in.weights(),
                in.bonds(), in.earliestCommitBlock());
    }

    private static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The same subnet with uid i renamed perm[i]. */
    static EpochInput relabel(EpochInput in, int[] perm) {
        int n = in.n();
        long[] stake = new long[n];
        long[] lastUpdate = new long[n];
        long[] registered = new long[n];
        boolean[] permit = new boolean[n];
        long[] commits = in.commitReveal() ? new long[n] : null;
        int[] inverse = new int[n];
        for (int i = 0; i < n; i++) {
            int p = perm[i];
            inverse[p] = i;
            stake[p] = in.stake()[i];
            lastUpdate[p] = in.lastUpdate()[i];
            registered[p] = in.blockAtRegistration()[i];
            permit[p] = in.validatorPermit()[i];
            if (commits != null) {
                commits[p] = in.earliestCommitBlock()[i];
            }
        }
        return new EpochInput(n, in.block(), in.tempo(), in.emission(), in.lastMechanismStepBlock(),
                in.hasOwner() ? perm[in.ownerUid()] : EpochInput.NO_OWNER, in.hyper(), stake, lastUpdate, registered,
                permit, relabel(in.weights(), perm, inverse), relabel(in.bonds(), perm, inverse), commits);
    }

    private static StoredMatrix relabel(StoredMatrix m, int[] perm, int[] inverse) {
        int n = m.rows();
        StoredMatrix.Builder b = StoredMatrix.builder(n, m.nonZeros());
        for (int p = 0; p < n; p++) {
            int i = inverse[p];
            int[][] row = new int[m.rowEnd(i) - m.rowStart(i)][];
            for (int k = m.rowStart(i); k < m.rowEnd(i); k++) {
                row[k - m.rowStart(i)] = new int[] {perm[m.column(k)], m.value(k)};
            }
            java.util.Arrays.sort(row, (x, y) -> Integer.compare(x[0], y[0]));
            for (int[] e : row) {
                b.add(e[0], e[1]);
            }
            b.endRow();
        }
        return b.build();
    }

    @Property(tries = 50)
    void theStoredBondsOfAUidWithoutANewPermitAreEmpty(@ForAll long seed) {
        EpochOutput out = YumaEpoch.run(RandomEpochInputs.random(new Random(seed), 32));
        for (int i = 0; i < 32; i++) {
            if (!out.validatorPermit()[i]) {
                assertEquals(0, out.bonds().rowEnd(i) - out.bonds().rowStart(i), "uid " + i);
            }
        }
    }
}

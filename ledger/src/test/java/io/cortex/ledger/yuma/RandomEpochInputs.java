package io.cortex.ledger.yuma;

import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded random EpochInputs that exercise every rule of the epoch: ties in stake, explicit zero weights,
 * self-weights, outdated and commit-masked weights, bonds to newly registered uids, an owner uid, stake
 * thresholds, both bond branches, liquid alpha, and mean consensus (one input in four).
 */
final class RandomEpochInputs {
    private RandomEpochInputs() {
    }

    static EpochInput random(Random r, int n) {
        long block = 1 + r.nextInt(20_000);
        int tempo = r.nextInt(4) == 0 ? 1 + r.nextInt(10) : 1 + r.nextInt(720);
        boolean yuma3 = r.nextBoolean();
        int alphaLow = 1638 + r.nextInt(40_000);
        Hyperparameters hyper = new Hyperparameters(
                pick(r, 32767, r.nextInt(65536), 52428),
                pick(r, 0, 65535, r.nextInt(65536)),
                pick(r, 900_000, 975_000, r.nextInt(1_000_001)),
                yuma3,
                yuma3 && r.nextBoolean(),
                alphaLow,
                alphaLow + r.nextInt(65536 - alphaLow),
                pick(r, 1000, r.nextInt(3000), -r.nextInt(2000)),
                pick(r, 64, 1 + r.nextInt(n + 4), n + 1),
                pick(r, 13889, 1000 + r.nextInt(49_001), 1000),
                pick(r, 0L, 0L, 1L + r.nextInt(1_000_000), 2_000_000_000_000L),
                r.nextInt(4) == 0);

        int validators = 1 + r.nextInt(Math.min(n, 64));
        boolean[] isValidator = new boolean[n];
        for (int k = 0; k < validators; k++) {
            isValidator[r.nextInt(n)] = true;
        }
        long[] stake = new long[n];
        long[] lastUpdate = new long[n];
        long[] registered = new long[n];
        boolean[] permit = new boolean[n];
        long[] tieValues = {1_000_000_000L, 5_000_000_000_000L, 7L};
        for (int i = 0; i < n; i++) {
            if (isValidator[i]) {
                stake[i] = r.nextInt(5) == 0 ? tieValues[r.nextInt(tieValues.length)] : (long) (r.nextDouble() * 1e13);
            } else {
                stake[i] = r.nextInt(4) == 0 ? r.nextInt(1_000_000) : 0;
            }
            registered[i] = r.nextInt(3) == 0 ? 0 : (long) r.nextInt((int) block + 1);
            lastUpdate[i] = r.nextInt(4) == 0 ? registered[i] : registered[i] + r.nextInt((int) (block - registered[i] + 1));
            permit[i] = isValidator[i] ? r.nextInt(6) != 0 : r.nextInt(10) == 0;
        }

        StoredMatrix.Builder weights = StoredMatrix.builder(n, n * 4);
        StoredMatrix.Builder bonds = StoredMatrix.builder(n, n * 4);
        for (int i = 0; i < n; i++) {
            if (isValidator[i] || r.nextInt(8) == 0) {
                double density = r.nextDouble();
                TreeMap<Integer, Integer> row = new TreeMap<>();
                for (int j = 0; j < n; j++) {
                    if (r.nextDouble() < density) {
                        row.put(j, pick(r, r.nextInt(65536), 0, 65535));
                    }
                }
                row.forEach(weights::add);
            }
            weights.endRow();
            if (permit[i] || r.nextInt(8) == 0) {
                for (int j = 0; j < n; j++) {
                    if (r.nextInt(3) == 0) {
                        bonds.add(j, r.nextInt(65536));
                    }
                }
            }
            bonds.endRow();
        }

        long[] commits = null;
        if (r.nextInt(3) == 0) {
            commits = new long[n];
            for (int i = 0; i < n; i++) {
                commits[i] = r.nextBoolean() ? EpochInput.NO_COMMIT : r.nextInt((int) block + 1);
            }
        }
        long lastStep = r.nextBoolean() ? 0 : r.nextInt((int) block);
        int owner = r.nextInt(3) == 0 ? r.nextInt(n) : EpochInput.NO_OWNER;
        long emission = r.nextInt(5) == 0 ? 0 : (long) (r.nextDouble() * 1e12);
        return new EpochInput(n, block, tempo, emission, lastStep, owner, hyper, stake, lastUpdate, registered, permit,
                weights.build(), bonds.build(), commits);
    }

    /**
     * n uids of which the first {@code validators} weight every other uid with random u16 weights: the shape
     * of the benchmarks (every validator weighting all non-validators), with last epoch's bonds.
     */
    static EpochInput dense(Random r, int n, int validators) {
        long[] stake = new long[n];
        long[] lastUpdate = new long[n];
        long[] registered = new long[n];
        boolean[] permit = new boolean[n];
        StoredMatrix.Builder weights = StoredMatrix.builder(n, validators * n);
        StoredMatrix.Builder bonds = StoredMatrix.builder(n, validators * n);
        for (int i = 0; i < n; i++) {
            registered[i] = r.nextInt(100);
            lastUpdate[i] = 1000 + r.nextInt(100);
            if (i < validators) {
                stake[i] = 1_000_000_000L * (1 + r.nextInt(100_000));
                permit[i] = true;
                for (int j = validators; j < n; j++) {
                    weights.add(j, r.nextInt(65536));
                    bonds.add(j, r.nextInt(65536));
                }
            }
            weights.endRow();
            bonds.endRow();
        }
        Hyperparameters hyper = new Hyperparameters(32767, 65535, 900_000, r.nextBoolean(), false, 45875, 58982, 1000,
                Math.max(validators, 64), 13889, 0);
        return new EpochInput(n, 1200, 360, 1_000_000_000_000L, 840, EpochInput.NO_OWNER, hyper, stake, lastUpdate,
                registered, permit, weights.build(), bonds.build(), null);
    }

    private static int pick(Random r, int... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static long pick(Random r, long... choices) {
        return choices[r.nextInt(choices.length)];
    }
}

package io.cortex.bench.epoch;

import io.cortex.ledger.yuma.EpochInput;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.ledger.yuma.EpochOutput;
import io.cortex.ledger.yuma.Hyperparameters;
import io.cortex.ledger.yuma.StoredMatrix;
import io.cortex.ledger.yuma.YumaEpoch;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The benchmark subnet of issue 2: n uids, the first {@code validators} of them staked and weighting every
 * non-validator with random u16 weights (max-upscaled per row, as set_weights stores them), default
 * hyper-parameters of a new subnet (Yuma3), and the bonds one earlier epoch left. Seeded, so the JMH
 * benchmark and the numpy peer run on the same inputs.
 *
 * <p>{@code java -cp benchmarks.jar io.cortex.bench.epoch.BenchSubnet DIR} writes
 * {@code DIR/epoch-n256.json}, {@code -n1024} and {@code -n4096}.
 */
public final class BenchSubnet {
    /** The three sizes of issue 2: n and its number of validators. */
    public static final int[][] SIZES = {{256, 64}, {1024, 128}, {4096, 256}};

    private BenchSubnet() {
    }

    public static int validatorsFor(int n) {
        for (int[] size : SIZES) {
            if (size[0] == n) {
                return size[1];
            }
        }
        throw new IllegalArgumentException("no benchmark subnet of n = " + n);
    }

    public static EpochInput input(int n, int validators, long seed) {
        return input(n, validators, seed, false);
    }

    /** The benchmark subnet with mean consensus on or off (the kappa median). */
    public static EpochInput input(int n, int validators, long seed, boolean meanConsensus) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] stake = new long[n];
        long[] lastUpdate = new long[n];
        long[] registered = new long[n];
        boolean[] permit = new boolean[n];
        StoredMatrix.Builder weights = StoredMatrix.builder(n, validators * (n - validators));
        for (int i = 0; i < n; i++) {
            registered[i] = r.nextInt(100);
            lastUpdate[i] = i < validators ? 2000 + r.nextInt(150) : registered[i];
            if (i < validators) {
                stake[i] = 1_000_000_000L * (1000 + r.nextInt(1_000_000));
                permit[i] = true;
                int[] row = new int[n - validators];
                int max = 1;
                for (int k = 0; k < row.length; k++) {
                    row[k] = 1 + r.nextInt(65535);
                    max = Math.max(max, row[k]);
                }
                for (int k = 0; k < row.length; k++) {
                    weights.add(validators + k, (int) Math.round(row[k] * 65535.0 / max));
                }
            }
            weights.endRow();
        }
        Hyperparameters hyper = Hyperparameters.defaults();
        hyper = new Hyperparameters(hyper.kappa(), hyper.bondsPenalty(), hyper.bondsMovingAverage(), hyper.yuma3(),
                hyper.liquidAlpha(), hyper.alphaLow(), hyper.alphaHigh(), hyper.alphaSigmoidSteepness(),
                validators, hyper.activityCutoffFactorMilli(), hyper.stakeThreshold(), meanConsensus);
        EpochInput previous = new EpochInput(n, 1800, 360, 1_000_000_000_000L, 1440, EpochInput.NO_OWNER, hyper,
                stake, lastUpdate, registered, permit, weights.build(), StoredMatrix.empty(n), null);
        EpochOutput earlier = YumaEpoch.run(previous);
        return new EpochInput(n, 2160, 360, 1_000_000_000_000L, 1800, EpochInput.NO_OWNER, hyper, stake, lastUpdate,
                registered, earlier.validatorPermit(), previous.weights(), earlier.bonds(), null);
    }

    /** The large subnet: 32 768 uids (the size mean consensus is for), 256 of them validators. */
    public static final int LARGE_N = 32_768;
    public static final int LARGE_VALIDATORS = 256;

    /**
     * Writes the benchmark inputs: with no option the three sizes of issue 2; with {@code --large} the
     * 32 768-uid subnet, with the kappa median ({@code epoch-n32768-median.json}) and with mean consensus
     * ({@code -mean}).
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/target");
        Files.createDirectories(dir);
        if (args.length > 1 && args[1].equals("--large")) {
            for (boolean mean : new boolean[] {false, true}) {
                Path file = dir.resolve("epoch-n" + LARGE_N + (mean ? "-mean" : "-median") + ".json");
                try (OutputStream out = Files.newOutputStream(file)) {
                    EpochJson.writeInput(input(LARGE_N, LARGE_VALIDATORS, 42, mean), out);
                }
                System.out.println("wrote " + file);
            }
            return;
        }
        for (int[] size : SIZES) {
            Path file = dir.resolve("epoch-n" + size[0] + ".json");
            try (OutputStream out = Files.newOutputStream(file)) {
                EpochJson.writeInput(input(size[0], size[1], 42), out);
            }
            System.out.println("wrote " + file);
        }
    }
}

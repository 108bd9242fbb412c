package io.cortex.bench.epoch;

import io.cortex.ledger.fixed.Chunks;
import io.cortex.ledger.yuma.EpochInput;
import io.cortex.ledger.yuma.EpochOutput;
import io.cortex.ledger.yuma.YumaEpoch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Yuma epoch on the benchmark subnet ({@link BenchSubnet}): n = 256 (64 validators), 1024 (128) and
 * 4096 (256), every validator weighting every non-validator. Sample mode, so JMH reports the median.
 * {@code epoch} is what the ledger runs; {@code epochOneThread} the same with no parallel passes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class EpochBenchmark {

    @Param({"256", "1024", "4096"})
    int n;

    EpochInput input;

    @Setup
    public void setUp() {
        input = BenchSubnet.input(n, BenchSubnet.validatorsFor(n), 42);
    }

    /** The epoch as the ledger runs it: large passes split over the cores. */
    @Benchmark
    public EpochOutput epoch() {
        return YumaEpoch.run(input);
    }

    /** The same epoch with every pass in the calling thread, for the single-core figure. */
    @Benchmark
    public EpochOutput epochOneThread() {
        return Chunks.sequentially(() -> YumaEpoch.run(input));
    }
}

package io.cortex.bench.epoch;

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
 * One epoch of a 32 768-uid subnet ({@link BenchSubnet#LARGE_N}, 256 validators each weighting every other
 * uid: 8.3 million weights), with the kappa median and with mean consensus. Sample mode: JMH reports the
 * median.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class LargeEpochBenchmark {

    @Param({"median", "mean"})
    String consensus;

    EpochInput input;

    @Setup
    public void setUp() {
        input = BenchSubnet.input(BenchSubnet.LARGE_N, BenchSubnet.LARGE_VALIDATORS, 42, consensus.equals("mean"));
    }

    @Benchmark
    public EpochOutput epoch() {
        return YumaEpoch.run(input);
    }
}

package io.cortex.deploy.cli;

import io.cortex.ledger.yuma.EpochInput;
import io.cortex.ledger.yuma.EpochJson;
import io.cortex.ledger.yuma.EpochOutput;
import io.cortex.ledger.yuma.YumaEpoch;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortex epoch}: runs one Yuma epoch on an EpochInput file and writes the EpochOutput
 * (epoch-io.md), the same function the ledger runs, so any recorded epoch can be re-run by hand.
 */
@Command(name = "epoch",
        description = {"Run one Yuma epoch on an EpochInput (JSON, epoch-io.md) and write the EpochOutput.",
            "With --repeat N the epoch runs N more times and the median time per epoch is printed on stderr."})
public final class EpochCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "IN.json", description = "EpochInput file, or - for stdin")
    String in;

    @Option(names = "--out", required = true, paramLabel = "OUT.json", description = "EpochOutput file, or - for stdout")
    String out;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "0",
            description = "run the epoch N more times and print the median milliseconds per epoch (parsing excluded)")
    int repeat;

    @Override
    public Integer call() throws IOException {
        if (repeat < 0) {
            throw new IllegalArgumentException("--repeat must be 0 or more, got " + repeat);
        }
        EpochInput input = read();
        EpochOutput output = YumaEpoch.run(input);
        write(output);
        if (repeat > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(String.format(Locale.ROOT, "epoch n=%d: median %.3f ms per epoch over %d runs",
                    input.n(), medianMillis(input, repeat), repeat));
            err.flush();
        }
        return 0;
    }

    private EpochInput read() throws IOException {
        try (InputStream stream = in.equals("-") ? System.in : Files.newInputStream(Path.of(in))) {
            return EpochJson.readInput(stream);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + in + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + in + ": permission denied");
        }
    }

    private void write(EpochOutput output) throws IOException {
        if (out.equals("-")) {
            OutputStream stdout = new BufferedOutputStream(System.out);
            EpochJson.writeOutput(output, new NonClosing(stdout));
            stdout.flush();
            return;
        }
        Path target = Path.of(out);
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("cannot write " + out + ": no such directory " + parent);
        }
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(target))) {
            EpochJson.writeOutput(output, file);
        }
    }

    static double medianMillis(EpochInput input, int runs) {
        long[] nanos = new long[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            YumaEpoch.run(input);
            nanos[r] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double median = runs % 2 == 1 ? nanos[runs / 2] : (nanos[runs / 2 - 1] + nanos[runs / 2]) / 2.0;
        return median / 1e6;
    }

    /** Lets the JSON writer close its generator without closing stdout. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

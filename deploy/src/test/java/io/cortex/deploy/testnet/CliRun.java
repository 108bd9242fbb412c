package io.cortex.deploy.testnet;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.cortex.deploy.CortexCli;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command line in this JVM, exactly as {@code ./cortex} would run it. */
public record CliRun(int exit, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Runs and insists on success. */
    public static CliRun ok(String... args) {
        CliRun r = of(args);
        if (r.exit != 0) {
            throw new AssertionError("cortex " + String.join(" ", args) + " exited " + r.exit + ":\n" + r.err + r.out);
        }
        return r;
    }

    /** The output of a --json command as a protobuf message. */
    public <B extends Message.Builder> B json(B builder) {
        try {
            JsonFormat.parser().merge(out, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not JSON of " + builder.getDescriptorForType().getName() + ": " + out, e);
        }
    }
}

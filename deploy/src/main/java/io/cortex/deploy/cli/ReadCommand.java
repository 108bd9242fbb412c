package io.cortex.deploy.cli;

import com.google.protobuf.MessageOrBuilder;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that reads one reply from a node and prints it: as protobuf's JSON with {@code --json}, else as
 * the subclass writes it for a person.
 */
abstract class ReadCommand<R extends MessageOrBuilder> implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Override
    public final Integer call() {
        try (Api api = connection.open()) {
            R reply = read(api);
            PrintWriter out = spec.commandLine().getOut();
            if (connection.json()) {
                Output.json(out, reply);
            } else {
                print(api, reply, out);
            }
            out.flush();
        }
        return 0;
    }

    /** Asks the node. */
    abstract R read(Api api);

    /** The reply, for a person. */
    abstract void print(Api api, R reply, PrintWriter out);
}

package io.cortex.deploy.cli;

import com.google.protobuf.MessageOrBuilder;
import java.io.PrintWriter;

/**
 * A command that reads one reply from a node and prints it: as protobuf's JSON with {@code --json}, else as
 * the subclass writes it for a person.
 */
abstract class ReadCommand<R extends MessageOrBuilder> extends NodeCall {
    @Override
    final void run(Api api, PrintWriter out) {
        R reply = read(api);
        if (connection.json()) {
            Output.json(out, reply);
        } else {
            print(api, reply, out);
        }
    }

    /** Asks the node. */
    abstract R read(Api api);

    /** The reply, for a person. */
    abstract void print(Api api, R reply, PrintWriter out);
}

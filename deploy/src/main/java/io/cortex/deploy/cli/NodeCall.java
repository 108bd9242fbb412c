package io.cortex.deploy.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that makes one call to a node: the connection's options, and the run that opens it and closes it. */
abstract class NodeCall implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Override
    public final Integer call() {
        try (Api api = connection.open()) {
            PrintWriter out = spec.commandLine().getOut();
            run(api, out);
            out.flush();
        }
        return 0;
    }

    /** The call, and what it prints. */
    abstract void run(Api api, PrintWriter out);
}

package io.cortex.deploy.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that submits a signed transaction to a node and says what it did: the connection, and the run
 * that opens it, submits (the subclass, through {@link Submitter}) and prints the subclass's line.
 */
abstract class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Override
    public final Integer call() {
        try (Api api = connection.open()) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(submit(api));
            out.flush();
        }
        return 0;
    }

    /** Signs and submits the transaction, waiting for its block; returns what to tell the user. */
    abstract String submit(Api api);
}

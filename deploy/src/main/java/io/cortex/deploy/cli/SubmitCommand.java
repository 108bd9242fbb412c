package io.cortex.deploy.cli;

import java.io.PrintWriter;

/**
 * A command that submits a signed transaction to a node and says what it did: it submits (the subclass, through
 * {@link Submitter}) and prints the subclass's line.
 */
abstract class SubmitCommand extends NodeCall {
    @Override
    final void run(Api api, PrintWriter out) {
        out.println(submit(api));
    }

    /** Signs and submits the transaction, waiting for its block; returns what to tell the user. */
    abstract String submit(Api api);
}

package io.cortex.deploy.support;

/**
 * A command that cannot do what it was asked, for a reason the user should read as one line: an unreachable
 * node, a wrong password, a transaction the ledger rejected. Exit code 1; bad input is an
 * {@link IllegalArgumentException}, exit code 2.
 */
public final class CliFailure extends RuntimeException {
    public CliFailure(String message) {
        super(message);
    }

    public CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.cortex.sdk;

/**
 * A wallet that cannot be opened or written, for a reason its user reads as one line: a wrong password, no
 * password given where none can be asked, an unreadable or unwritable key file. The cause, when there is one,
 * is the {@link java.io.IOException} (a wrong password's is {@code WalletFile.WrongPasswordException}). Bad
 * input (a malformed wallet name, a wallet or hotkey that does not exist) is an {@link IllegalArgumentException}.
 */
public final class WalletException extends RuntimeException {
    public WalletException(String message) {
        super(message);
    }

    public WalletException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.cortex.deploy.cli;

import io.cortex.core.identity.Keypair;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --password-file} of the commands that open a wallet's coldkey to sign (a mixin). */
final class PasswordFile {
    @Option(names = "--password-file", paramLabel = "FILE")
    Path file;

    /** The wallet's coldkey, opened with the password from the file (else as {@link Wallets.Passwords} asks). */
    Keypair coldkey(String wallet) {
        return Wallets.standard().coldkey(wallet, new Wallets.Passwords(file));
    }
}

package io.cortex.deploy.cli;

import java.nio.file.Path;

/**
 * The SDK's {@link io.cortex.sdk.Wallets} under the name the command's classes use: the wallets in
 * {@link Home#wallets()}. Its refusals reach the user as the command line shows any: bad input
 * ({@link IllegalArgumentException}) exits 2, a {@link io.cortex.sdk.WalletException} (a wrong password, an
 * unreadable key file) exits 1, each as one line.
 */
public final class Wallets extends io.cortex.sdk.Wallets {

    public Wallets(Path dir) {
        super(dir);
    }

    public static Wallets standard() {
        return new Wallets(Home.wallets());
    }
}

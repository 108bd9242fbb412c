package io.cortex.deploy.cli;

import io.cortex.sdk.CortexHome;
import java.nio.file.Path;

/**
 * Where the command line keeps its files: wallets and the local testnet's state, under the SDK's
 * {@link CortexHome} (the system property {@code cortex.home}, else {@code CORTEX_HOME}, else {@code ~/.cortex}).
 */
public final class Home {
    private Home() {
    }

    public static Path dir() {
        return CortexHome.dir();
    }

    public static Path wallets() {
        return CortexHome.wallets();
    }

    public static Path testnet() {
        return dir().resolve("testnet");
    }
}

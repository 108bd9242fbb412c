package io.cortex.deploy.cli;

import java.nio.file.Path;

/**
 * Where the command line keeps its files: wallets and the local testnet's state. The system property
 * {@code cortex.home}, else the environment variable {@code CORTEX_HOME}, else {@code ~/.cortex}.
 */
public final class Home {
    private Home() {
    }

    public static Path dir() {
        String property = System.getProperty("cortex.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("CORTEX_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cortex");
    }

    public static Path wallets() {
        return dir().resolve("wallets");
    }

    public static Path testnet() {
        return dir().resolve("testnet");
    }
}

package io.cortex.sdk;

import java.nio.file.Path;

/**
 * Where Cortex programs keep their files: the system property {@code cortex.home}, else the environment
 * variable {@code CORTEX_HOME}, else {@code ~/.cortex}. The command line and the SDK read the same place, so a
 * wallet made by {@code cortex wallet create} opens in any program built on the SDK.
 */
public final class CortexHome {
    /** The system property that names the home directory; it wins over {@link #ENV}. */
    public static final String PROPERTY = "cortex.home";
    /** The environment variable that names the home directory. */
    public static final String ENV = "CORTEX_HOME";

    private CortexHome() {
    }

    public static Path dir() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cortex");
    }

    /** The wallets directory, {@code HOME/wallets}. */
    public static Path wallets() {
        return dir().resolve("wallets");
    }
}

package io.cortex.deploy.cli;

import io.cortex.deploy.support.CliFailure;
import io.cortex.deploy.testnet.TestnetState;
import io.cortex.sdk.CortexHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the command line keeps its files: wallets and the local testnet's state, under the SDK's
 * {@link CortexHome} (the system property {@code cortex.home}, else {@code CORTEX_HOME}, else {@code ~/.cortex}).
 */
public final class Home {
    /** A file in the home naming the data directory of the testnet last started with --data. */
    static final String CURRENT_TESTNET = "testnet.current";

    private Home() {
    }

    public static Path dir() {
        return CortexHome.dir();
    }

    public static Path wallets() {
        return CortexHome.wallets();
    }

    /**
     * The local testnet's data directory: the one the last {@code testnet up --data DIR} named while its testnet
     * is there, else {@code testnet} in the home. Every command that looks for the local testnet looks here.
     */
    public static Path testnet() {
        return pointedTestnet().filter(dir -> Files.isRegularFile(dir.resolve(TestnetState.FILE))).orElse(defaultTestnet());
    }

    public static Path defaultTestnet() {
        return dir().resolve("testnet");
    }

    /** Records the directory of a testnet just started, so that other commands find it. */
    static void useTestnet(Path dir) {
        Path pointer = dir().resolve(CURRENT_TESTNET);
        try {
            if (dir.toAbsolutePath().normalize().equals(defaultTestnet().toAbsolutePath().normalize())) {
                Files.deleteIfExists(pointer);
            } else {
                Files.createDirectories(dir());
                Files.writeString(pointer, dir.toAbsolutePath().normalize() + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new CliFailure("cannot record the testnet's directory in " + pointer + ": " + e.getMessage());
        }
    }

    /** The testnet under {@code dir} stopped: other commands no longer look there. */
    static void forgetTestnet(Path dir) {
        if (pointedTestnet().filter(dir.toAbsolutePath().normalize()::equals).isPresent()) {
            try {
                Files.delete(dir().resolve(CURRENT_TESTNET));
            } catch (IOException e) {
                // a stale pointer is ignored anyway once its testnet is gone
            }
        }
    }

    /** The directory {@code testnet.current} names; empty without one, or when it cannot be read. */
    private static Optional<Path> pointedTestnet() {
        Path pointer = dir().resolve(CURRENT_TESTNET);
        try {
            return Files.isRegularFile(pointer)
                    ? Optional.of(Path.of(Files.readString(pointer, StandardCharsets.UTF_8).trim()))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged pointer is no pointer
        }
    }
}

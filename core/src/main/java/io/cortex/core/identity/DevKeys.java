package io.cortex.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Well-known keys for local testnets, as Substrate's {@code //Alice}: the seed is SHA-256 of a public
 * phrase, so anyone can sign as them. A ledger accepts them only in dev mode.
 */
public final class DevKeys {
    /** The names, in the order testnets hand them out. */
    public static final List<String> NAMES = List.of("alice", "bob", "charlie", "dave", "eve", "ferdie");
    /** Hotkey indices a ledger outside dev mode refuses along with the coldkeys. */
    public static final int HOTKEYS_PER_NAME = 64;

    private DevKeys() {
    }

    /** The coldkey of a dev name (any name works; the listed ones are the conventional). */
    public static Keypair coldkey(String name) {
        return Keypair.fromSeed(seed("cortex-dev-coldkey:" + name));
    }

    /** Hotkey {@code index} of a dev name: testnets give each neuron its own hotkey. */
    public static Keypair hotkey(String name, int index) {
        return Keypair.fromSeed(seed("cortex-dev-hotkey:" + name + "/" + index));
    }

    private static byte[] seed(String phrase) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(phrase.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JDK", e);
        }
    }
}

package io.cortex.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * An account: the 32-byte Ed25519 public key of a coldkey or hotkey. Its readable form is {@code cx}
 * followed by the Base58 of the key and a 4-byte checksum (the first bytes of SHA-256 over a domain tag and
 * the key), so a mistyped address is rejected rather than paid. Immutable; compared by key bytes.
 */
public final class Address implements Comparable<Address> {
    public static final int LENGTH = 32;
    private static final String PREFIX = "cx";
    private static final int CHECKSUM = 4;
    private static final byte[] DOMAIN = "cortex-address".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;

    private Address(byte[] key) {
        this.key = key;
    }

    /** The address of a raw 32-byte Ed25519 public key. */
    public static Address of(byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("an address is " + LENGTH + " bytes, got " + key.length);
        }
        return new Address(key.clone());
    }

    /** Parses the readable form; the message says what is wrong with a bad one. */
    public static Address parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a Cortex address (they start with \"" + PREFIX + "\"): " + text);
        }
        byte[] decoded = Base58.decode(text.substring(PREFIX.length()));
        if (decoded.length != LENGTH + CHECKSUM) {
            throw new IllegalArgumentException("not a Cortex address (wrong length): " + text);
        }
        byte[] key = Arrays.copyOf(decoded, LENGTH);
        if (!Arrays.equals(checksum(key), 0, CHECKSUM, decoded, LENGTH, LENGTH + CHECKSUM)) {
            throw new IllegalArgumentException("address checksum does not match (mistyped?): " + text);
        }
        return new Address(key);
    }

    /** The raw public key (a copy). */
    public byte[] bytes() {
        return key.clone();
    }

    /** Writes the raw key without copying. */
    public void writeTo(byte[] target, int offset) {
        System.arraycopy(key, 0, target, offset, LENGTH);
    }

    @Override
    public String toString() {
        byte[] withChecksum = Arrays.copyOf(key, LENGTH + CHECKSUM);
        System.arraycopy(checksum(key), 0, withChecksum, LENGTH, CHECKSUM);
        return PREFIX + Base58.encode(withChecksum);
    }

    /** A short form for tables and logs: the first characters of the readable form. */
    public String shortForm() {
        String s = toString();
        return s.substring(0, 10) + "…";
    }

    private static byte[] checksum(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            return sha.digest(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JDK", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && Arrays.equals(key, a.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public int compareTo(Address o) {
        return Arrays.compareUnsigned(key, o.key);
    }
}

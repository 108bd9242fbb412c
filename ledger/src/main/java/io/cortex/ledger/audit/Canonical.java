package io.cortex.ledger.audit;

import io.cortex.core.identity.Address;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The canonical binary encoding everything that is signed or hashed goes through: big-endian fixed-width
 * integers, length-prefixed bytes and strings, doubles by their IEEE bits. One encoding means one hash:
 * two ledgers that agree on the state agree on its hash, in any JVM.
 *
 * <p>It writes either to a byte array ({@link #bytes()}) or straight into a SHA-256 digest
 * ({@link #hashing()}), so hashing a large state allocates nothing proportional to it.
 */
public final class Canonical {
    private final ByteArrayOutputStream buffer;
    private final MessageDigest digest;
    private final byte[] scratch = new byte[8];

    private Canonical(ByteArrayOutputStream buffer, MessageDigest digest) {
        this.buffer = buffer;
        this.digest = digest;
    }

    /** An encoder that collects bytes. */
    public static Canonical bytes() {
        return new Canonical(new ByteArrayOutputStream(), null);
    }

    /** An encoder that feeds SHA-256 directly; finish with {@link #digest()}. */
    public static Canonical hashing() {
        return new Canonical(null, sha256());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JDK", e);
        }
    }

    public static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    private void raw(byte[] b, int off, int len) {
        if (digest != null) {
            digest.update(b, off, len);
        } else {
            buffer.write(b, off, len);
        }
    }

    public Canonical tag(String domain) {
        return string(domain);
    }

    public Canonical u8(int v) {
        scratch[0] = (byte) v;
        raw(scratch, 0, 1);
        return this;
    }

    public Canonical bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public Canonical i32(int v) {
        for (int i = 0; i < 4; i++) {
            scratch[i] = (byte) (v >>> (24 - 8 * i));
        }
        raw(scratch, 0, 4);
        return this;
    }

    public Canonical i64(long v) {
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (v >>> (56 - 8 * i));
        }
        raw(scratch, 0, 8);
        return this;
    }

    public Canonical f64(double v) {
        return i64(Double.doubleToLongBits(v));
    }

    public Canonical bytes(byte[] v) {
        i32(v.length);
        raw(v, 0, v.length);
        return this;
    }

    public Canonical string(String v) {
        return bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    public Canonical address(Address a) {
        byte[] key = a.bytes();
        raw(key, 0, key.length);
        return this;
    }

    /** A nullable address: a presence byte, then the key. */
    public Canonical optionalAddress(Address a) {
        u8(a == null ? 0 : 1);
        return a == null ? this : address(a);
    }

    /** The collected bytes (for {@link #bytes()} encoders). */
    public byte[] toByteArray() {
        if (buffer == null) {
            throw new IllegalStateException("a hashing encoder keeps no bytes");
        }
        return buffer.toByteArray();
    }

    /** The SHA-256 of everything written (for {@link #hashing()} encoders). */
    public byte[] digest() {
        if (digest == null) {
            return sha256(buffer.toByteArray());
        }
        return digest.digest();
    }

    public static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            s.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return s.toString();
    }

    public static byte[] unhex(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd-length hex");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex: " + hex);
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}

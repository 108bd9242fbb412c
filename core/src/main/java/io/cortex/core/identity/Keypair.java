package io.cortex.core.identity;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 key pair (RFC 8032): signs as its {@link #address()}. Keys are created from a 32-byte seed,
 * which is what wallet files store (encrypted) and what dev keys derive from a name.
 *
 * <p>The arithmetic is Bouncy Castle's {@code rfc8032.Ed25519}, not the JDK's provider: the same keys and
 * signatures (RFC 8032 signatures are deterministic; {@code IdentityTest} checks both against each other and
 * against the RFC's vectors), at several times the rate, and every node, the ledger above all, verifies
 * each signed transaction and handshake. Verification also refuses public keys of small order, which the
 * JDK accepts.
 */
public final class Keypair {
    public static final int SEED_LENGTH = Ed25519.SECRET_KEY_SIZE;
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    private final byte[] seed;
    private final byte[] publicKey;
    private final Address address;

    private Keypair(byte[] seed, byte[] publicKey) {
        this.seed = seed;
        this.publicKey = publicKey;
        this.address = Address.of(publicKey);
    }

    /** A new random key pair. */
    public static Keypair generate() {
        byte[] seed = new byte[SEED_LENGTH];
        new SecureRandom().nextBytes(seed);
        return fromSeed(seed);
    }

    /** The key pair of a 32-byte seed (the Ed25519 private key). */
    public static Keypair fromSeed(byte[] seed) {
        if (seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
        }
        byte[] copy = seed.clone();
        byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(copy, 0, publicKey, 0);
        return new Keypair(copy, publicKey);
    }

    public Address address() {
        return address;
    }

    /** The seed, for writing an (encrypted) wallet file. */
    byte[] seed() {
        return seed.clone();
    }

    /** An Ed25519 signature of the message. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    /** Whether {@code signature} is the signature of {@code message} by {@code signer}. Never throws. */
    public static boolean verify(Address signer, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH || message == null) {
            return false;
        }
        byte[] publicKey = new byte[Address.LENGTH];
        signer.writeTo(publicKey, 0);
        try {
            return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "Keypair[" + address + "]";
    }
}

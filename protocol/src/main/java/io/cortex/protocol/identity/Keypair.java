package io.cortex.protocol.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * An Ed25519 key pair from the JDK provider: signs as its {@link #address()}. Keys are created from a
 * 32-byte seed, which is what wallet files store (encrypted) and what dev keys derive from a name.
 */
public final class Keypair {
    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519; the raw 32-byte key follows it. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    public static final int SEED_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] seed;
    private final PrivateKey privateKey;
    private final Address address;

    private Keypair(byte[] seed, PrivateKey privateKey, Address address) {
        this.seed = seed;
        this.privateKey = privateKey;
        this.address = address;
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
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            // The JDK generator takes the private key from its random source: hand it the seed.
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(copy, 0, bytes, 0, Math.min(bytes.length, copy.length));
                }
            });
            java.security.KeyPair pair = generator.generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            Address address = Address.of(Arrays.copyOfRange(encoded, encoded.length - Address.LENGTH, encoded.length));
            return new Keypair(copy, pair.getPrivate(), address);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is missing from this JDK", e);
        }
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
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether {@code signature} is the signature of {@code message} by {@code signer}. Never throws. */
    public static boolean verify(Address signer, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(publicKey(signer));
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a key that is not a curve point, a malformed signature
        }
    }

    private static PublicKey publicKey(Address address) throws GeneralSecurityException {
        byte[] x509 = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + Address.LENGTH);
        address.writeTo(x509, X509_PREFIX.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    @Override
    public String toString() {
        return "Keypair[" + address + "]";
    }
}

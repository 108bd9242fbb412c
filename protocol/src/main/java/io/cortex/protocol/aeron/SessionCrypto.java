package io.cortex.protocol.aeron;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.DirectBuffer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The cryptography of the query path, and why it is at least as strong as an Ed25519 signature on every
 * request (ARCHITECTURE.md section 5, issue 4).
 *
 * <p>A session opens with a HELLO signed by the caller's hotkey and a HELLO_ACK signed by the target
 * miner's hotkey. Each carries a fresh X25519 key; the X25519 secret, through HKDF-SHA256 salted with the
 * hash of both frames, gives a 256-bit session key that only those two ends can hold. Every request and
 * response then carries HMAC-SHA256 under that key over its header, including the body's SHA-256, a nonce
 * that must strictly increase and the send time. So, as with a per-request signature:
 * <ul>
 *   <li>only the caller's hotkey could have opened the session (Ed25519 on HELLO), and only a party in the
 *       session can produce a valid MAC: a request is as attributable to that hotkey as a signed one;</li>
 *   <li>any change to header or body breaks the MAC (SHA-256 binds the body);</li>
 *   <li>a replayed request fails the nonce check, a stale one the freshness window;</li>
 * </ul>
 * and more: the miner is authenticated too (signed HELLO_ACK, MAC on responses), and the ephemeral keys give
 * forward secrecy. What is given up is non-repudiation towards third parties, which the protocol never
 * used. The gain is speed: an Ed25519 verification costs about 0.09 ms here (0.4-0.7 ms with the JDK's),
 * HMAC-SHA256 a microsecond, and the query path must be within a few times Aeron's own round trip.
 */
public final class SessionCrypto {
    private static final byte[] X25519_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};
    private static final byte[] INFO = "cortex-session/1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final int KEY_LENGTH = 32;
    /** A raw X25519 public key, as HELLO and HELLO_ACK carry it (RFC 7748 u-coordinate). */
    public static final int EPHEMERAL_KEY_LENGTH = 32;
    public static final int MAC_LENGTH = 32;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private SessionCrypto() {
    }

    /** A fresh X25519 key pair: the private key and the raw 32-byte public key. */
    public record Ephemeral(PrivateKey privateKey, byte[] publicKey) {
    }

    public static Ephemeral ephemeral() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            return new Ephemeral(pair.getPrivate(), Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is missing from this JDK", e);
        }
    }

    /**
     * The session key: HKDF-SHA256 of the X25519 secret between our private key and their public key,
     * salted with the transcript hash (so a key belongs to one exchange).
     *
     * @throws GeneralSecurityException for a public key that is not a valid X25519 point
     */
    public static byte[] sessionKey(PrivateKey ours, byte[] theirPublic, byte[] transcript) throws GeneralSecurityException {
        byte[] x509 = Arrays.copyOf(X25519_PREFIX, X25519_PREFIX.length + 32);
        System.arraycopy(theirPublic, 0, x509, X25519_PREFIX.length, 32);
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(ours);
        agreement.doPhase(KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(x509)), true);
        byte[] secret = agreement.generateSecret();
        // RFC 5869 with Bouncy Castle's HKDF: Extract salted with the transcript hash, Expand to one 32-byte block
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, sha256(transcript), INFO));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    public static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }

    /**
     * HMAC-SHA256 under {@code key} of {@code domain} then {@code length} bytes of the buffer, by the JDK's
     * {@code Mac}: the reference the tests hold the transport's {@link SessionMac} to, and the way they forge
     * frames. It allocates on every call; the transport uses {@link SessionMac}.
     */
    public static byte[] mac(byte[] key, byte domain, DirectBuffer buffer, int offset, int length) {
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        mac.update(domain);
        byte[] header = new byte[length];
        buffer.getBytes(offset, header);
        mac.update(header);
        return mac.doFinal();
    }

    /** Whether the MAC at {@code macOffset} is the MAC of the bytes before it, compared in constant time. */
    public static boolean macValid(byte[] key, byte domain, DirectBuffer buffer, int offset, int macOffset) {
        byte[] expected = mac(key, domain, buffer, offset, macOffset);
        byte[] actual = new byte[MAC_LENGTH];
        buffer.getBytes(offset + macOffset, actual);
        return MessageDigest.isEqual(expected, actual);
    }
}

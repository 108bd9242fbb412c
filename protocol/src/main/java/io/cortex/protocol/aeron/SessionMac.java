package io.cortex.protocol.aeron;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * HMAC-SHA256 (RFC 2104) under one session's key ({@link SessionCrypto}), for signing and checking frame headers
 * without allocating: the key's padded blocks are made once, and each MAC is two passes of the JDK's SHA-256
 * into buffers of this object. Neither ready-made MAC fits the request path: the JDK's {@code Mac} returns a new
 * array from every {@code doFinal}, and Bouncy Castle's {@code HMac}, which does not, runs SHA-256 in plain Java,
 * which made round trips over IPC half as fast (BENCHMARKS.md, issue 19); the JDK's SHA-256 runs on the CPU's
 * SHA instructions. {@code WireVectorTest} checks its MACs against the JDK's {@code Mac}.
 *
 * <p>Not thread-safe: each side of a session keeps one for the poller thread, which checks, and one that
 * senders use under its lock.
 */
final class SessionMac {
    private static final int BLOCK = 64;

    private final MessageDigest sha;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] chunk = new byte[128];
    private final byte[] inner = new byte[SessionCrypto.MAC_LENGTH];
    private final byte[] result = new byte[SessionCrypto.MAC_LENGTH];

    SessionMac(byte[] key) {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        byte[] k = key.length > BLOCK ? sha.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /** Writes the MAC of {@code domain} and the {@code macOffset} bytes at {@code offset}, right after them. */
    void sign(byte domain, MutableDirectBuffer buffer, int offset, int macOffset) {
        compute(domain, buffer, offset, macOffset);
        buffer.putBytes(offset + macOffset, result);
    }

    /** Whether the MAC at {@code macOffset} is the MAC of the bytes before it, compared in constant time. */
    boolean valid(byte domain, DirectBuffer buffer, int offset, int macOffset) {
        compute(domain, buffer, offset, macOffset);
        int difference = 0;
        for (int i = 0; i < result.length; i++) {
            difference |= result[i] ^ buffer.getByte(offset + macOffset + i);
        }
        return difference == 0;
    }

    private void compute(byte domain, DirectBuffer buffer, int offset, int length) {
        try {
            sha.update(innerPad);
            sha.update(domain);
            for (int done = 0, n; done < length; done += n) {
                n = Math.min(chunk.length, length - done);
                buffer.getBytes(offset + done, chunk, 0, n);
                sha.update(chunk, 0, n);
            }
            sha.digest(inner, 0, inner.length);
            sha.update(outerPad);
            sha.update(inner);
            sha.digest(result, 0, result.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // the buffers are the digest's length
        }
    }
}

package io.cortex.protocol.aeron;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * HMAC-SHA256 (RFC 2104) under one session's key ({@link SessionCrypto}), for signing and checking frame headers
 * without allocating. A session keeps only its key's two padded blocks (128 bytes, made once); the digest and
 * the scratch buffers belong to the thread ({@link Worker}), so any thread may sign or check without a lock.
 * Neither ready-made MAC fits the request path: the JDK's {@code Mac} returns a new array from every
 * {@code doFinal}, and Bouncy Castle's {@code HMac}, which does not, runs SHA-256 in plain Java, which made round
 * trips over IPC half as fast (BENCHMARKS.md, issue 19); the JDK's SHA-256 runs on the CPU's SHA instructions.
 * {@code WireVectorTest} checks its MACs against the JDK's {@code Mac}.
 */
final class SessionMac {
    private static final int BLOCK = 64;
    private static final ThreadLocal<Worker> WORKER = ThreadLocal.withInitial(Worker::new);

    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];

    SessionMac(byte[] key) {
        byte[] k = key.length > BLOCK ? WORKER.get().sha.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /** Writes the MAC of {@code domain} and the {@code macOffset} bytes at {@code offset}, right after them. */
    void sign(byte domain, MutableDirectBuffer buffer, int offset, int macOffset) {
        Worker w = WORKER.get();
        w.compute(this, domain, buffer, offset, macOffset);
        buffer.putBytes(offset + macOffset, w.result);
    }

    /** Whether the MAC at {@code macOffset} is the MAC of the bytes before it, compared in constant time. */
    boolean valid(byte domain, DirectBuffer buffer, int offset, int macOffset) {
        Worker w = WORKER.get();
        w.compute(this, domain, buffer, offset, macOffset);
        int difference = 0;
        for (int i = 0; i < w.result.length; i++) {
            difference |= w.result[i] ^ buffer.getByte(offset + macOffset + i);
        }
        return difference == 0;
    }

    /** A thread's SHA-256 and buffers. */
    private static final class Worker {
        final MessageDigest sha;
        final byte[] chunk = new byte[128];
        final byte[] inner = new byte[SessionCrypto.MAC_LENGTH];
        final byte[] result = new byte[SessionCrypto.MAC_LENGTH];

        Worker() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JDK", e);
            }
        }

        void compute(SessionMac key, byte domain, DirectBuffer buffer, int offset, int length) {
            sha.reset(); // whatever an interrupted call left
            try {
                sha.update(key.innerPad);
                sha.update(domain);
                for (int done = 0, n; done < length; done += n) {
                    n = Math.min(chunk.length, length - done);
                    buffer.getBytes(offset + done, chunk, 0, n);
                    sha.update(chunk, 0, n);
                }
                sha.digest(inner, 0, inner.length);
                sha.update(key.outerPad);
                sha.update(inner);
                sha.digest(result, 0, result.length);
            } catch (DigestException e) {
                throw new IllegalStateException(e); // the buffers are the digest's length
            }
        }
    }
}

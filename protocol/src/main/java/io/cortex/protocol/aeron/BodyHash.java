package io.cortex.protocol.aeron;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The SHA-256 that binds a frame's body to its MAC'd header, one per thread, without allocating: the JDK's
 * digest, which runs on the CPU's SHA instructions, into this object's buffers.
 */
final class BodyHash {
    private static final ThreadLocal<BodyHash> PER_THREAD = ThreadLocal.withInitial(BodyHash::new);
    static final int LENGTH = 32;

    private final MessageDigest sha;
    private final byte[] chunk = new byte[4096];
    private final byte[] digest = new byte[LENGTH];

    private BodyHash() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static BodyHash get() {
        return PER_THREAD.get();
    }

    /** Writes the SHA-256 of {@code body} at {@code at}. */
    void write(byte[] body, MutableDirectBuffer out, int at) {
        sha.update(body, 0, body.length);
        finish();
        out.putBytes(at, digest);
    }

    /** Whether the 32 bytes at {@code hashAt} are the SHA-256 of the {@code length} bytes at {@code offset}. */
    boolean matches(DirectBuffer buffer, int offset, int length, int hashAt) {
        for (int done = 0, n; done < length; done += n) {
            n = Math.min(chunk.length, length - done);
            buffer.getBytes(offset + done, chunk, 0, n);
            sha.update(chunk, 0, n);
        }
        finish();
        int difference = 0;
        for (int i = 0; i < LENGTH; i++) {
            difference |= digest[i] ^ buffer.getByte(hashAt + i);
        }
        return difference == 0;
    }

    private void finish() {
        try {
            sha.digest(digest, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // the buffer is the digest's length
        }
    }
}

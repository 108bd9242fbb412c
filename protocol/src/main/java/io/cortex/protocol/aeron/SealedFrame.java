package io.cortex.protocol.aeron;

import static io.cortex.protocol.aeron.FrameHeader.BODY_LENGTH_OFFSET;
import static io.cortex.protocol.aeron.FrameHeader.CORRELATION_OFFSET;
import static io.cortex.protocol.aeron.FrameHeader.ORDER;
import static io.cortex.protocol.aeron.FrameHeader.SESSION_OFFSET;

import org.agrona.MutableDirectBuffer;

/**
 * The encoder the two frames of a session share (REQUEST and RESPONSE, protocol/README.md): the {@link FrameHeader}
 * fields, body length, correlation id and session id; the body's SHA-256 and the HMAC-SHA256 of the header before
 * it, under the session's key, at offsets of each frame's own; the body after the header. An encoder wraps a
 * buffer, takes its fields through setters, and {@link #seal}s the frame, writing the body, its length and hash
 * and the MAC itself. Their readers are static: {@link FrameHeader}'s for the shared fields, each flyweight's own.
 */
abstract class SealedFrame<F extends SealedFrame<F>> {
    private final byte type;
    private final int bodyHashOffset;
    private final int macOffset;
    private final int headerLength;
    private final byte macDomain;
    MutableDirectBuffer buffer;
    int offset;

    SealedFrame(byte type, int bodyHashOffset, int macOffset, int headerLength, byte macDomain) {
        this.type = type;
        this.bodyHashOffset = bodyHashOffset;
        this.macOffset = macOffset;
        this.headerLength = headerLength;
        this.macDomain = macDomain;
    }

    @SuppressWarnings("unchecked")
    final F self() {
        return (F) this;
    }

    /** Points this encoder at a frame starting at {@code offset}, and writes its version and type. */
    public F wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        FrameHeader.begin(buffer, offset, type);
        return self();
    }

    /** The buffer this encoder writes into. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public F correlationId(long correlationId) {
        buffer.putLong(offset + CORRELATION_OFFSET, correlationId, ORDER);
        return self();
    }

    public F sessionId(long sessionId) {
        buffer.putLong(offset + SESSION_OFFSET, sessionId, ORDER);
        return self();
    }

    /**
     * Completes the frame: the body after the header, its length and SHA-256 in the header, then the MAC over
     * the header under the session's key. Returns the frame's length.
     */
    int seal(byte[] body, SessionMac mac) {
        buffer.putInt(offset + BODY_LENGTH_OFFSET, body.length, ORDER);
        buffer.putBytes(offset + headerLength, body);
        BodyHash.get().write(body, buffer, offset + bodyHashOffset);
        mac.sign(macDomain, buffer, offset, macOffset);
        return headerLength + body.length;
    }

    /** A header made by hand (tests and fuzzers forge frames): a declared body length and hash, a zero MAC. */
    void forged(int bodyLength, byte[] bodyHash) {
        buffer.putInt(offset + BODY_LENGTH_OFFSET, bodyLength, ORDER);
        buffer.putBytes(offset + bodyHashOffset, bodyHash);
        buffer.setMemory(offset + macOffset, SessionCrypto.MAC_LENGTH, (byte) 0);
    }
}

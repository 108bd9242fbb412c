package io.cortex.protocol.aeron;

import static io.cortex.protocol.aeron.FrameHeader.ORDER;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * RESPONSE, axon to caller: status, the miner's processing time and the body, covered by an HMAC-SHA256
 * under the session key. Only sent inside a session; correlation id 0 is the axon's notice that it ended
 * the session (protocol/README.md).
 *
 * <pre>
 *   0  version u8 | type u8 (4) | status u16 | body length i32
 *   8  correlation id i64
 *  16  session id i64
 *  24  processing time (µs) i32 | reserved i32
 *  32  SHA-256 of the body [32]
 *  64  HMAC-SHA256(session key, 'R' || bytes [0, 64)) [32]
 *  96  body [body length]
 * </pre>
 */
public final class ResponseFlyweight {
    public static final int STATUS_OFFSET = 2;
    public static final int BODY_LENGTH_OFFSET = 4;
    public static final int CORRELATION_OFFSET = 8;
    public static final int SESSION_OFFSET = 16;
    public static final int PROCESSING_OFFSET = 24;
    public static final int BODY_HASH_OFFSET = 32;
    public static final int MAC_OFFSET = 64;
    public static final int HEADER_LENGTH = 96;
    public static final byte MAC_DOMAIN = 'R';

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this encoder at a frame starting at {@code offset}, and writes its version, type and reserved field. */
    public ResponseFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putByte(offset + FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
        buffer.putByte(offset + FrameHeader.TYPE_OFFSET, FrameHeader.TYPE_RESPONSE);
        buffer.putInt(offset + PROCESSING_OFFSET + 4, 0, ORDER);
        return this;
    }

    /** The buffer this encoder writes into. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public ResponseFlyweight status(int status) {
        buffer.putShort(offset + STATUS_OFFSET, (short) status, ORDER);
        return this;
    }

    public ResponseFlyweight correlationId(long correlationId) {
        buffer.putLong(offset + CORRELATION_OFFSET, correlationId, ORDER);
        return this;
    }

    public ResponseFlyweight sessionId(long sessionId) {
        buffer.putLong(offset + SESSION_OFFSET, sessionId, ORDER);
        return this;
    }

    public ResponseFlyweight processingMicros(int micros) {
        buffer.putInt(offset + PROCESSING_OFFSET, micros, ORDER);
        return this;
    }

    /**
     * Completes the frame: the body after the header, its length and SHA-256 in the header, then the MAC over
     * the header under the session's key. Returns the frame's length.
     */
    int seal(byte[] body, SessionMac mac) {
        buffer.putInt(offset + BODY_LENGTH_OFFSET, body.length, ORDER);
        buffer.putBytes(offset + HEADER_LENGTH, body);
        BodyHash.get().write(body, buffer, offset + BODY_HASH_OFFSET);
        mac.sign(MAC_DOMAIN, buffer, offset, MAC_OFFSET);
        return HEADER_LENGTH + body.length;
    }

    /** Writes the header with a zero MAC, for a frame made by hand (tests forge them); the transport uses {@link #seal}. */
    public static void encode(MutableDirectBuffer b, int offset, int status, int bodyLength, long correlationId,
                              long sessionId, int processingMicros, byte[] bodyHash) {
        b.putByte(offset + FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
        b.putByte(offset + FrameHeader.TYPE_OFFSET, FrameHeader.TYPE_RESPONSE);
        b.putShort(offset + STATUS_OFFSET, (short) status, ORDER);
        b.putInt(offset + BODY_LENGTH_OFFSET, bodyLength, ORDER);
        b.putLong(offset + CORRELATION_OFFSET, correlationId, ORDER);
        b.putLong(offset + SESSION_OFFSET, sessionId, ORDER);
        b.putInt(offset + PROCESSING_OFFSET, processingMicros, ORDER);
        b.putInt(offset + PROCESSING_OFFSET + 4, 0, ORDER);
        b.putBytes(offset + BODY_HASH_OFFSET, bodyHash);
        b.setMemory(offset + MAC_OFFSET, 32, (byte) 0);
    }

    public static int status(DirectBuffer b, int offset) {
        return b.getShort(offset + STATUS_OFFSET, ORDER) & 0xFFFF;
    }

    public static int bodyLength(DirectBuffer b, int offset) {
        return b.getInt(offset + BODY_LENGTH_OFFSET, ORDER);
    }

    public static long correlationId(DirectBuffer b, int offset) {
        return b.getLong(offset + CORRELATION_OFFSET, ORDER);
    }

    public static long sessionId(DirectBuffer b, int offset) {
        return b.getLong(offset + SESSION_OFFSET, ORDER);
    }

    public static int processingMicros(DirectBuffer b, int offset) {
        return b.getInt(offset + PROCESSING_OFFSET, ORDER);
    }

    public static String toString(DirectBuffer b, int offset, int length) {
        if (length < HEADER_LENGTH) {
            return "RESPONSE(truncated, " + length + " bytes)";
        }
        return "RESPONSE(correlation=" + correlationId(b, offset) + ", " + Status.describe(status(b, offset))
                + ", body=" + bodyLength(b, offset) + " bytes, " + processingMicros(b, offset) + " µs)";
    }
}

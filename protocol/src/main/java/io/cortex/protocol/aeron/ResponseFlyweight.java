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
 *
 * The fields it shares with other frames (status, body length, correlation and session ids) are read through
 * {@link FrameHeader}.
 */
public final class ResponseFlyweight extends SealedFrame<ResponseFlyweight> {
    public static final int PROCESSING_OFFSET = 24;
    public static final int BODY_HASH_OFFSET = 32;
    public static final int MAC_OFFSET = 64;
    public static final int HEADER_LENGTH = 96;
    public static final byte MAC_DOMAIN = 'R';

    public ResponseFlyweight() {
        super(FrameHeader.TYPE_RESPONSE, BODY_HASH_OFFSET, MAC_OFFSET, HEADER_LENGTH, MAC_DOMAIN);
    }

    /** As {@link SealedFrame#wrap}, and zeroes the reserved field. */
    @Override
    public ResponseFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        super.wrap(buffer, offset);
        buffer.putInt(offset + PROCESSING_OFFSET + 4, 0, ORDER);
        return this;
    }

    public ResponseFlyweight status(int status) {
        buffer.putShort(offset + FrameHeader.STATUS_OFFSET, (short) status, ORDER);
        return this;
    }

    public ResponseFlyweight processingMicros(int micros) {
        buffer.putInt(offset + PROCESSING_OFFSET, micros, ORDER);
        return this;
    }

    /** Writes the header with a zero MAC, for a frame made by hand (tests forge them); the transport uses {@link #seal}. */
    public static void encode(MutableDirectBuffer b, int offset, int status, int bodyLength, long correlationId,
                              long sessionId, int processingMicros, byte[] bodyHash) {
        new ResponseFlyweight().wrap(b, offset).status(status).correlationId(correlationId).sessionId(sessionId)
                .processingMicros(processingMicros).forged(bodyLength, bodyHash);
    }

    public static int processingMicros(DirectBuffer b, int offset) {
        return b.getInt(offset + PROCESSING_OFFSET, ORDER);
    }

    public static String toString(DirectBuffer b, int offset, int length) {
        if (length < HEADER_LENGTH) {
            return FrameHeader.unreadable("RESPONSE", "truncated", length);
        }
        return FrameHeader.toString("RESPONSE", b, offset, Status.describe(FrameHeader.status(b, offset))
                + ", body=" + FrameHeader.bodyLength(b, offset) + " bytes, " + processingMicros(b, offset) + " µs");
    }
}

package io.cortex.protocol.aeron;

import static io.cortex.protocol.aeron.FrameHeader.ORDER;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * REQUEST, caller to axon, inside a session: the query body with its SHA-256, a strictly increasing nonce,
 * the send time and a deadline, all covered by an HMAC-SHA256 under the session key.
 *
 * <pre>
 *   0  version u8 | type u8 (3) | netuid u16 | body length i32
 *   8  correlation id i64
 *  16  session id i64
 *  24  nonce i64 (strictly increasing within the session)
 *  32  timestamp (epoch ms) i64
 *  40  deadline (epoch ms) i64
 *  48  SHA-256 of the body [32]
 *  80  HMAC-SHA256(session key, 'Q' || bytes [0, 80)) [32]
 * 112  body [body length]
 * </pre>
 */
public final class RequestFlyweight {
    public static final int NETUID_OFFSET = 2;
    public static final int BODY_LENGTH_OFFSET = 4;
    public static final int CORRELATION_OFFSET = 8;
    public static final int SESSION_OFFSET = 16;
    public static final int NONCE_OFFSET = 24;
    public static final int TIMESTAMP_OFFSET = 32;
    public static final int DEADLINE_OFFSET = 40;
    public static final int BODY_HASH_OFFSET = 48;
    public static final int MAC_OFFSET = 80;
    public static final int HEADER_LENGTH = 112;
    public static final byte MAC_DOMAIN = 'Q';

    private RequestFlyweight() {
    }

    /** Writes the header up to the MAC (the caller fills hash and MAC); the body goes at HEADER_LENGTH. */
    public static void encode(MutableDirectBuffer b, int offset, int netuid, int bodyLength, long correlationId,
                              long sessionId, long nonce, long timestamp, long deadline, byte[] bodyHash) {
        b.putByte(offset + FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
        b.putByte(offset + FrameHeader.TYPE_OFFSET, FrameHeader.TYPE_REQUEST);
        b.putShort(offset + NETUID_OFFSET, (short) netuid, ORDER);
        b.putInt(offset + BODY_LENGTH_OFFSET, bodyLength, ORDER);
        b.putLong(offset + CORRELATION_OFFSET, correlationId, ORDER);
        b.putLong(offset + SESSION_OFFSET, sessionId, ORDER);
        b.putLong(offset + NONCE_OFFSET, nonce, ORDER);
        b.putLong(offset + TIMESTAMP_OFFSET, timestamp, ORDER);
        b.putLong(offset + DEADLINE_OFFSET, deadline, ORDER);
        b.putBytes(offset + BODY_HASH_OFFSET, bodyHash);
    }

    public static int netuid(DirectBuffer b, int offset) {
        return b.getShort(offset + NETUID_OFFSET, ORDER) & 0xFFFF;
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

    public static long nonce(DirectBuffer b, int offset) {
        return b.getLong(offset + NONCE_OFFSET, ORDER);
    }

    public static long timestamp(DirectBuffer b, int offset) {
        return b.getLong(offset + TIMESTAMP_OFFSET, ORDER);
    }

    public static long deadline(DirectBuffer b, int offset) {
        return b.getLong(offset + DEADLINE_OFFSET, ORDER);
    }

    public static String toString(DirectBuffer b, int offset, int length) {
        if (length < HEADER_LENGTH) {
            return "REQUEST(truncated, " + length + " bytes)";
        }
        return "REQUEST(correlation=" + correlationId(b, offset) + ", session=" + sessionId(b, offset) + ", nonce="
                + nonce(b, offset) + ", netuid=" + netuid(b, offset) + ", body=" + bodyLength(b, offset) + " bytes)";
    }
}

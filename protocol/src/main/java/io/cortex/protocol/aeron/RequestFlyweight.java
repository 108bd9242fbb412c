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
 *
 * The fields it shares with other frames (body length, correlation and session ids) are read through
 * {@link FrameHeader}.
 */
public final class RequestFlyweight extends SealedFrame<RequestFlyweight> {
    public static final int NETUID_OFFSET = 2;
    public static final int NONCE_OFFSET = 24;
    public static final int TIMESTAMP_OFFSET = 32;
    public static final int DEADLINE_OFFSET = 40;
    public static final int BODY_HASH_OFFSET = 48;
    public static final int MAC_OFFSET = 80;
    public static final int HEADER_LENGTH = 112;
    public static final byte MAC_DOMAIN = 'Q';

    public RequestFlyweight() {
        super(FrameHeader.TYPE_REQUEST, BODY_HASH_OFFSET, MAC_OFFSET, HEADER_LENGTH, MAC_DOMAIN);
    }

    public RequestFlyweight netuid(int netuid) {
        buffer.putShort(offset + NETUID_OFFSET, (short) netuid, ORDER);
        return this;
    }

    public RequestFlyweight nonce(long nonce) {
        buffer.putLong(offset + NONCE_OFFSET, nonce, ORDER);
        return this;
    }

    public RequestFlyweight timestamp(long epochMillis) {
        buffer.putLong(offset + TIMESTAMP_OFFSET, epochMillis, ORDER);
        return this;
    }

    public RequestFlyweight deadline(long epochMillis) {
        buffer.putLong(offset + DEADLINE_OFFSET, epochMillis, ORDER);
        return this;
    }

    /**
     * Writes the header with a zero MAC, for a frame made by hand (tests and fuzzers forge them this way); the
     * transport uses {@link #wrap} and {@link #seal}.
     */
    public static void encode(MutableDirectBuffer b, int offset, int netuid, int bodyLength, long correlationId,
                              long sessionId, long nonce, long timestamp, long deadline, byte[] bodyHash) {
        new RequestFlyweight().wrap(b, offset).netuid(netuid).correlationId(correlationId).sessionId(sessionId)
                .nonce(nonce).timestamp(timestamp).deadline(deadline).forged(bodyLength, bodyHash);
    }

    public static int netuid(DirectBuffer b, int offset) {
        return b.getShort(offset + NETUID_OFFSET, ORDER) & 0xFFFF;
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
            return FrameHeader.unreadable("REQUEST", "truncated", length);
        }
        return FrameHeader.toString("REQUEST", b, offset, "session=" + FrameHeader.sessionId(b, offset) + ", nonce="
                + nonce(b, offset) + ", netuid=" + netuid(b, offset) + ", body=" + FrameHeader.bodyLength(b, offset) + " bytes");
    }
}

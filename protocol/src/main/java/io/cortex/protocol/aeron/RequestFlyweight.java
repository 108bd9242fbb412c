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

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this encoder at a frame starting at {@code offset}, and writes its version and type. */
    public RequestFlyweight wrap(MutableDirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putByte(offset + FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
        buffer.putByte(offset + FrameHeader.TYPE_OFFSET, FrameHeader.TYPE_REQUEST);
        return this;
    }

    /** The buffer this encoder writes into. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public RequestFlyweight netuid(int netuid) {
        buffer.putShort(offset + NETUID_OFFSET, (short) netuid, ORDER);
        return this;
    }

    public RequestFlyweight correlationId(long correlationId) {
        buffer.putLong(offset + CORRELATION_OFFSET, correlationId, ORDER);
        return this;
    }

    public RequestFlyweight sessionId(long sessionId) {
        buffer.putLong(offset + SESSION_OFFSET, sessionId, ORDER);
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

    /**
     * Writes the header up to the MAC, for a frame made by hand (tests and fuzzers forge them this way); the
     * transport uses {@link #wrap} and {@link #seal}.
     */
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

package io.cortex.protocol.aeron;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The header fields Cortex frames share, at the same offsets in every frame that has them, read and written
 * here only; each frame's own fields are in its flyweight ({@link HelloFlyweight}, {@link HelloAckFlyweight},
 * {@link RequestFlyweight}, {@link ResponseFlyweight}; the layouts are in {@code protocol/README.md}). All
 * multi-byte fields are little-endian ({@link #ORDER}), as Aeron's own.
 *
 * <pre>
 *   0  version u8 | type u8 | status u16 (answers: HELLO_ACK, RESPONSE) | body length i32 (REQUEST, RESPONSE)
 *   8  correlation id i64 (every frame)
 *  16  session id i64 (every frame but HELLO)
 * </pre>
 */
public final class FrameHeader {
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int VERSION_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final int STATUS_OFFSET = 2;
    public static final int BODY_LENGTH_OFFSET = 4;
    public static final int CORRELATION_OFFSET = 8;
    public static final int SESSION_OFFSET = 16;

    public static final byte VERSION = 1;
    public static final byte TYPE_HELLO = 1;
    public static final byte TYPE_HELLO_ACK = 2;
    public static final byte TYPE_REQUEST = 3;
    public static final byte TYPE_RESPONSE = 4;

    private FrameHeader() {
    }

    /** Begins a frame of {@code type} at {@code offset}: the two bytes every frame starts with. */
    static void begin(MutableDirectBuffer b, int offset, byte type) {
        b.putByte(offset + VERSION_OFFSET, VERSION);
        b.putByte(offset + TYPE_OFFSET, type);
    }

    public static byte version(DirectBuffer b, int offset) {
        return b.getByte(offset + VERSION_OFFSET);
    }

    public static byte type(DirectBuffer b, int offset) {
        return b.getByte(offset + TYPE_OFFSET);
    }

    /** The status of an answer (HELLO_ACK, RESPONSE): one of {@link Status}. */
    public static int status(DirectBuffer b, int offset) {
        return b.getShort(offset + STATUS_OFFSET, ORDER) & 0xFFFF;
    }

    /** The body length a REQUEST or RESPONSE declares; checked against the frame's length by its reader. */
    public static int bodyLength(DirectBuffer b, int offset) {
        return b.getInt(offset + BODY_LENGTH_OFFSET, ORDER);
    }

    public static long correlationId(DirectBuffer b, int offset) {
        return b.getLong(offset + CORRELATION_OFFSET, ORDER);
    }

    /** The session a HELLO_ACK opens (0 on a refusal), or that a REQUEST or RESPONSE belongs to. */
    public static long sessionId(DirectBuffer b, int offset) {
        return b.getLong(offset + SESSION_OFFSET, ORDER);
    }

    /** A byte string of a frame (a key, a signature, a signed range), copied out. */
    static byte[] bytes(DirectBuffer b, int index, int length) {
        byte[] copy = new byte[length];
        b.getBytes(index, copy);
        return copy;
    }

    /**
     * How every frame prints (its flyweight's {@code toString}, for debugging): {@code NAME(correlation=…, fields)},
     * with the fields of its type.
     */
    static String toString(String name, DirectBuffer b, int offset, String fields) {
        return name + "(correlation=" + correlationId(b, offset) + ", " + fields + ")";
    }

    /** How a frame too short or malformed to read prints: {@code NAME(why, N bytes)}. */
    static String unreadable(String name, String why, int length) {
        return name + "(" + why + ", " + length + " bytes)";
    }
}

package io.cortex.protocol.aeron;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The two bytes every Cortex frame starts with: protocol version and frame type. The layouts of the four
 * frame types are in {@code protocol/README.md}; all multi-byte fields are little-endian, as Aeron's own.
 */
public final class FrameHeader {
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int VERSION_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final byte VERSION = 1;

    public static final byte TYPE_HELLO = 1;
    public static final byte TYPE_HELLO_ACK = 2;
    public static final byte TYPE_REQUEST = 3;
    public static final byte TYPE_RESPONSE = 4;

    private FrameHeader() {
    }

    public static byte version(DirectBuffer buffer, int offset) {
        return buffer.getByte(offset + VERSION_OFFSET);
    }

    public static byte type(DirectBuffer buffer, int offset) {
        return buffer.getByte(offset + TYPE_OFFSET);
    }
}

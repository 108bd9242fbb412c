package io.cortex.protocol.aeron;

import static io.cortex.protocol.aeron.FrameHeader.ORDER;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * HELLO_ACK, axon to caller: the session is open (status 200) or refused (401, 429). Whatever the status,
 * the target's hotkey signs the SHA-256 of the caller's HELLO and the ack's first 56 bytes, so the caller
 * knows the miner it meant answered (an unsigned refusal is ignored) and, on 200, both derive the same
 * session key.
 *
 * <pre>
 *   0  version u8 | type u8 (2) | status u16 | reserved i32
 *   8  correlation id i64
 *  16  session id i64
 *  24  target ephemeral X25519 public key [32]
 *  56  Ed25519 signature by the target hotkey over SHA-256(hello) || bytes [0, 56) [64]
 * </pre>
 */
public final class HelloAckFlyweight {
    public static final int STATUS_OFFSET = 2;
    public static final int CORRELATION_OFFSET = 8;
    public static final int SESSION_OFFSET = 16;
    public static final int EPHEMERAL_OFFSET = 24;
    public static final int SIGNATURE_OFFSET = 56;
    public static final int LENGTH = SIGNATURE_OFFSET + 64;

    private HelloAckFlyweight() {
    }

    public static void encode(MutableDirectBuffer b, int offset, int status, long correlationId, long sessionId,
                              byte[] ephemeral) {
        b.putByte(offset + FrameHeader.VERSION_OFFSET, FrameHeader.VERSION);
        b.putByte(offset + FrameHeader.TYPE_OFFSET, FrameHeader.TYPE_HELLO_ACK);
        b.putShort(offset + STATUS_OFFSET, (short) status, ORDER);
        b.putInt(offset + 4, 0, ORDER);
        b.putLong(offset + CORRELATION_OFFSET, correlationId, ORDER);
        b.putLong(offset + SESSION_OFFSET, sessionId, ORDER);
        b.putBytes(offset + EPHEMERAL_OFFSET, ephemeral == null ? new byte[32] : ephemeral);
        b.setMemory(offset + SIGNATURE_OFFSET, 64, (byte) 0);
    }

    public static int status(DirectBuffer b, int offset) {
        return b.getShort(offset + STATUS_OFFSET, ORDER) & 0xFFFF;
    }

    public static long correlationId(DirectBuffer b, int offset) {
        return b.getLong(offset + CORRELATION_OFFSET, ORDER);
    }

    public static long sessionId(DirectBuffer b, int offset) {
        return b.getLong(offset + SESSION_OFFSET, ORDER);
    }

    public static byte[] ephemeral(DirectBuffer b, int offset) {
        byte[] key = new byte[32];
        b.getBytes(offset + EPHEMERAL_OFFSET, key);
        return key;
    }

    public static byte[] signature(DirectBuffer b, int offset) {
        byte[] s = new byte[64];
        b.getBytes(offset + SIGNATURE_OFFSET, s);
        return s;
    }

    /** The bytes the target signs: the hash of the hello it answers, then the ack's first 56 bytes. */
    public static byte[] signedBytes(byte[] helloHash, DirectBuffer b, int offset) {
        byte[] signed = new byte[32 + SIGNATURE_OFFSET];
        System.arraycopy(helloHash, 0, signed, 0, 32);
        b.getBytes(offset, signed, 32, SIGNATURE_OFFSET);
        return signed;
    }

    public static String toString(DirectBuffer b, int offset) {
        return "HELLO_ACK(correlation=" + correlationId(b, offset) + ", " + Status.describe(status(b, offset))
                + ", session=" + sessionId(b, offset) + ")";
    }
}

package io.cortex.protocol.aeron;

import static io.cortex.protocol.aeron.FrameHeader.ORDER;

import io.cortex.core.identity.Keypair;
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
 *
 * The fields it shares with other frames (status, correlation and session ids) are read through
 * {@link FrameHeader}.
 */
public final class HelloAckFlyweight {
    public static final int RESERVED_OFFSET = 4;
    public static final int EPHEMERAL_OFFSET = 24;
    public static final int SIGNATURE_OFFSET = 56;
    public static final int LENGTH = SIGNATURE_OFFSET + Keypair.SIGNATURE_LENGTH;

    private HelloAckFlyweight() {
    }

    /** Writes every field but the signature, which is zeroed; a refusal has no session and no ephemeral key. */
    public static void encode(MutableDirectBuffer b, int offset, int status, long correlationId, long sessionId,
                              byte[] ephemeral) {
        FrameHeader.begin(b, offset, FrameHeader.TYPE_HELLO_ACK);
        b.putShort(offset + FrameHeader.STATUS_OFFSET, (short) status, ORDER);
        b.putInt(offset + RESERVED_OFFSET, 0, ORDER);
        b.putLong(offset + FrameHeader.CORRELATION_OFFSET, correlationId, ORDER);
        b.putLong(offset + FrameHeader.SESSION_OFFSET, sessionId, ORDER);
        if (ephemeral == null) {
            b.setMemory(offset + EPHEMERAL_OFFSET, SessionCrypto.EPHEMERAL_KEY_LENGTH, (byte) 0);
        } else {
            b.putBytes(offset + EPHEMERAL_OFFSET, ephemeral);
        }
        b.setMemory(offset + SIGNATURE_OFFSET, Keypair.SIGNATURE_LENGTH, (byte) 0);
    }

    public static byte[] ephemeral(DirectBuffer b, int offset) {
        return FrameHeader.bytes(b, offset + EPHEMERAL_OFFSET, SessionCrypto.EPHEMERAL_KEY_LENGTH);
    }

    public static byte[] signature(DirectBuffer b, int offset) {
        return FrameHeader.bytes(b, offset + SIGNATURE_OFFSET, Keypair.SIGNATURE_LENGTH);
    }

    /** The bytes the target signs: the hash of the hello it answers, then the ack's first 56 bytes. */
    public static byte[] signedBytes(byte[] helloHash, DirectBuffer b, int offset) {
        byte[] signed = new byte[32 + SIGNATURE_OFFSET];
        System.arraycopy(helloHash, 0, signed, 0, 32);
        b.getBytes(offset, signed, 32, SIGNATURE_OFFSET);
        return signed;
    }

    public static String toString(DirectBuffer b, int offset) {
        return FrameHeader.toString("HELLO_ACK", b, offset, Status.describe(FrameHeader.status(b, offset))
                + ", session=" + FrameHeader.sessionId(b, offset));
    }
}

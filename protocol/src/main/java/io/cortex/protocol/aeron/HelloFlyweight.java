package io.cortex.protocol.aeron;

import static io.cortex.protocol.aeron.FrameHeader.ORDER;

import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * HELLO, caller to axon: opens an authenticated session (see {@link SessionCrypto} for why a session).
 * The caller's hotkey signs everything before the signature, so the axon knows who asks, that the
 * ephemeral key is theirs and that the frame is fresh.
 *
 * <pre>
 *   0  version u8 | type u8 (1) | flags u16 | reply stream id i32
 *   8  correlation id i64
 *  16  timestamp (epoch ms) i64
 *  24  nonce i64
 *  32  caller hotkey [32]
 *  64  target hotkey [32]
 *  96  caller ephemeral X25519 public key [32]
 * 128  netuid u16 | reply channel length u16
 * 132  reply channel (ASCII) [length]
 *  +   Ed25519 signature by the caller hotkey over bytes [0, 132 + length) [64]
 * </pre>
 *
 * The correlation id, at the offset every frame has it, is read through {@link FrameHeader}.
 */
public final class HelloFlyweight {
    public static final int FLAGS_OFFSET = 2;
    public static final int REPLY_STREAM_OFFSET = 4;
    public static final int TIMESTAMP_OFFSET = 16;
    public static final int NONCE_OFFSET = 24;
    public static final int CALLER_OFFSET = 32;
    public static final int TARGET_OFFSET = 64;
    public static final int EPHEMERAL_OFFSET = 96;
    public static final int NETUID_OFFSET = 128;
    public static final int CHANNEL_LENGTH_OFFSET = 130;
    public static final int CHANNEL_OFFSET = 132;
    public static final int SIGNATURE_LENGTH = Keypair.SIGNATURE_LENGTH;
    public static final int MAX_CHANNEL = 256;

    private HelloFlyweight() {
    }

    /** The frame length for a reply channel of that many bytes. */
    public static int length(int channelLength) {
        return CHANNEL_OFFSET + channelLength + SIGNATURE_LENGTH;
    }

    /** Where the signature starts: everything before it is signed. */
    public static int signedLength(DirectBuffer b, int offset) {
        return CHANNEL_OFFSET + channelLength(b, offset);
    }

    /** Writes every field but the signature; returns the signed length. */
    public static int encode(MutableDirectBuffer b, int offset, long correlationId, long timestamp, long nonce,
                             Address caller, Address target, byte[] ephemeral, int netuid, String replyChannel,
                             int replyStream) {
        byte[] channel = replyChannel.getBytes(StandardCharsets.US_ASCII);
        FrameHeader.begin(b, offset, FrameHeader.TYPE_HELLO);
        b.putShort(offset + FLAGS_OFFSET, (short) 0, ORDER);
        b.putInt(offset + REPLY_STREAM_OFFSET, replyStream, ORDER);
        b.putLong(offset + FrameHeader.CORRELATION_OFFSET, correlationId, ORDER);
        b.putLong(offset + TIMESTAMP_OFFSET, timestamp, ORDER);
        b.putLong(offset + NONCE_OFFSET, nonce, ORDER);
        b.putBytes(offset + CALLER_OFFSET, caller.bytes());
        b.putBytes(offset + TARGET_OFFSET, target.bytes());
        b.putBytes(offset + EPHEMERAL_OFFSET, ephemeral);
        b.putShort(offset + NETUID_OFFSET, (short) netuid, ORDER);
        b.putShort(offset + CHANNEL_LENGTH_OFFSET, (short) channel.length, ORDER);
        b.putBytes(offset + CHANNEL_OFFSET, channel);
        return CHANNEL_OFFSET + channel.length;
    }

    public static int replyStream(DirectBuffer b, int offset) {
        return b.getInt(offset + REPLY_STREAM_OFFSET, ORDER);
    }

    public static long timestamp(DirectBuffer b, int offset) {
        return b.getLong(offset + TIMESTAMP_OFFSET, ORDER);
    }

    public static long nonce(DirectBuffer b, int offset) {
        return b.getLong(offset + NONCE_OFFSET, ORDER);
    }

    public static Address caller(DirectBuffer b, int offset) {
        return Address.of(FrameHeader.bytes(b, offset + CALLER_OFFSET, Address.LENGTH));
    }

    public static Address target(DirectBuffer b, int offset) {
        return Address.of(FrameHeader.bytes(b, offset + TARGET_OFFSET, Address.LENGTH));
    }

    public static byte[] ephemeral(DirectBuffer b, int offset) {
        return FrameHeader.bytes(b, offset + EPHEMERAL_OFFSET, SessionCrypto.EPHEMERAL_KEY_LENGTH);
    }

    public static int netuid(DirectBuffer b, int offset) {
        return b.getShort(offset + NETUID_OFFSET, ORDER) & 0xFFFF;
    }

    public static int channelLength(DirectBuffer b, int offset) {
        return b.getShort(offset + CHANNEL_LENGTH_OFFSET, ORDER) & 0xFFFF;
    }

    public static String replyChannel(DirectBuffer b, int offset) {
        return new String(FrameHeader.bytes(b, offset + CHANNEL_OFFSET, channelLength(b, offset)), StandardCharsets.US_ASCII);
    }

    public static byte[] signature(DirectBuffer b, int offset) {
        return FrameHeader.bytes(b, offset + signedLength(b, offset), SIGNATURE_LENGTH);
    }

    public static byte[] signedBytes(DirectBuffer b, int offset) {
        return FrameHeader.bytes(b, offset, signedLength(b, offset));
    }

    /** Whether a frame of {@code length} bytes is long enough for its own channel length and signature. */
    public static boolean wellFormed(DirectBuffer b, int offset, int length) {
        return channelWithin(b, offset, length) && length == length(channelLength(b, offset));
    }

    /** Whether a frame is a HELLO cut off before its signature: answered as an empty signature (401). */
    public static boolean unsigned(DirectBuffer b, int offset, int length) {
        return channelWithin(b, offset, length) && length == signedLength(b, offset);
    }

    /** Whether the frame holds its channel length, and that length is at most {@link #MAX_CHANNEL}. */
    private static boolean channelWithin(DirectBuffer b, int offset, int length) {
        return length >= CHANNEL_OFFSET && channelLength(b, offset) <= MAX_CHANNEL;
    }

    public static String toString(DirectBuffer b, int offset, int length) {
        if (!wellFormed(b, offset, length)) {
            return FrameHeader.unreadable("HELLO", "malformed", length);
        }
        return FrameHeader.toString("HELLO", b, offset, "caller=" + caller(b, offset).shortForm()
                + ", target=" + target(b, offset).shortForm() + ", netuid=" + netuid(b, offset) + ", reply="
                + replyChannel(b, offset) + "/" + replyStream(b, offset));
    }
}

package io.cortex.deploy.testnet;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An outsider's client of the query path, written from {@code protocol/README.md} alone: it builds every frame
 * byte by byte (little-endian headers, as the README's tables give them) and uses none of the protocol
 * module's codecs or transport, only Aeron (the documented transport), the JDK's X25519 and an Ed25519
 * signature by its hotkey. It is what an attacker would have.
 */
final class WireClient implements AutoCloseable {
    static final int AXON_STREAM = 1001;
    static final int REPLY_STREAM = 1003;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final Publication toAxon;
    private final Subscription replies;
    final String replyChannel;
    private final List<byte[]> inbox = new ArrayList<>();
    private final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) -> {
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        inbox.add(copy);
    });
    private final SecureRandom random = new SecureRandom();

    /** A client of the axon at {@code axonEndpoint} (host:port) reading replies at {@code replyPort} on loopback. */
    WireClient(String axonEndpoint, int replyPort) throws InterruptedException {
        String dir = Path.of("/dev/shm").resolve("cortex-wire-client-" + UUID.randomUUID()).toString();
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir).threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new SleepingMillisIdleStrategy(1)).dirDeleteOnStart(true).dirDeleteOnShutdown(true)
                .publicationTermBufferLength(1 << 20));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        replyChannel = "aeron:udp?endpoint=127.0.0.1:" + replyPort;
        replies = aeron.addSubscription(replyChannel, REPLY_STREAM);
        toAxon = aeron.addPublication("aeron:udp?endpoint=" + axonEndpoint, AXON_STREAM);
        try {
            LiveTestnet.awaitUntil(10, "the wire client's publication to the axon at " + axonEndpoint + " to connect",
                    toAxon::isConnected);
        } catch (AssertionError | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** A raw X25519 public key (the last 32 bytes of the JDK's X.509 encoding). */
    static byte[] x25519PublicKey() {
        try {
            byte[] encoded = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic().getEncoded();
            return java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * HELLO: version 1, type 1, flags 0, reply stream; correlation; timestamp; nonce; caller; target; X25519
     * key; netuid; channel length; channel; then the caller's Ed25519 signature of everything before it
     * ({@code signer} null: 64 zero bytes, {@code omitSignature}: no signature bytes at all).
     */
    byte[] hello(long correlation, long timestamp, long nonce, Address caller, Keypair signer, Address target, int netuid,
                 String channel, int replyStream, boolean omitSignature) {
        byte[] ch = channel.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(132 + ch.length + (omitSignature ? 0 : 64)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).put((byte) 1).putShort((short) 0).putInt(replyStream);
        b.putLong(correlation).putLong(timestamp).putLong(nonce);
        b.put(caller.bytes()).put(target.bytes()).put(x25519PublicKey());
        b.putShort((short) netuid).putShort((short) ch.length).put(ch);
        if (!omitSignature) {
            byte[] signed = java.util.Arrays.copyOf(b.array(), 132 + ch.length);
            b.put(signer == null ? new byte[64] : signer.sign(signed));
        }
        return b.array();
    }

    /** REQUEST header (112 bytes, no body): a body length and session id of our choosing, and a MAC of zeros. */
    static byte[] forgedRequest(long correlation, long sessionId, int declaredBodyLength) {
        ByteBuffer b = ByteBuffer.allocate(112).order(ByteOrder.LITTLE_ENDIAN);
        long now = System.currentTimeMillis();
        b.put((byte) 1).put((byte) 3).putShort((short) 1).putInt(declaredBodyLength);
        b.putLong(correlation).putLong(sessionId).putLong(1).putLong(now).putLong(now + 5000);
        return b.array(); // body hash and MAC left zero
    }

    /** HELLO_ACK (120 bytes) refusing with {@code status}, unsigned: what a forger can send a validator. */
    static byte[] forgedRefusal(long correlation, int status) {
        ByteBuffer b = ByteBuffer.allocate(120).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 1).put((byte) 2).putShort((short) status).putInt(0).putLong(correlation);
        return b.array();
    }

    /**
     * An Aeron SETUP frame (Aeron's own wire format: 40 bytes, little-endian): frame length, version 0, flags,
     * type 5, term offset, session id, stream id, initial and active term ids, term length, MTU, TTL.
     */
    static byte[] aeronSetup(int sessionId, int streamId, int termLength) {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(40).put((byte) 0).put((byte) 0).putShort((short) 5);
        b.putInt(0).putInt(sessionId).putInt(streamId).putInt(7).putInt(7).putInt(termLength).putInt(1408).putInt(0);
        return b.array();
    }

    long nonce() {
        return random.nextLong();
    }

    /** Sends a frame to the axon, waiting up to a second for room. */
    boolean send(byte[] frame) {
        UnsafeBuffer b = new UnsafeBuffer(frame);
        long until = System.currentTimeMillis() + 1000;
        while (toAxon.offer(b, 0, frame.length) < 0) {
            if (System.currentTimeMillis() > until) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** The first reply, now or within {@code millis}, that {@code wanted} accepts; taken out of the inbox. */
    byte[] await(Predicate<byte[]> wanted, long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        do {
            replies.poll(assembler, 16);
            for (var it = inbox.iterator(); it.hasNext(); ) {
                byte[] f = it.next();
                if (wanted.test(f)) {
                    it.remove();
                    return f;
                }
            }
            Thread.sleep(1);
        } while (System.currentTimeMillis() < until);
        return null;
    }

    /** Everything received so far, taken out of the inbox. */
    List<byte[]> drain() {
        replies.poll(assembler, 1024);
        List<byte[]> all = new ArrayList<>(inbox);
        inbox.clear();
        return all;
    }

    static long correlationOf(byte[] frame) {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
    }

    static int statusOf(byte[] frame) {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getShort(2) & 0xFFFF;
    }

    static long sessionIdOf(byte[] ack) {
        return ByteBuffer.wrap(ack).order(ByteOrder.LITTLE_ENDIAN).getLong(16);
    }

    /** Whether a HELLO_ACK is signed by {@code miner} over SHA-256 of our HELLO's signed bytes and its first 56 bytes. */
    static boolean signedBy(Address miner, byte[] hello, byte[] ack) {
        try {
            int channelLength = ByteBuffer.wrap(hello).order(ByteOrder.LITTLE_ENDIAN).getShort(130) & 0xFFFF;
            byte[] helloHash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.util.Arrays.copyOf(hello, 132 + channelLength));
            byte[] signed = new byte[32 + 56];
            System.arraycopy(helloHash, 0, signed, 0, 32);
            System.arraycopy(ack, 0, signed, 32, 56);
            return Keypair.verify(miner, signed, java.util.Arrays.copyOfRange(ack, 56, 120));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A publication to any node's reply stream, for frames a forger sends validators. */
    Publication toReplies(String endpoint) {
        return aeron.addPublication("aeron:udp?endpoint=" + endpoint, REPLY_STREAM);
    }

    @Override
    public void close() {
        CloseHelper.quietCloseAll(aeron, driver);
    }
}

package io.cortex.protocol.aeron;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.UUID;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Throws random and mutated frames at a live axon over UDP, as a hostile peer would: pure noise, noise
 * behind a valid frame header, and single-point mutations (bit flips, overwritten bytes, truncations,
 * extensions, copied spans) of a well-formed HELLO and of a well-formed, authenticated REQUEST of an open
 * session. The axon must read every frame ({@link AxonCounters#received}), give each exactly one outcome
 * ({@link AxonCounters#outcomes}) and never invoke the miner's model. Used by the protocol's bounded fuzz
 * test and, a million frames long, by the query benchmark's fuzz run.
 */
public final class FrameFuzzer implements AutoCloseable {
    /** Frames stay below one Aeron MTU, so each is one message, never fragments. */
    public static final int MAX_FRAME = 1300;

    private final Keypair caller;
    private final Address target;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Publication toAxon;
    private final Subscription replies;
    private final String replyChannel;
    private final byte[] hello;
    private final byte[] request;
    private long sent;

    /**
     * @param axonEndpoint the axon's UDP endpoint
     * @param caller a hotkey the axon admits, so that a session opens and mutated requests reach its checks
     * @param target the miner's hotkey registered with the axon
     * @param replyChannel where the fuzzer reads answers ({@link #freeReplyChannel}); the axon's policy must
     *                     count it as an announced axon, as the ledger would the fuzzer's served endpoint
     */
    public FrameFuzzer(String axonEndpoint, Keypair caller, Address target, String replyChannel) throws Exception {
        this.caller = caller;
        this.target = target;
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        String dir = base.resolve("cortex-fuzzer-" + UUID.randomUUID()).toString();
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir).threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new CortexBackoffIdleStrategy()).dirDeleteOnStart(true).dirDeleteOnShutdown(true)
                .publicationTermBufferLength(1 << 20)); // the largest term an axon accepts
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        this.replyChannel = replyChannel;
        replies = aeron.addSubscription(replyChannel, QueryTransport.DENDRITE_STREAM);
        toAxon = aeron.addPublication("aeron:udp?endpoint=" + axonEndpoint, QueryTransport.AXON_STREAM);
        try {
            Await.until(Duration.ofSeconds(10), "the fuzzer's publication to the axon at " + axonEndpoint + " to connect",
                    toAxon::isConnected);
            hello = helloFrame(SessionCrypto.ephemeral(), 1);
            request = openSessionAndRequest();
        } catch (RuntimeException | Error | GeneralSecurityException e) {
            close();
            throw e;
        }
    }

    /** A UDP reply channel on loopback at a port free right now. */
    public static String freeReplyChannel() throws java.io.IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return "aeron:udp?endpoint=127.0.0.1:" + probe.getLocalPort();
        }
    }

    /** Frames sent so far, the handshake included. */
    public long sent() {
        return sent;
    }

    private byte[] helloFrame(SessionCrypto.Ephemeral ephemeral, long correlation) {
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(512);
        int signed = HelloFlyweight.encode(b, 0, correlation, System.currentTimeMillis(), correlation, caller.address(),
                target, ephemeral.publicKey(), 1, replyChannel, QueryTransport.DENDRITE_STREAM);
        byte[] signedBytes = new byte[signed];
        b.getBytes(0, signedBytes);
        b.putBytes(signed, caller.sign(signedBytes));
        byte[] frame = new byte[signed + Keypair.SIGNATURE_LENGTH];
        b.getBytes(0, frame);
        return frame;
    }

    /** A real handshake, then a well-formed request of that session (never sent as is). */
    private byte[] openSessionAndRequest() throws GeneralSecurityException {
        SessionCrypto.Ephemeral ephemeral = SessionCrypto.ephemeral();
        byte[] frame = helloFrame(ephemeral, 7);
        byte[] ack = exchange(frame);
        UnsafeBuffer r = new UnsafeBuffer(ack);
        if (FrameHeader.status(r, 0) != Status.OK) {
            throw new IllegalStateException("the axon refused the fuzzer's handshake: " + FrameHeader.status(r, 0));
        }
        byte[] signedHello = new byte[frame.length - Keypair.SIGNATURE_LENGTH];
        System.arraycopy(frame, 0, signedHello, 0, signedHello.length);
        byte[] key = SessionCrypto.sessionKey(ephemeral.privateKey(), HelloAckFlyweight.ephemeral(r, 0),
                HelloAckFlyweight.signedBytes(SessionCrypto.sha256(signedHello), r, 0));
        byte[] body = new byte[136];
        new SplittableRandom(1).nextBytes(body);
        long now = System.currentTimeMillis();
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(RequestFlyweight.HEADER_LENGTH + body.length);
        RequestFlyweight.encode(b, 0, 1, body.length, 99, FrameHeader.sessionId(r, 0), 1, now, now + 600_000,
                SessionCrypto.sha256(body));
        b.putBytes(RequestFlyweight.MAC_OFFSET, SessionCrypto.mac(key, RequestFlyweight.MAC_DOMAIN, b, 0,
                RequestFlyweight.MAC_OFFSET));
        b.putBytes(RequestFlyweight.HEADER_LENGTH, body);
        byte[] requestFrame = new byte[RequestFlyweight.HEADER_LENGTH + body.length];
        b.getBytes(0, requestFrame);
        return requestFrame;
    }

    /** Sends {@code count} hostile frames drawn from {@code random}. */
    public void run(long count, SplittableRandom random) {
        FragmentAssembler drain = new FragmentAssembler((buffer, offset, length, header) -> { });
        for (long i = 0; i < count; i++) {
            send(frame(random));
            if ((i & 63) == 0) {
                replies.poll(drain, 256);
            }
        }
        replies.poll(drain, 256);
    }

    /** One hostile frame. */
    byte[] frame(SplittableRandom random) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            byte[] noise = new byte[random.nextInt(MAX_FRAME)];
            random.nextBytes(noise);
            return noise;
        }
        if (kind < 4) {
            byte[] noise = new byte[2 + random.nextInt(MAX_FRAME - 2)];
            random.nextBytes(noise);
            noise[0] = FrameHeader.VERSION;
            noise[1] = random.nextBoolean() ? FrameHeader.TYPE_HELLO : FrameHeader.TYPE_REQUEST;
            return noise;
        }
        return mutate(kind < 7 ? request : hello, random);
    }

    /** A frame with one mutation: it always differs from the original. */
    static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] f = original.clone();
        switch (random.nextInt(5)) {
            case 0 -> { // flip 1 to 8 bits (a bit flipped twice is back: then one more, so the frame differs)
                int flips = 1 + random.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    int bit = random.nextInt(f.length * 8);
                    f[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                if (java.util.Arrays.equals(f, original)) {
                    f[random.nextInt(f.length)] ^= 1;
                }
            }
            case 1 -> { // overwrite a run of bytes with different ones
                int at = random.nextInt(f.length);
                int run = 1 + random.nextInt(Math.min(16, f.length - at));
                for (int k = at; k < at + run; k++) {
                    f[k] = (byte) (f[k] + 1 + random.nextInt(255));
                }
            }
            case 2 -> { // truncate
                byte[] t = new byte[random.nextInt(f.length)];
                System.arraycopy(f, 0, t, 0, t.length);
                return t;
            }
            case 3 -> { // extend with noise
                byte[] e = new byte[Math.min(MAX_FRAME, f.length + 1 + random.nextInt(64))];
                System.arraycopy(f, 0, e, 0, f.length);
                for (int k = f.length; k < e.length; k++) {
                    e[k] = (byte) random.nextInt(256);
                }
                return e;
            }
            default -> { // copy a span over another place (a duplicated field)
                int from = random.nextInt(f.length);
                int to = random.nextInt(f.length);
                int run = 1 + random.nextInt(Math.min(32, Math.min(f.length - from, f.length - to)));
                byte[] span = new byte[run];
                System.arraycopy(f, from, span, 0, run);
                System.arraycopy(span, 0, f, to, run);
                if (java.util.Arrays.equals(f, original)) {
                    f[to] ^= 1;
                }
            }
        }
        return f;
    }

    private void send(byte[] frame) {
        UnsafeBuffer b = new UnsafeBuffer(frame);
        long until = System.nanoTime() + 10_000_000_000L;
        while (toAxon.offer(b, 0, frame.length) < 0) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the axon stopped reading: could not send for 10 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000); // poll, leaving the core to the driver
        }
        sent++;
    }

    private byte[] exchange(byte[] frame) {
        byte[][] answer = new byte[1][];
        FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) -> {
            answer[0] = new byte[length];
            buffer.getBytes(offset, answer[0]);
        });
        send(frame);
        long until = System.currentTimeMillis() + 10_000;
        while (answer[0] == null && System.currentTimeMillis() < until) {
            if (replies.poll(assembler, 10) == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // poll, leaving the core to the driver
            }
        }
        if (answer[0] == null) {
            throw new IllegalStateException("no answer to the handshake within 10 s");
        }
        return answer[0];
    }

    @Override
    public void close() {
        CloseHelper.quietCloseAll(aeron, driver);
    }
}

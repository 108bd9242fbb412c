package io.cortex.protocol.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.cortex.protocol.identity.Address;
import io.cortex.protocol.identity.DevKeys;
import io.cortex.protocol.identity.Keypair;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A live axon under attack by a peer that writes frames by hand. Every forged, replayed or stale frame gets
 * 401 (a forged HELLO only on a reply channel the axon already serves; elsewhere it is counted, unanswered),
 * an oversized one 413, truncated or garbage ones are dropped and counted, and in none of these cases is the
 * miner's model invoked.
 */
class AxonSecurityTest {
    private final Keypair miner = DevKeys.hotkey("bob", 2);
    private final Keypair validator = DevKeys.hotkey("alice", 2);
    private final Keypair stranger = Keypair.generate();
    private QueryTransport node;
    private RawPeer peer;

    @BeforeEach
    void start() throws Exception {
        node = QueryTransport.start(new QueryTransport.Context().name("axon-under-test").maxBodyBytes(16 * 1024));
        node.axon().register(miner, (request, responder) -> responder.respond(Status.OK, request.body()),
                (netuid, caller) -> caller.equals(validator.address()));
        peer = new RawPeer(node.endpoint());
    }

    @AfterEach
    void stop() {
        peer.close();
        node.close();
    }

    private long modelInvocations() {
        return node.axon().counters().handlerInvocations.get();
    }

    @Test
    void anEmptySignatureOnHelloIs401() {
        peer.open(validator); // the reply channel is known: refusals are answered on it
        assertEquals(Status.UNAUTHORIZED, peer.hello(validator.address(), null, System.currentTimeMillis()).status);
        assertEquals(0, modelInvocations());
    }

    @Test
    void aWrongSignatureOnHelloIs401() {
        peer.open(validator); // the reply channel is known: refusals are answered on it
        // claims to be the validator but signs with another key
        assertEquals(Status.UNAUTHORIZED, peer.hello(validator.address(), stranger, System.currentTimeMillis()).status);
        assertEquals(0, modelInvocations());
    }

    @Test
    void aSignatureByAnUnregisteredHotkeyIs401() {
        peer.open(validator); // the reply channel is known: refusals are answered on it
        assertEquals(Status.UNAUTHORIZED, peer.hello(stranger.address(), stranger, System.currentTimeMillis()).status);
        assertEquals(0, modelInvocations());
    }

    @Test
    void aStaleHelloIs401() {
        peer.open(validator); // the reply channel is known: refusals are answered on it
        assertEquals(Status.UNAUTHORIZED, peer.hello(validator.address(), validator, System.currentTimeMillis() - 60_000).status);
        assertEquals(0, modelInvocations());
    }

    @Test
    void aForgedHelloFromAnUnknownReplyChannelIsCountedButNeverAnswered() {
        long before = node.axon().counters().unauthorized.get();
        peer.fire(peer.helloFrame(validator.address(), stranger, System.currentTimeMillis()));
        peer.fire(peer.helloFrame(validator.address(), null, System.currentTimeMillis()));
        long until = System.currentTimeMillis() + 5000;
        while (node.axon().counters().unauthorized.get() < before + 2 && System.currentTimeMillis() < until) {
            Thread.onSpinWait();
        }
        assertEquals(before + 2, node.axon().counters().unauthorized.get());
        assertFalse(peer.answeredWithin(500), "the axon sent nothing to a channel no admitted caller has named");
        assertEquals(Status.OK, peer.send(peer.request(peer.open(validator), 1, System.currentTimeMillis(), new byte[] {1})),
                "the caller itself still gets in");
    }

    @Test
    void replyChannelsTakeOnlyTheFormsDendritesAnnounce() {
        assertTrue(Axon.acceptableReplyChannel("aeron:ipc"));
        assertTrue(Axon.acceptableReplyChannel("aeron:udp?endpoint=127.0.0.1:40123"));
        assertTrue(Axon.acceptableReplyChannel("aeron:udp?endpoint=node-2.cortex.local:40123"));
        assertTrue(Axon.acceptableReplyChannel("aeron:udp?endpoint=[::1]:40123"));
        for (String bad : new String[] {"", "aeron:", "aeron:9pc", "aeron:udp", "aeron:udp?endpoint=127.0.0.1",
                "aeron:udp?endpoint=127.0.0.1:0", "aeron:udp?endpoint=127.0.0.1:70000", "aeron:udp?endpoint=127.0..1:1",
                "aeron:udp?endpoint=127.0.0.1:40123|term-length=1g", "aeron:udp?control=127.0.0.1:1",
                "aeron:udp?endpoint=host name:1", "aeron:ipc?term-length=1g", "udp://127.0.0.1:1"}) {
            assertFalse(Axon.acceptableReplyChannel(bad), bad);
        }
    }

    @Test
    void aReplayedNonceIs401AndTheModelRunsOnlyForTheOriginal() {
        RawPeer.Session s = peer.open(validator);
        byte[] frame = peer.request(s, 7, System.currentTimeMillis(), new byte[] {1, 2});
        assertEquals(Status.OK, peer.send(frame));
        assertEquals(1, modelInvocations());

        assertEquals(Status.UNAUTHORIZED, peer.send(frame), "the same frame again");
        assertEquals(Status.UNAUTHORIZED, peer.send(peer.request(s, 6, System.currentTimeMillis(), new byte[] {3})),
                "a lower nonce");
        assertEquals(1, modelInvocations());
    }

    @Test
    void aStaleTimestampIs401() {
        RawPeer.Session s = peer.open(validator);
        assertEquals(Status.UNAUTHORIZED, peer.send(peer.request(s, 1, System.currentTimeMillis() - 60_000, new byte[] {1})));
        assertEquals(0, modelInvocations());
    }

    @Test
    void anEmptyOrWrongMacIs401() {
        RawPeer.Session s = peer.open(validator);
        byte[] frame = peer.request(s, 1, System.currentTimeMillis(), new byte[] {1});
        byte[] emptyMac = frame.clone();
        java.util.Arrays.fill(emptyMac, RequestFlyweight.MAC_OFFSET, RequestFlyweight.MAC_OFFSET + 32, (byte) 0);
        assertEquals(Status.UNAUTHORIZED, peer.send(emptyMac));
        byte[] tamperedBody = frame.clone();
        tamperedBody[RequestFlyweight.HEADER_LENGTH] ^= 1;
        assertEquals(Status.UNAUTHORIZED, peer.send(tamperedBody), "body changed under a valid header MAC");
        byte[] otherKey = peer.request(new RawPeer.Session(s.id(), new byte[32]), 2, System.currentTimeMillis(), new byte[] {1});
        assertEquals(Status.UNAUTHORIZED, peer.send(otherKey));
        assertEquals(0, modelInvocations());
    }

    @Test
    void anOversizedFrameIs413AndNeverReachesTheModel() {
        RawPeer.Session s = peer.open(validator);
        assertEquals(Status.TOO_LARGE, peer.send(peer.request(s, 1, System.currentTimeMillis(), new byte[100_000])));
        assertEquals(1, node.axon().counters().tooLarge.get());
        assertEquals(0, modelInvocations());
        assertEquals(Status.OK, peer.send(peer.request(s, 2, System.currentTimeMillis(), new byte[100])), "the session still works");
    }

    @Test
    void truncatedAndGarbageFramesAreDroppedAndCounted() {
        RawPeer.Session s = peer.open(validator);
        byte[] frame = peer.request(s, 1, System.currentTimeMillis(), new byte[] {1, 2, 3});
        Random r = new Random(1);
        long before = node.axon().counters().dropped.get();
        peer.fire(java.util.Arrays.copyOf(frame, 50));
        byte[] garbage = new byte[300];
        for (int i = 0; i < 20; i++) {
            r.nextBytes(garbage);
            garbage[0] = FrameHeader.VERSION;
            garbage[1] = (byte) (r.nextInt(6));
            peer.fire(garbage);
        }
        peer.fire(new byte[1]);
        assertEquals(Status.OK, peer.send(frame), "a good frame after the garbage is served");
        assertTrue(node.axon().counters().dropped.get() >= before + 22, node.axon().counters().toString());
        assertEquals(1, modelInvocations());
    }

    /** A peer with its own media driver that writes frames byte by byte and reads the answers. */
    static final class RawPeer implements AutoCloseable {
        record Ack(int status, long sessionId, byte[] ephemeral, byte[] signature) {
        }

        record Session(long id, byte[] key) {
        }

        private final MediaDriver driver;
        private final Aeron aeron;
        private final Publication toAxon;
        private final Subscription replies;
        private final String replyChannel;
        private final AtomicReference<byte[]> last = new AtomicReference<>();
        private long correlation = 1000;

        RawPeer(String axonEndpoint) throws Exception {
            int port;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                port = probe.getLocalPort();
            }
            String dir = Path.of("/dev/shm").resolve("cortex-raw-peer-" + UUID.randomUUID()).toString();
            driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir).threadingMode(ThreadingMode.SHARED)
                    .dirDeleteOnStart(true).dirDeleteOnShutdown(true).publicationTermBufferLength(1 << 20));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
            replyChannel = "aeron:udp?endpoint=127.0.0.1:" + port;
            replies = aeron.addSubscription(replyChannel, QueryTransport.DENDRITE_STREAM);
            toAxon = aeron.addPublication("aeron:udp?endpoint=" + axonEndpoint, QueryTransport.AXON_STREAM);
            long until = System.currentTimeMillis() + 5000;
            while (!toAxon.isConnected() && System.currentTimeMillis() < until) {
                Thread.sleep(5);
            }
        }

        /** Sends a HELLO as {@code claimed}, signed by {@code signer} (unsigned when null), and awaits the ack. */
        Ack hello(Address claimed, Keypair signer, long timestamp) {
            return hello(claimed, signer, timestamp, SessionCrypto.ephemeral());
        }

        /** A HELLO frame as {@link #hello} sends it. */
        byte[] helloFrame(Address claimed, Keypair signer, long timestamp) {
            return helloFrame(claimed, signer, timestamp, SessionCrypto.ephemeral());
        }

        private byte[] helloFrame(Address claimed, Keypair signer, long timestamp, SessionCrypto.Ephemeral ephemeral) {
            ExpandableArrayBuffer b = new ExpandableArrayBuffer(512);
            int signed = HelloFlyweight.encode(b, 0, ++correlation, timestamp, 1, claimed, DevKeys.hotkey("bob", 2).address(),
                    ephemeral.publicKey(), 1, replyChannel, QueryTransport.DENDRITE_STREAM);
            byte[] signedBytes = new byte[signed];
            b.getBytes(0, signedBytes);
            b.putBytes(signed, signer == null ? new byte[64] : signer.sign(signedBytes));
            byte[] frame = new byte[signed + 64];
            b.getBytes(0, frame);
            return frame;
        }

        private Ack hello(Address claimed, Keypair signer, long timestamp, SessionCrypto.Ephemeral ephemeral) {
            byte[] frame = helloFrame(claimed, signer, timestamp, ephemeral);
            byte[] signedBytes = java.util.Arrays.copyOf(frame, frame.length - 64);
            byte[] reply = exchange(frame);
            UnsafeBuffer r = new UnsafeBuffer(reply);
            return new Ack(HelloAckFlyweight.status(r, 0), HelloAckFlyweight.sessionId(r, 0), HelloAckFlyweight.ephemeral(r, 0),
                    HelloAckFlyweight.signedBytes(SessionCrypto.sha256(signedBytes), r, 0));
        }

        /** A legitimate handshake: a session whose key matches the axon's. */
        Session open(Keypair caller) {
            SessionCrypto.Ephemeral ephemeral = SessionCrypto.ephemeral();
            Ack ack = hello(caller.address(), caller, System.currentTimeMillis(), ephemeral);
            assertEquals(Status.OK, ack.status());
            try {
                return new Session(ack.sessionId(), SessionCrypto.sessionKey(ephemeral.privateKey(), ack.ephemeral(), ack.signature()));
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }

        byte[] request(Session s, long nonce, long timestamp, byte[] body) {
            ExpandableArrayBuffer b = new ExpandableArrayBuffer(RequestFlyweight.HEADER_LENGTH + body.length);
            RequestFlyweight.encode(b, 0, 1, body.length, ++correlation, s.id(), nonce, timestamp, timestamp + 5000,
                    SessionCrypto.sha256(body));
            b.putBytes(RequestFlyweight.MAC_OFFSET, SessionCrypto.mac(s.key(), RequestFlyweight.MAC_DOMAIN, b, 0,
                    RequestFlyweight.MAC_OFFSET));
            b.putBytes(RequestFlyweight.HEADER_LENGTH, body);
            byte[] frame = new byte[RequestFlyweight.HEADER_LENGTH + body.length];
            b.getBytes(0, frame);
            return frame;
        }

        /** Sends a request frame and returns the status of its response. */
        int send(byte[] frame) {
            return ResponseFlyweight.status(new UnsafeBuffer(exchange(frame)), 0);
        }

        /** Whether anything arrives on the reply channel within {@code millis}. */
        boolean answeredWithin(long millis) {
            FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) -> last.set(new byte[length]));
            last.set(null);
            long until = System.currentTimeMillis() + millis;
            while (last.get() == null && System.currentTimeMillis() < until) {
                if (replies.poll(assembler, 10) == 0) {
                    Thread.onSpinWait();
                }
            }
            return last.get() != null;
        }

        /** Sends a frame expecting no answer. */
        void fire(byte[] frame) {
            offer(frame);
        }

        private byte[] exchange(byte[] frame) {
            last.set(null);
            offer(frame);
            FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) -> {
                byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                last.set(copy);
            });
            long until = System.currentTimeMillis() + 5000;
            while (last.get() == null && System.currentTimeMillis() < until) {
                if (replies.poll(assembler, 10) == 0) {
                    Thread.onSpinWait();
                }
            }
            if (last.get() == null) {
                throw new AssertionError("no answer within 5 s");
            }
            return last.get();
        }

        private void offer(byte[] frame) {
            UnsafeBuffer b = new UnsafeBuffer(frame);
            long until = System.currentTimeMillis() + 5000;
            while (toAxon.offer(b, 0, frame.length) < 0) {
                if (System.currentTimeMillis() > until) {
                    throw new AssertionError("could not send");
                }
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() {
            CloseHelper.quietCloseAll(aeron, driver);
        }
    }
}

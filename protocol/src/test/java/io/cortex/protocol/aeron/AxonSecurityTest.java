package io.cortex.protocol.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A live axon under attack by a peer that writes frames by hand. Forged, replayed or stale HELLOs are refused
 * with a HELLO_ACK the miner signs, on the reply channel only when it is an announced axon at the peer's host;
 * a HELLO naming any other channel is counted and never answered; an unauthenticated REQUEST is counted and
 * never answered, whatever it declares; sessions are bounded per caller and miner without ever forgetting
 * the others; and in none of these cases is the miner's model invoked.
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
        peer = new RawPeer(node.endpoint(), miner.address());
        // the ledger's view: the validator is registered, and the peer's endpoint is an axon served on the subnet
        node.axon().register(miner, (request, responder) -> responder.respond(Status.OK, request.body()),
                Axon.CallerPolicy.of(Set.of(validator.address()), Set.of(peer.replyChannel)));
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        node.close();
    }

    private long modelInvocations() {
        return node.axon().counters().handlerInvocations.get();
    }

    private void assertSignedByTheMiner(RawPeer.Ack ack) {
        assertTrue(Keypair.verify(miner.address(), ack.signedBytes(), ack.signature()), "the refusal is signed by the miner");
    }

    @Test
    void anEmptySignatureOnHelloIs401SignedByTheMiner() {
        RawPeer.Ack ack = peer.hello(validator.address(), null, System.currentTimeMillis());
        assertEquals(Status.UNAUTHORIZED, ack.status());
        assertSignedByTheMiner(ack);
        assertEquals(0, modelInvocations());
    }

    @Test
    void aHelloCutOffBeforeItsSignatureIs401() {
        byte[] frame = peer.helloFrame(validator.address(), validator, System.currentTimeMillis());
        byte[] unsigned = java.util.Arrays.copyOf(frame, frame.length - 64);
        assertEquals(Status.UNAUTHORIZED, FrameHeader.status(new UnsafeBuffer(peer.exchange(unsigned)), 0));
        assertEquals(0, node.axon().counters().sessionsOpened.get());
    }

    @Test
    void aWrongSignatureOnHelloIs401() {
        // claims to be the validator but signs with another key
        RawPeer.Ack ack = peer.hello(validator.address(), stranger, System.currentTimeMillis());
        assertEquals(Status.UNAUTHORIZED, ack.status());
        assertSignedByTheMiner(ack);
        assertEquals(0, modelInvocations());
    }

    @Test
    void aSignatureByAnUnregisteredHotkeyIs401() {
        assertEquals(Status.UNAUTHORIZED, peer.hello(stranger.address(), stranger, System.currentTimeMillis()).status());
        assertEquals(0, modelInvocations());
    }

    @Test
    void aStaleHelloIs401() {
        assertEquals(Status.UNAUTHORIZED, peer.hello(validator.address(), validator, System.currentTimeMillis() - 60_000).status());
        assertEquals(0, modelInvocations());
    }

    @Test
    void aReplayedHelloIs401AndOpensNoSession() {
        byte[] hello = peer.helloFrame(validator.address(), validator, System.currentTimeMillis());
        assertEquals(Status.OK, FrameHeader.status(new UnsafeBuffer(peer.exchange(hello)), 0));
        for (int i = 0; i < 50; i++) {
            assertEquals(Status.UNAUTHORIZED, FrameHeader.status(new UnsafeBuffer(peer.exchange(hello)), 0), "replay " + i);
        }
        assertEquals(1, node.axon().counters().sessionsOpened.get());
        assertEquals(50, node.axon().counters().replayed.get());
    }

    @Test
    void aHelloNamingAChannelNobodyAnnouncedIsCountedAndNeverAnswered() throws Exception {
        try (DatagramSocket victim = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            victim.setSoTimeout(1500);
            String chosen = "aeron:udp?endpoint=127.0.0.1:" + victim.getLocalPort();
            for (String channel : new String[] {chosen, "aeron:ipc", "aeron:udp?endpoint=10.1.2.3:40123"}) {
                peer.fire(peer.helloFrame(validator.address(), validator, System.currentTimeMillis(), channel));
            }
            awaitCount("HELLOs naming a channel nobody announced", node.axon().counters().refusedChannel, 3);
            java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[2048], 2048);
            assertThrows(java.net.SocketTimeoutException.class, () -> victim.receive(packet),
                    "the axon sent nothing to a port the peer chose");
        }
        assertEquals(0, node.axon().counters().sessionsOpened.get());
        assertEquals(Status.OK, peer.send(peer.request(peer.open(validator), 1, System.currentTimeMillis(), new byte[] {1})),
                "the caller itself still gets in");
    }

    @Test
    void aCallerKeepsAtMostFourSessionsWithAMinerAndLearnsWhichWereReplaced() {
        RawPeer.Session first = peer.open(validator);
        for (int i = 0; i < AxonSessions.PER_PAIR; i++) {
            peer.open(validator);
        }
        assertEquals(1, node.axon().counters().sessionsEvicted.get());
        byte[] notice = peer.awaitNotice(first);
        assertEquals(Status.UNAUTHORIZED, FrameHeader.status(new UnsafeBuffer(notice), 0));
        assertTrue(SessionCrypto.macValid(first.key(), ResponseFlyweight.MAC_DOMAIN, new UnsafeBuffer(notice), 0,
                ResponseFlyweight.MAC_OFFSET), "the notice is authenticated under the replaced session's key");
        peer.fire(peer.request(first, 1, System.currentTimeMillis(), new byte[] {1}));
        assertEquals(Status.OK, peer.send(peer.request(peer.open(validator), 1, System.currentTimeMillis(), new byte[] {1})));
    }

    @Test
    void aCallerOpeningSessionsAsFastAsItCanIsRateLimitedPerMiner() {
        int opened = 0;
        int limited = 0;
        for (int i = 0; i < AxonSessions.HELLOS_PER_PAIR + 4; i++) {
            RawPeer.Ack ack = peer.hello(validator.address(), validator, System.currentTimeMillis());
            if (ack.status() == Status.OK) {
                opened++;
            } else {
                assertEquals(Status.RATE_LIMITED, ack.status());
                assertSignedByTheMiner(ack);
                limited++;
            }
        }
        assertEquals(AxonSessions.HELLOS_PER_PAIR, opened);
        assertEquals(4, limited);
        assertEquals(4, node.axon().counters().rateLimited.get());
        assertEquals(java.util.List.of(4L), java.util.List.copyOf(node.axon().counters().refusedBySubnet().values()),
                "the 429s, counted on the one subnet they named");
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
    void aRequestWithAnEmptyOrWrongMacIsCountedAndNeverAnswered() {
        RawPeer.Session s = peer.open(validator);
        byte[] frame = peer.request(s, 1, System.currentTimeMillis(), new byte[] {1});
        byte[] emptyMac = frame.clone();
        java.util.Arrays.fill(emptyMac, RequestFlyweight.MAC_OFFSET, RequestFlyweight.MAC_OFFSET + 32, (byte) 0);
        peer.fire(emptyMac);
        peer.fire(peer.request(new RawPeer.Session(s.id(), new byte[32]), 2, System.currentTimeMillis(), new byte[] {1}));
        awaitCount("requests without a valid MAC", node.axon().counters().unauthorized, 2);
        assertFalse(peer.answeredWithin(500), "an unauthenticated frame gets no answer on the session's channel");
        byte[] tamperedBody = frame.clone();
        tamperedBody[RequestFlyweight.HEADER_LENGTH] ^= 1;
        assertEquals(Status.UNAUTHORIZED, peer.send(tamperedBody), "body changed under a valid header MAC");
        assertEquals(0, modelInvocations());
    }

    @Test
    void anOversizedFrameIs413OnlyWhenAuthenticated() {
        RawPeer.Session s = peer.open(validator);
        peer.fire(peer.request(new RawPeer.Session(s.id(), new byte[32]), 1, System.currentTimeMillis(), new byte[100_000]));
        awaitCount("forged oversized requests", node.axon().counters().unauthorized, 1);
        assertFalse(peer.answeredWithin(500), "a forged oversized frame on a live session id gets no 413");
        assertEquals(0, node.axon().counters().tooLarge.get());
        assertEquals(java.util.Map.of(), node.axon().counters().refusedBySubnet(), "a forged frame counts on no subnet");

        assertEquals(Status.TOO_LARGE, peer.send(peer.request(s, 1, System.currentTimeMillis(), new byte[100_000])));
        assertEquals(1, node.axon().counters().tooLarge.get());
        assertEquals(java.util.List.of(1L), java.util.List.copyOf(node.axon().counters().refusedBySubnet().values()));
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

    @Test
    void replyChannelsTakeOnlyTheFormsDendritesAnnounce() {
        assertTrue(ReplyChannels.acceptable("aeron:ipc"));
        assertTrue(ReplyChannels.acceptable("aeron:udp?endpoint=127.0.0.1:40123"));
        assertTrue(ReplyChannels.acceptable("aeron:udp?endpoint=node-2.cortex.local:40123"));
        assertTrue(ReplyChannels.acceptable("aeron:udp?endpoint=[::1]:40123"));
        for (String bad : new String[] {"", "aeron:", "aeron:9pc", "aeron:udp", "aeron:udp?endpoint=127.0.0.1",
                "aeron:udp?endpoint=127.0.0.1:0", "aeron:udp?endpoint=127.0.0.1:70000", "aeron:udp?endpoint=127.0..1:1",
                "aeron:udp?endpoint=127.0.0.1:40123|term-length=1g", "aeron:udp?control=127.0.0.1:1",
                "aeron:udp?endpoint=host name:1", "aeron:ipc?term-length=1g", "udp://127.0.0.1:1"}) {
            assertFalse(ReplyChannels.acceptable(bad), bad);
        }
        assertEquals("::1", ReplyChannels.channelHost("aeron:udp?endpoint=[::1]:40123"));
        assertEquals("127.0.0.1", ReplyChannels.sourceHost("127.0.0.1:51234"));
        assertTrue(ReplyChannels.sameHost("localhost", "127.0.0.1"));
        assertFalse(ReplyChannels.sameHost("127.0.0.2", "127.0.0.1"));
    }

    /**
     * A 40-byte Aeron SETUP claiming a 1 GiB term would make the driver map 3 GiB for an image; the node's
     * receive endpoint drops it before the driver allocates, and counts it.
     */
    @Test
    void anAeronSetupClaimingAHugeTermIsDroppedBeforeTheDriverAllocates() throws Exception {
        Path images = node.aeronDirectory().resolve("images");
        long imagesBefore = countFiles(images);
        UnsafeBuffer frame = new UnsafeBuffer(new byte[io.aeron.protocol.SetupFlyweight.HEADER_LENGTH]);
        io.aeron.protocol.SetupFlyweight setup = new io.aeron.protocol.SetupFlyweight(frame);
        setup.frameLength(io.aeron.protocol.SetupFlyweight.HEADER_LENGTH);
        setup.version(io.aeron.protocol.HeaderFlyweight.CURRENT_VERSION);
        setup.headerType(io.aeron.protocol.HeaderFlyweight.HDR_TYPE_SETUP);
        setup.termOffset(0).sessionId(424242).streamId(QueryTransport.AXON_STREAM).initialTermId(7).activeTermId(7)
                .termLength(1 << 30).mtuLength(1408).ttl(0);
        String endpoint = node.endpoint();
        InetSocketAddress to = new InetSocketAddress(endpoint.substring(0, endpoint.lastIndexOf(':')),
                Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)));
        try (DatagramSocket attacker = new DatagramSocket()) {
            for (int i = 0; i < 5; i++) {
                attacker.send(new java.net.DatagramPacket(frame.byteArray(), frame.capacity(), to));
            }
        }
        awaitCount("refused forged setups", node.axon().counters().setupsRefused, 5);
        // a real peer's setup after the forged ones: the driver maps images in the order setups arrive, so once
        // this one's is mapped (its publication connected), any for the forged setups would have been too
        try (RawPeer later = new RawPeer(node.endpoint(), miner.address())) {
            assertEquals(imagesBefore + 1, countFiles(images), "a log buffer was mapped for the real peer's setup only, "
                    + "none for the forged one");
        }
        assertEquals(Status.OK, peer.send(peer.request(peer.open(validator), 1, System.currentTimeMillis(), new byte[] {1})),
                "a real peer's setup (1 MiB terms) still connects");
    }

    private static long countFiles(Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = java.nio.file.Files.list(dir)) {
            return files.count();
        }
    }

    /** Waits up to 5 s for the axon to have counted {@code atLeast} {@code what} in {@code counter}. */
    private void awaitCount(String what, java.util.concurrent.atomic.AtomicLong counter, long atLeast) {
        Await.until(Duration.ofSeconds(5), () -> "the axon to count " + atLeast + " " + what + " (it counted "
                + counter.get() + "): " + node.axon().counters(), () -> counter.get() >= atLeast);
    }

    /** A peer with its own media driver that writes frames byte by byte and reads the answers. */
    static final class RawPeer implements AutoCloseable {
        record Ack(int status, long sessionId, byte[] ephemeral, byte[] signedBytes, byte[] signature) {
        }

        record Session(long id, byte[] key) {
        }

        private final MediaDriver driver;
        private final Aeron aeron;
        private final Publication toAxon;
        private final Subscription replies;
        final String replyChannel;
        private final Address target;
        private final java.util.List<byte[]> inbox = new java.util.ArrayList<>();
        private final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) -> {
            byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            inbox.add(copy);
        });
        private long correlation = 1000;

        RawPeer(String axonEndpoint, Address target) throws Exception {
            this.target = target;
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
            try {
                Await.until(Duration.ofSeconds(5), "the raw peer's publication to the axon at " + axonEndpoint + " to connect",
                        toAxon::isConnected);
            } catch (AssertionError e) {
                close();
                throw e;
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

        /** A HELLO frame naming {@code channel} as its reply channel. */
        byte[] helloFrame(Address claimed, Keypair signer, long timestamp, String channel) {
            return helloFrame(claimed, signer, timestamp, SessionCrypto.ephemeral(), channel);
        }

        private byte[] helloFrame(Address claimed, Keypair signer, long timestamp, SessionCrypto.Ephemeral ephemeral) {
            return helloFrame(claimed, signer, timestamp, ephemeral, replyChannel);
        }

        private byte[] helloFrame(Address claimed, Keypair signer, long timestamp, SessionCrypto.Ephemeral ephemeral,
                                  String channel) {
            ExpandableArrayBuffer b = new ExpandableArrayBuffer(512);
            long nonce = ++correlation; // each HELLO its own nonce: a repeated one is a replay
            int signed = HelloFlyweight.encode(b, 0, nonce, timestamp, nonce, claimed, target,
                    ephemeral.publicKey(), 1, channel, QueryTransport.DENDRITE_STREAM);
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
            return new Ack(FrameHeader.status(r, 0), FrameHeader.sessionId(r, 0), HelloAckFlyweight.ephemeral(r, 0),
                    HelloAckFlyweight.signedBytes(SessionCrypto.sha256(signedBytes), r, 0), HelloAckFlyweight.signature(r, 0));
        }

        /** A legitimate handshake: a session whose key matches the axon's. */
        Session open(Keypair caller) {
            SessionCrypto.Ephemeral ephemeral = SessionCrypto.ephemeral();
            Ack ack = hello(caller.address(), caller, System.currentTimeMillis(), ephemeral);
            assertEquals(Status.OK, ack.status());
            try {
                return new Session(ack.sessionId(), SessionCrypto.sessionKey(ephemeral.privateKey(), ack.ephemeral(), ack.signedBytes()));
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
            return FrameHeader.status(new UnsafeBuffer(exchange(frame)), 0);
        }

        /** Whether anything arrives on the reply channel within {@code millis}. */
        boolean answeredWithin(long millis) {
            return await(frame -> true, millis) != null;
        }

        /** Sends a frame expecting no answer. */
        void fire(byte[] frame) {
            offer(frame);
        }

        /** Waits for the axon's notice (correlation id 0) that it ended session {@code s}. */
        byte[] awaitNotice(Session s) {
            byte[] notice = await(f -> FrameHeader.type(new UnsafeBuffer(f), 0) == FrameHeader.TYPE_RESPONSE
                    && correlationOf(f) == 0 && FrameHeader.sessionId(new UnsafeBuffer(f), 0) == s.id(), 5000);
            if (notice == null) {
                throw new AssertionError("no notice within 5 s");
            }
            return notice;
        }

        /** Sends a HELLO or REQUEST and returns the answer with its correlation id (others wait in the inbox). */
        byte[] exchange(byte[] frame) {
            long correlation = correlationOf(frame);
            offer(frame);
            byte[] answer = await(f -> correlationOf(f) == correlation, 5000);
            if (answer == null) {
                throw new AssertionError("no answer within 5 s");
            }
            return answer;
        }

        private static long correlationOf(byte[] frame) {
            return frame.length < 16 ? -1 : new UnsafeBuffer(frame).getLong(8, FrameHeader.ORDER);
        }

        /** The first frame received, now or within {@code millis}, that matches; taken out of the inbox. */
        private byte[] await(java.util.function.Predicate<byte[]> wanted, long millis) {
            long until = System.currentTimeMillis() + millis;
            do {
                replies.poll(assembler, 10);
                for (java.util.Iterator<byte[]> it = inbox.iterator(); it.hasNext(); ) {
                    byte[] f = it.next();
                    if (wanted.test(f)) {
                        it.remove();
                        return f;
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // poll, leaving the core to the driver
            } while (System.currentTimeMillis() < until);
            return null;
        }

        private void offer(byte[] frame) {
            UnsafeBuffer b = new UnsafeBuffer(frame);
            long until = System.currentTimeMillis() + 5000;
            while (toAxon.offer(b, 0, frame.length) < 0) {
                if (System.currentTimeMillis() > until) {
                    throw new AssertionError("could not send");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // poll, leaving the core to the driver
            }
        }

        @Override
        public void close() {
            CloseHelper.quietCloseAll(aeron, driver);
        }
    }
}

package io.cortex.protocol.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dendrite facing an endpoint that is not the miner it meant: whoever answers a HELLO must prove to be the
 * miner by signing, refusals included, or the answer is ignored and the query ends at its deadline.
 */
class DendriteSecurityTest {
    private final Keypair validator = DevKeys.hotkey("alice", 3);
    private final Keypair miner = DevKeys.hotkey("bob", 3);
    private QueryTransport node;
    private MediaDriver driver;
    private Aeron aeron;
    private Subscription hellos;
    private String fakeAxon;

    @BeforeEach
    void start() throws Exception {
        node = QueryTransport.start(new QueryTransport.Context().name("dendrite-under-test"));
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = probe.getLocalPort();
        }
        String dir = Path.of("/dev/shm").resolve("cortex-fake-axon-" + UUID.randomUUID()).toString();
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir).threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true).publicationTermBufferLength(1 << 20));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        fakeAxon = "aeron:udp?endpoint=127.0.0.1:" + port;
        hellos = aeron.addSubscription(fakeAxon, QueryTransport.AXON_STREAM);
    }

    @AfterEach
    void stop() {
        node.close();
        CloseHelper.quietCloseAll(aeron, driver);
    }

    /** Reads the dendrite's HELLO and answers it with a refusal, signed by {@code signer} or not at all. */
    private void refuseNextHello(Keypair signer) {
        AtomicReference<byte[]> hello = new AtomicReference<>();
        FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) -> {
            byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            hello.set(copy);
        });
        Await.until(Duration.ofSeconds(5), "the dendrite's HELLO at the fake axon", () -> {
            hellos.poll(assembler, 10);
            return hello.get() != null;
        });
        UnsafeBuffer h = new UnsafeBuffer(hello.get());
        UnsafeBuffer ack = new UnsafeBuffer(new byte[HelloAckFlyweight.LENGTH]);
        HelloAckFlyweight.encode(ack, 0, Status.UNAUTHORIZED, FrameHeader.correlationId(h, 0), 0, null);
        if (signer != null) {
            byte[] signed = HelloAckFlyweight.signedBytes(SessionCrypto.sha256(HelloFlyweight.signedBytes(h, 0)), ack, 0);
            ack.putBytes(HelloAckFlyweight.SIGNATURE_OFFSET, signer.sign(signed));
        }
        // left open (the Aeron client closes it after the test), so the refusal leaves before it closes
        Publication reply = aeron.addPublication(HelloFlyweight.replyChannel(h, 0), HelloFlyweight.replyStream(h, 0));
        Await.until(Duration.ofSeconds(5), "the refusal sent to the dendrite",
                () -> reply.offer(ack, 0, HelloAckFlyweight.LENGTH) > 0);
    }

    @Test
    void anUnsignedRefusalIsIgnoredAndTheQueryEndsAtItsDeadline() {
        CompletableFuture<Dendrite.Response> r = node.dendrite().query(validator, miner.address(), fakeAxon, 1, new byte[1],
                Duration.ofMillis(1500));
        refuseNextHello(null);

        assertEquals(Status.TIMEOUT, r.join().status(), "a forged refusal does not cut the validator off");
        assertEquals(1, node.dendrite().counters().forgedAcks.get());
    }

    @Test
    void aRefusalSignedBySomeoneElseIsIgnored() {
        CompletableFuture<Dendrite.Response> r = node.dendrite().query(validator, miner.address(), fakeAxon, 1, new byte[1],
                Duration.ofMillis(1500));
        refuseNextHello(Keypair.generate());

        assertEquals(Status.TIMEOUT, r.join().status());
        assertEquals(1, node.dendrite().counters().forgedAcks.get());
    }

    @Test
    void aRefusalTheMinerSignedEndsTheQueryWithItsStatus() {
        CompletableFuture<Dendrite.Response> r = node.dendrite().query(validator, miner.address(), fakeAxon, 1, new byte[1],
                Duration.ofSeconds(5));
        refuseNextHello(miner);

        assertEquals(Status.UNAUTHORIZED, r.join().status());
        assertEquals(0, node.dendrite().counters().forgedAcks.get());
    }
}

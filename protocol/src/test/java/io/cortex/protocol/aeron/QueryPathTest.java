package io.cortex.protocol.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes' transports on loopback, real Aeron: queries over UDP and IPC, deadlines, back-pressure, shutdown. */
class QueryPathTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final Keypair validator = DevKeys.hotkey("alice", 1);
    private final Keypair miner = DevKeys.hotkey("bob", 1);
    private QueryTransport a;
    private QueryTransport b;

    @BeforeEach
    void start() {
        a = QueryTransport.start(new QueryTransport.Context().name("a"));
        b = QueryTransport.start(new QueryTransport.Context().name("b").maxInFlight(4));
        b.axon().register(miner, (request, responder) -> responder.respond(Status.OK, reversed(request.body())),
                anyoneRepliedAt(a));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    /** Admits every caller; replies may go to {@code node}'s axon, as if its miners had served it on the ledger. */
    static Axon.CallerPolicy anyoneRepliedAt(QueryTransport node) {
        String announced = node.axonChannel();
        return new Axon.CallerPolicy() {
            @Override
            public boolean admits(int netuid, Address caller) {
                return true;
            }

            @Override
            public boolean announced(int netuid, String channel) {
                return channel.equals(announced);
            }
        };
    }

    private static byte[] reversed(byte[] body) {
        byte[] out = new byte[body.length];
        for (int i = 0; i < body.length; i++) {
            out[i] = body[body.length - 1 - i];
        }
        return out;
    }

    @Test
    void aQueryCrossesNodesOverUdpAndComesBack() {
        Dendrite.Response r = a.dendrite().query(validator, miner.address(), b.axonChannel(), 1, new byte[] {1, 2, 3},
                TIMEOUT).join();

        assertEquals(Status.OK, r.status());
        assertArrayEquals(new byte[] {3, 2, 1}, r.body());
        assertEquals(1, a.dendrite().counters().overUdp.get());
        assertEquals(1, b.axon().counters().served.get());
    }

    @Test
    void aQueryOnTheSameNodeGoesOverIpc() {
        Keypair local = DevKeys.hotkey("charlie", 1);
        a.axon().register(local, (request, responder) -> responder.respond(Status.OK, request.body()), anyoneRepliedAt(a));

        Dendrite.Response r = a.dendrite().query(validator, local.address(), a.axonChannel(), 1, new byte[] {9}, TIMEOUT).join();

        assertEquals(Status.OK, r.status());
        assertEquals(1, a.dendrite().counters().overIpc.get());
        assertEquals(0, a.dendrite().counters().overUdp.get());
    }

    @Test
    void manyQueriesOnOneSessionAllComeBackInOrder() {
        List<CompletableFuture<Dendrite.Response>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(a.dendrite().query(validator, miner.address(), b.axonChannel(), 1, new byte[] {(byte) i, 0}, TIMEOUT));
            all.get(all.size() - 1).join(); // one at a time: the miner allows 4 in flight
        }
        for (int i = 0; i < all.size(); i++) {
            assertArrayEquals(new byte[] {0, (byte) i}, all.get(i).join().body());
        }
        assertEquals(1, a.dendrite().counters().sessionsOpened.get(), "one session serves every query");
    }

    @Test
    void aMinerThatDoesNotAnswerInTimeGives408() {
        Keypair slow = DevKeys.hotkey("dave", 1);
        b.axon().register(slow, (request, responder) -> { }, anyoneRepliedAt(a));

        Dendrite.Response r = a.dendrite().query(validator, slow.address(), b.axonChannel(), 1, new byte[1],
                Duration.ofMillis(300)).join();

        assertEquals(Status.TIMEOUT, r.status());
    }

    /** Bodies many MTUs long, both ways, over UDP and IPC at once: each is reassembled from its own image. */
    @Test
    void largeBodiesAreReassembledPerImage() {
        Keypair local = DevKeys.hotkey("charlie", 1);
        a.axon().register(local, (request, responder) -> responder.respond(Status.OK, reversed(request.body())), anyoneRepliedAt(a));
        List<CompletableFuture<Dendrite.Response>> all = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // 3 to the remote miner, under its limit of 4 in flight
            byte[] body = new byte[40_000 + i];
            new java.util.Random(i).nextBytes(body);
            bodies.add(body);
            all.add(i % 2 == 0
                    ? a.dendrite().query(validator, miner.address(), b.axonChannel(), 1, body, TIMEOUT)
                    : a.dendrite().query(validator, local.address(), a.axonChannel(), 1, body, TIMEOUT));
        }
        for (int i = 0; i < all.size(); i++) {
            Dendrite.Response r = all.get(i).join();
            assertEquals(Status.OK, r.status(), "query " + i);
            assertArrayEquals(reversed(bodies.get(i)), r.body(), "query " + i);
        }
        assertEquals(3, a.dendrite().counters().overIpc.get());
        assertEquals(3, a.dendrite().counters().overUdp.get());
    }

    /**
     * The miner's node restarts on the same endpoint: the new axon knows nothing of the caller's session.
     * The old axon's reply publication ended, Aeron reports its image gone, and the dendrite opens a new
     * session by itself; until then queries time out.
     */
    @Test
    void aCallerWhoseSessionTheAxonLostOpensANewOne() {
        assertEquals(Status.OK, a.dendrite().query(validator, miner.address(), b.axonChannel(), 1, new byte[] {1}, TIMEOUT)
                .join().status());
        int port = Integer.parseInt(b.endpoint().substring(b.endpoint().lastIndexOf(':') + 1));
        String channel = b.axonChannel();
        b.close();
        b = QueryTransport.start(new QueryTransport.Context().name("b-again").port(port));
        b.axon().register(miner, (request, responder) -> responder.respond(Status.OK, reversed(request.body())),
                anyoneRepliedAt(a));
        assertEquals(channel, b.axonChannel());
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int timeouts = 0;
        Dendrite.Response r;
        do {
            r = a.dendrite().query(validator, miner.address(), channel, 1, new byte[] {1, 2}, Duration.ofMillis(300)).join();
            timeouts += r.status() == Status.TIMEOUT ? 1 : 0;
        } while (r.status() == Status.TIMEOUT && System.nanoTime() < giveUp);
        System.out.println("lost session: " + timeouts + " queries timed out before the new session");
        assertEquals(Status.OK, r.status(), "a new session after " + timeouts + " timeouts");
        assertArrayEquals(new byte[] {2, 1}, r.body());
        assertEquals(1, a.dendrite().counters().sessionsLost.get(), a.dendrite().counters().toString());
        assertEquals(2, a.dendrite().counters().sessionsOpened.get(), a.dendrite().counters().toString());
    }

    /** A miner too slow for its deadlines keeps its session: timeouts alone say nothing about the axon. */
    @Test
    void aSlowMinerKeepsItsSessionThroughTimeouts() {
        Keypair slow = DevKeys.hotkey("dave", 1);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            b.axon().register(slow, (request, responder) -> later.schedule(
                    () -> responder.respond(Status.OK, request.body()), request.body()[0] * 75L, TimeUnit.MILLISECONDS),
                    anyoneRepliedAt(a));
            for (int i = 0; i < 5; i++) {
                assertEquals(Status.TIMEOUT, a.dendrite().query(validator, slow.address(), b.axonChannel(), 1,
                        new byte[] {4}, Duration.ofMillis(150)).join().status());
            }
            assertEquals(Status.OK, a.dendrite().query(validator, slow.address(), b.axonChannel(), 1, new byte[] {0},
                    TIMEOUT).join().status());
            assertEquals(1, a.dendrite().counters().sessionsOpened.get(), a.dendrite().counters().toString());
            assertEquals(0, a.dendrite().counters().sessionsLost.get());
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void aBusyMinerAnswers503BeyondItsInFlightLimit() {
        Keypair busy = DevKeys.hotkey("eve", 1);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            b.axon().register(busy, (request, responder) ->
                    later.schedule(() -> responder.respond(Status.OK, new byte[0]), 300, TimeUnit.MILLISECONDS), anyoneRepliedAt(a));
            List<CompletableFuture<Dendrite.Response>> burst = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                burst.add(a.dendrite().query(validator, busy.address(), b.axonChannel(), 1, new byte[1], TIMEOUT));
            }
            long overloaded = burst.stream().map(CompletableFuture::join).filter(r -> r.status() == Status.OVERLOADED).count();
            long ok = burst.stream().map(CompletableFuture::join).filter(r -> r.status() == Status.OK).count();
            assertEquals(4, ok);
            assertEquals(6, overloaded);
        } finally {
            later.shutdownNow();
        }
    }

    /**
     * A HELLO for a miner the node does not host is counted and not answered: the node holds no key to sign a
     * refusal with, and the dendrite ignores unsigned ones. The caller's query ends at its deadline.
     */
    @Test
    void aHelloForAMinerNotOnTheNodeIsCountedAndTimesOut() {
        Dendrite.Response r = a.dendrite().query(validator, DevKeys.hotkey("ferdie", 1).address(), b.axonChannel(), 1,
                new byte[1], Duration.ofMillis(500)).join();
        assertEquals(Status.TIMEOUT, r.status());
        assertEquals(1, b.axon().counters().noSuchMiner.get());
        assertEquals(Status.OK, a.dendrite().query(validator, miner.address(), b.axonChannel(), 1, new byte[1], TIMEOUT)
                .join().status(), "the miner the node hosts still answers");
    }

    @Test
    void closingDeletesTheAeronDirectory() {
        QueryTransport c = QueryTransport.start(new QueryTransport.Context().name("c"));
        assertTrue(Files.exists(c.aeronDirectory()));
        c.close();
        assertFalse(Files.exists(c.aeronDirectory()));
    }
}

package io.cortex.protocol.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounded fuzz run of the suite: 20 000 random and mutated frames at a live axon. Every frame is read and
 * ends in exactly one counted outcome, the model never runs, and the axon answers a real query afterwards.
 * (The benchmark-length run, a million frames, is {@code bench/run-fuzz.sh}.)
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FrameFuzzTest {

    @Test
    void aMutatedFrameNeverEqualsItsOriginal() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] original = new byte[64];
        random.nextBytes(original);
        for (int i = 0; i < 200_000; i++) {
            assertTrue(!java.util.Arrays.equals(original, FrameFuzzer.mutate(original, random)), "mutation " + i);
        }
    }

    @Test
    void hostileFramesAreAllAccountedForAndNeverReachTheModel() throws Exception {
        Keypair miner = DevKeys.hotkey("bob", 5);
        Keypair validator = DevKeys.hotkey("alice", 5);
        try (QueryTransport node = QueryTransport.start(new QueryTransport.Context().name("fuzzed"));
             QueryTransport other = QueryTransport.start(new QueryTransport.Context().name("fuzz-validator"))) {
            String fuzzerReplies = FrameFuzzer.freeReplyChannel();
            // the ledger's view: the validator is registered; the fuzzer's and the other node's endpoints are served axons
            node.axon().register(miner, (request, responder) -> responder.respond(Status.OK, request.body()),
                    Axon.CallerPolicy.of(java.util.Set.of(validator.address()), java.util.Set.of(fuzzerReplies, other.axonChannel())));
            AxonCounters counters = node.axon().counters();
            long frames = Long.getLong("cortex.fuzz.frames", 20_000);
            try (FrameFuzzer fuzzer = new FrameFuzzer(node.endpoint(), validator, miner.address(), fuzzerReplies)) {
                long before = counters.handlerInvocations.get();
                fuzzer.run(frames, new SplittableRandom(Long.getLong("cortex.fuzz.seed", 42)));
                Await.until(Duration.ofSeconds(60), () -> "the axon to read all " + fuzzer.sent() + " frames: " + counters,
                        () -> counters.received.get() >= fuzzer.sent());
                assertEquals(fuzzer.sent(), counters.received.get(), "every frame was read: " + counters);
                assertEquals(counters.received.get(), counters.outcomes(), "every frame has one outcome: " + counters);
                assertEquals(before, counters.handlerInvocations.get(), "no hostile frame reached the model: " + counters);
                assertEquals(1, counters.sessionsOpened.get(), "no hostile frame opened a session (one is the fuzzer's own)");
                assertTrue(counters.dropped.get() > frames / 4 && counters.unauthorized.get() > frames / 10, counters.toString());
            }
            Dendrite.Response r = other.dendrite().query(validator, miner.address(), node.axonChannel(), 1, new byte[] {4, 2},
                    Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertEquals(Status.OK, r.status(), "the axon still serves: " + counters);
        }
    }
}

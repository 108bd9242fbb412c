package io.cortex.bench.fuzz;

import io.cortex.protocol.aeron.Axon;
import io.cortex.protocol.aeron.AxonCounters;
import io.cortex.protocol.aeron.Dendrite;
import io.cortex.protocol.aeron.FrameFuzzer;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.aeron.Status;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark-length fuzz run of the query path (bench/run-fuzz.sh; BENCHMARKS.md): a live axon on UDP
 * takes {@code bench.frames} random and mutated frames (default 1,000,000) from a hostile peer, in batches,
 * with progress on stderr. After every batch and at the end it checks what the suite's bounded run checks:
 * every frame sent was read, each read frame has exactly one outcome, the model never ran; then a real
 * query must still be served. Prints one {@code RESULT} line; exits 1 on any violation.
 */
public final class FuzzBench {

    private FuzzBench() {
    }

    public static void main(String[] args) throws Exception {
        long frames = Long.getLong("bench.frames", 1_000_000);
        long seed = Long.getLong("bench.seed", 2026);
        long batch = 100_000;
        Keypair miner = DevKeys.hotkey("bob", 5);
        Keypair validator = DevKeys.hotkey("alice", 5);
        try (QueryTransport node = QueryTransport.start(new QueryTransport.Context().name("fuzzed"));
             QueryTransport other = QueryTransport.start(new QueryTransport.Context().name("fuzz-validator"))) {
            String fuzzerReplies = FrameFuzzer.freeReplyChannel();
            // the ledger's view: the validator is registered; the fuzzer's and the other node's endpoints are served axons
            node.axon().register(miner, (request, responder) -> responder.respond(Status.OK, request.body()),
                    Axon.CallerPolicy.of(java.util.Set.of(validator.address()), java.util.Set.of(fuzzerReplies, other.axonChannel())));
            AxonCounters counters = node.axon().counters();
            long start = System.nanoTime();
            try (FrameFuzzer fuzzer = new FrameFuzzer(node.endpoint(), validator, miner.address(), fuzzerReplies)) {
                long modelRuns = counters.handlerInvocations.get();
                SplittableRandom random = new SplittableRandom(seed);
                for (long done = 0; done < frames; done += batch) {
                    fuzzer.run(Math.min(batch, frames - done), random);
                    awaitRead(counters, fuzzer.sent());
                    check(counters.received.get() == fuzzer.sent(), "frames sent but never read", fuzzer, counters);
                    check(counters.received.get() == counters.outcomes(), "frames without exactly one outcome", fuzzer, counters);
                    check(counters.handlerInvocations.get() == modelRuns, "a hostile frame reached the model", fuzzer, counters);
                    check(counters.sessionsOpened.get() == 1, "a hostile frame opened a session", fuzzer, counters);
                    System.err.printf("fuzz: %,d of %,d frames, all read and accounted for (%s)%n",
                            Math.min(done + batch, frames), frames, counters);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                String result = String.format("RESULT fuzz frames=%d sent=%d received=%d sessions=%d dropped=%d unauthorized=%d"
                                + " too_large=%d no_such_miner=%d expired=%d overloaded=%d hostile_model_runs=%d seconds=%.1f"
                                + " frames_per_s=%.0f seed=%d",
                        frames, fuzzer.sent(), counters.received.get(), counters.sessionsOpened.get(), counters.dropped.get(),
                        counters.unauthorized.get(), counters.tooLarge.get(), counters.noSuchMiner.get(),
                        counters.expired.get(), counters.overloaded.get(), counters.handlerInvocations.get() - modelRuns,
                        seconds, fuzzer.sent() / seconds, seed);
                Dendrite.Response r = other.dendrite().query(validator, miner.address(), node.axonChannel(), 1,
                        new byte[] {4, 2}, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                check(r.status() == Status.OK, "the axon stopped serving after the fuzz run: " + r.status(), fuzzer, counters);
                System.err.println("fuzz: afterwards, a real query was served");
                System.out.println(result);
            }
        }
    }

    private static void awaitRead(AxonCounters counters, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counters.received.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static void check(boolean holds, String violation, FrameFuzzer fuzzer, AxonCounters counters) {
        if (!holds) {
            System.err.println("fuzz: FAILED, " + violation + " (sent " + fuzzer.sent() + ": " + counters + ")");
            System.exit(1);
        }
    }
}

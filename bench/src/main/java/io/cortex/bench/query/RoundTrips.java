package io.cortex.bench.query;

import java.util.Locale;
import io.cortex.protocol.aeron.QueryTransport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;

/**
 * How every client of the query benchmark is measured: round trips one at a time, the caller polling for the
 * answer with the client idle strategy as the raw ping-pong does (latency percentiles and the sequential
 * rate), then {@code inFlight} callers each issuing their next call as the last completes for
 * a fixed time (throughput). Prints one {@code RESULT} line the script collects.
 */
final class RoundTrips {

    record Settings(int warmup, int count, int inFlight, int seconds) {
    }

    private RoundTrips() {
    }

    static void measure(String name, Settings s, Supplier<CompletionStage<?>> call) throws InterruptedException {
        IdleStrategy idle = QueryTransport.idle(System.getProperty("cortex.aeron.client-idle", "backoff"));
        for (int i = 0; i < s.warmup(); i++) {
            await(call.get(), idle);
        }
        Histogram rtt = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long start = System.nanoTime();
        for (int i = 0; i < s.count(); i++) {
            long t0 = System.nanoTime();
            await(call.get(), idle);
            rtt.recordValue(System.nanoTime() - t0);
        }
        double sequentialSeconds = (System.nanoTime() - start) / 1e9;

        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(s.seconds());
        CountDownLatch finished = new CountDownLatch(s.inFlight());
        long concurrentStart = System.nanoTime();
        for (int k = 0; k < s.inFlight(); k++) {
            loop(call, done, deadline, finished);
        }
        finished.await();
        double concurrentSeconds = (System.nanoTime() - concurrentStart) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT %s p50_us=%.1f p99_us=%.1f mean_us=%.1f seq_qps=%.0f conc_qps=%.0f in_flight=%d%n",
                name, rtt.getValueAtPercentile(50) / 1e3, rtt.getValueAtPercentile(99) / 1e3, rtt.getMean() / 1e3,
                s.count() / sequentialSeconds, done.get() / concurrentSeconds, s.inFlight());
    }

    /**
     * Waits for a call the way the raw ping-pong waits for its echo: polling with the client idle strategy,
     * not parking the thread until a completion wakes it.
     */
    private static void await(CompletionStage<?> stage, IdleStrategy idle) {
        CompletableFuture<?> f = stage.toCompletableFuture();
        idle.reset();
        while (!f.isDone()) {
            idle.idle();
        }
        f.join();
    }

    private static void loop(Supplier<CompletionStage<?>> call, AtomicLong done, long deadline, CountDownLatch finished) {
        call.get().whenComplete((r, e) -> {
            if (e != null) {
                System.err.println("call failed: " + e);
            } else {
                done.incrementAndGet();
            }
            if (System.nanoTime() < deadline) {
                loop(call, done, deadline, finished);
            } else {
                finished.countDown();
            }
        });
    }
}

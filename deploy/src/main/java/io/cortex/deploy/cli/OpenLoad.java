package io.cortex.deploy.cli;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open workload: query {@code i} is due at {@code start + i / rate}, whatever became of the queries before it,
 * so a slow network shows as latency and lost queries, never as a lower rate asked of it. One thread sends; it
 * parks until each query is due and sends at once when it is late. Each query's lateness is the generator's
 * own schedule lag: when that grows, the generator, not the network, is the bottleneck, and the report says so.
 * At most {@code maxInFlight} queries are out at once; a query due beyond that is not sent, and counts as lost.
 */
final class OpenLoad {
    private OpenLoad() {
    }

    /** Sends query {@code i}, due at {@code dueNanos} and sent at {@code sentNanos} ({@link System#nanoTime}). */
    interface Sender {
        CompletionStage<?> send(long i, long dueNanos, long sentNanos);
    }

    /**
     * What the generator did: queries sent, queries due but not sent (already {@code maxInFlight} out), the
     * schedule lag of those sent (microseconds), seconds from the first due time to the last send, and queries
     * still out when it stopped waiting.
     */
    record Run(int rate, int maxInFlight, long sent, long notSent, Histogram lagMicros, double sendingSeconds,
               int unfinished) {
        /** Queries sent per second while sending. */
        double achievedRate() {
            return sendingSeconds <= 0 ? 0 : sent / sendingSeconds;
        }
    }

    /**
     * Sends {@code rate} queries a second for {@code length} through {@code sender}, then waits up to
     * {@code drain} for the ones still out. Runs on the calling thread.
     */
    static Run run(int rate, Duration length, int maxInFlight, Duration drain, Sender sender) {
        if (rate < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("a rate and a bound in flight of at least 1, not " + rate + " and " + maxInFlight);
        }
        long total = Math.max(1, Math.round(rate * (length.toNanos() / 1e9)));
        double interval = 1e9 / rate;
        Histogram lag = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        AtomicInteger inFlight = new AtomicInteger();
        long sent = 0;
        long notSent = 0;
        long start = System.nanoTime();
        long lastSend = start;
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * interval);
            long now = System.nanoTime();
            while (now < due) {
                LockSupport.parkNanos(due - now);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("the load generator was interrupted");
                }
                now = System.nanoTime();
            }
            if (inFlight.get() >= maxInFlight) {
                notSent++;
                continue;
            }
            inFlight.incrementAndGet();
            lag.recordValue(Math.min(lag.getHighestTrackableValue(), (now - due) / 1000));
            lastSend = now;
            sent++;
            try {
                sender.send(i, due, now).whenComplete((result, failure) -> inFlight.decrementAndGet());
            } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                throw e;
            }
        }
        double sendingSeconds = (lastSend - start) / 1e9 + interval / 1e9;
        long drainUntil = System.nanoTime() + drain.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return new Run(rate, maxInFlight, sent, notSent, lag, sendingSeconds, inFlight.get());
    }
}

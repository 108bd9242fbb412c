package io.cortex.protocol.aeron;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log line for refusals an operator can read without drowning in them: per kind of refusal, at most one
 * line every {@code intervalMillis}, saying how many of that kind were refused since the last line and
 * what the latest one was. The counters beside it ({@link AxonCounters}) count every one.
 */
final class RefusalLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.cortex.protocol.aeron.refusals");

    private static final class Kind {
        final AtomicLong lastLineMillis = new AtomicLong(Long.MIN_VALUE / 2);
        final AtomicLong unlogged = new AtomicLong();
    }

    private final String node;
    private final long intervalMillis;
    private final ConcurrentHashMap<String, Kind> kinds = new ConcurrentHashMap<>();

    RefusalLog(String node, long intervalMillis) {
        this.node = node;
        this.intervalMillis = intervalMillis;
    }

    /** A refusal of {@code kind}; {@code detail} is built only when a line is written. */
    void refused(String kind, java.util.function.Supplier<String> detail) {
        Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
        k.unlogged.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = k.lastLineMillis.get();
        if (now - last >= intervalMillis && k.lastLineMillis.compareAndSet(last, now)) {
            long n = k.unlogged.getAndSet(0);
            LOG.warn("axon {} refused {} x{} {}; latest: {}", node, kind, n,
                    last < 0 ? "since it started" : "in the last " + (now - last) / 1000 + " s", detail.get());
        }
    }
}

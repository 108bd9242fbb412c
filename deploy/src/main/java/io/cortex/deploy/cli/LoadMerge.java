package io.cortex.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * {@code cortex loadtest merge}: one report from several load generators run at once (each its own process,
 * on one machine or several, each writing its --out), so that a generator is never the bottleneck: the counts
 * add up, and the latencies are the percentiles of all the generators' histograms together, not an average of
 * their percentiles.
 */
final class LoadMerge {
    private LoadMerge() {
    }

    /** What the generators did together; latencies in microseconds. */
    record Merged(int reports, long rateAsked, long sent, long answered, long notSent, long lost, double elapsedSeconds,
                  Histogram latency, Histogram service, Histogram lag) {
        double achievedRate() {
            return elapsedSeconds <= 0 ? 0 : sent / elapsedSeconds;
        }
    }

    /** The reports of generators that ran together: their sums, and the latencies of all their queries. */
    static Merged merge(List<JsonNode> reports) {
        Histogram latency = new Histogram(3);
        Histogram service = new Histogram(3);
        Histogram lag = new Histogram(3);
        long rate = 0;
        long sent = 0;
        long answered = 0;
        long notSent = 0;
        long lost = 0;
        double elapsed = 0;
        for (JsonNode r : reports) {
            JsonNode h = r.path("histograms");
            if (h.isMissingNode()) {
                throw new IllegalArgumentException("a report without histograms (from a load tester before 2026-12-07, or "
                        + "a --ramp curve): only single-rate reports merge");
            }
            latency.add(decode(h.path("latency_us").asText()));
            service.add(decode(h.path("service_us").asText()));
            lag.add(decode(h.path("schedule_lag_us").asText()));
            rate += r.path("rate_asked").asLong();
            sent += r.path("sent").asLong();
            answered += r.path("answered").asLong();
            notSent += r.path("not_sent").asLong();
            lost += r.path("lost").asLong();
            elapsed = Math.max(elapsed, r.path("elapsed_s").asDouble()); // they ran at once: the longest of them
        }
        return new Merged(reports.size(), rate, sent, answered, notSent, lost, elapsed, latency, service, lag);
    }

    /** A histogram as base64 of HdrHistogram's compressed encoding. */
    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("a histogram that does not decode: " + e.getMessage());
        }
    }
}

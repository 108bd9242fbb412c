package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tester's open workload: queries go out on their schedule whatever the replies do, a bound on those
 * in flight loses the ones past it (counted, never queued), and the load curve's knee is the highest rate that
 * stayed within its bound and lost nothing.
 */
class OpenLoadTest {

    @Test
    void queriesGoOutOnTheirScheduleWhenNoReplyEverComes() {
        ConcurrentLinkedQueue<long[]> sends = new ConcurrentLinkedQueue<>();
        OpenLoad.Run run = OpenLoad.run(200, Duration.ofSeconds(1), 1_000, Duration.ofMillis(50), (i, due, sent) -> {
            sends.add(new long[] {i, due, sent});
            return new CompletableFuture<>(); // never answered: an open workload sends the next one anyway
        });
        assertEquals(200, run.sent());
        assertEquals(0, run.notSent());
        assertEquals(200, run.unfinished(), "every query still out");
        assertTrue(run.sendingSeconds() > 0.9 && run.sendingSeconds() < 1.5, "sent over a second: " + run.sendingSeconds());
        long[] first = sends.peek();
        for (long[] s : sends) {
            assertEquals(s[0] * 5_000_000L, s[1] - first[1], "query " + s[0] + " due 5 ms after the one before");
            assertTrue(s[2] >= s[1], "never sent before it is due");
        }
        assertTrue(run.lagMicros().getValueAtPercentile(50) < 20_000, "the generator keeps its schedule: lag p50 "
                + run.lagMicros().getValueAtPercentile(50) + " µs");
    }

    @Test
    void aQueryDueWhileTheBoundIsOutIsNotSentAndCountsAsLost() {
        OpenLoad.Run run = OpenLoad.run(100, Duration.ofSeconds(1), 10, Duration.ofMillis(10),
                (i, due, sent) -> new CompletableFuture<>());
        assertEquals(10, run.sent());
        assertEquals(90, run.notSent());
    }

    @Test
    void answeredQueriesFreeTheirPlace() {
        OpenLoad.Run run = OpenLoad.run(100, Duration.ofSeconds(1), 1, Duration.ofSeconds(1),
                (i, due, sent) -> CompletableFuture.completedFuture(null));
        assertEquals(100, run.sent());
        assertEquals(0, run.notSent());
        assertEquals(0, run.unfinished());
    }

    @Test
    void theKneeIsTheHighestRateWithinTheBoundThatLostNothing(@TempDir Path dir) throws Exception {
        LoadCurve curve = new LoadCurve("node:1", 10.0, List.of(
                step(50, 4.0, 0, true), step(100, 6.0, 0, true), step(150, 9.0, 0, true), step(200, 40.0, 3, false)));
        assertEquals(150, curve.knee().rate());
        assertTrue(curve.kneeLine().startsWith("knee: 150 queries/s"), curve.kneeLine());
        curve.write(dir);
        List<String> steps = Files.readAllLines(dir.resolve("steps.csv"));
        assertEquals(5, steps.size(), "a header and a row a step");
        assertTrue(steps.get(4).startsWith("200,") && steps.get(4).endsWith(",false"), steps.get(4));
        assertEquals(List.of("rate_asked,netuid,sent,answered,response_p50_ms,response_p99_ms", "50,1,10,10,1.000,4.000"),
                Files.readAllLines(dir.resolve("subnets.csv")).subList(0, 2));
        String html = Files.readString(dir.resolve("curve.html"));
        assertTrue(html.contains("<svg") && html.contains("knee: 150 queries/s") && !html.contains("http"), "self-contained");
        assertTrue(html.contains("subnet 1 response p99") && html.contains("subnet 1 uid 003"), "a line a subnet and a miner");
        assertEquals("200,1,3,cx3,hosted dev,10,10,0,0,1.000,2.000", Files.readAllLines(dir.resolve("miners.csv")).get(4));
        assertEquals(150, new com.fasterxml.jackson.databind.ObjectMapper().readTree(curve.json()).get("knee_rate").asInt());
        assertEquals(null, new LoadCurve("node:1", 1.0, List.of(step(50, 4.0, 0, false))).knee(), "no step within");
    }

    @Test
    void mergedGeneratorsAddUpAndTheirLatenciesAreTakenTogether() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        org.HdrHistogram.Histogram fast = new org.HdrHistogram.Histogram(3);
        org.HdrHistogram.Histogram slow = new org.HdrHistogram.Histogram(3);
        org.HdrHistogram.Histogram both = new org.HdrHistogram.Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            fast.recordValue(1_000 + i);
            slow.recordValue(50_000 + 10 * i);
        }
        both.add(fast);
        both.add(slow);
        LoadMerge.Merged m = LoadMerge.merge(List.of(report(json, 100, 1000, 990, 9.9, fast), report(json, 100, 1000, 1000, 10.2, slow)));
        assertEquals(200, m.rateAsked());
        assertEquals(2000, m.sent());
        assertEquals(1990, m.answered());
        assertEquals(10, m.lost());
        assertEquals(10.2, m.elapsedSeconds(), 1e-9, "they ran at once: the longest");
        assertEquals(both.getValueAtPercentile(50), m.latency().getValueAtPercentile(50));
        assertEquals(both.getValueAtPercentile(99), m.latency().getValueAtPercentile(99), "not an average of two p99s");
        assertEquals(2000, m.service().getTotalCount());
    }

    private static com.fasterxml.jackson.databind.JsonNode report(com.fasterxml.jackson.databind.ObjectMapper json, int rate,
                                                                 long sent, long answered, double elapsed,
                                                                 org.HdrHistogram.Histogram latency) {
        com.fasterxml.jackson.databind.node.ObjectNode r = json.createObjectNode().put("rate_asked", rate).put("sent", sent)
                .put("answered", answered).put("not_sent", 0).put("lost", sent - answered).put("elapsed_s", elapsed);
        r.putObject("histograms").put("latency_us", LoadMerge.encode(latency)).put("service_us", LoadMerge.encode(latency))
                .put("schedule_lag_us", LoadMerge.encode(new org.HdrHistogram.Histogram(3)));
        return r;
    }

    private static LoadCurve.Step step(int rate, double p99, long lost, boolean within) {
        return new LoadCurve.Step(rate, rate - 0.5, rate - 1.0, rate * 10L, rate * 10L - lost, lost, 1.0, p99, p99 * 2, 0.5,
                p99 / 2, 0.1, 0.2, 1.0, within, List.of(new LoadCurve.SubnetRow(1, 10, 10, 1.0, p99)),
                List.of(new LoadtestReport.MinerRow(1, 3, "cx3", false, 10, 10, 0, 0, 1_000, 2_000)));
    }
}

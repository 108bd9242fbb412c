package io.cortex.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cortex.deploy.support.CliFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What {@code cortex loadtest} reports: each miner's tally and line, and the run's report, on the terminal and as JSON. */
final class LoadtestReport {
    private LoadtestReport() {
    }

    /** What one miner did in the run: its answers by outcome, and its round trips when it answered. */
    static final class MinerTally {
        final Histogram answered = new Histogram(3);
        long asked;
        long timeouts;
        long errors;

        synchronized void record(int status, long latencyUs) {
            asked++;
            if (status == 200) {
                answered.recordValue(Math.max(1, latencyUs));
            } else if (status == 408) {
                timeouts++;
            } else {
                errors++;
            }
        }
    }

    /** One miner's line of the report. */
    record MinerRow(int netuid, int uid, String hotkey, boolean ownKeys, long asked, long answered, long timeouts, long errors,
                    long p50Us, long p99Us) {
    }

    /** Each miner's outcomes and round trips (status 200), by subnet and uid, with who runs it. */
    static void printByMiner(PrintWriter out, List<MinerRow> miners) {
        List<List<String>> rows = new ArrayList<>();
        for (MinerRow m : miners) {
            rows.add(List.of(Integer.toString(m.netuid()), Integer.toString(m.uid()), m.ownKeys() ? "own keys" : "hosted dev",
                    Long.toString(m.asked()), Long.toString(m.answered()), Long.toString(m.timeouts()), Long.toString(m.errors()),
                    m.answered() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", m.p50Us() / 1000.0),
                    m.answered() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", m.p99Us() / 1000.0)));
        }
        if (!rows.isEmpty()) {
            out.println("each miner: asked, answered (200), timed out (408), other errors; its round trip at the node's dendrite "
                    + "when it answered (its model's working time included):");
            Output.table(out, List.of("subnet", "uid", "run by", "asked", "answered", "timeouts", "errors", "p50 ms", "p99 ms"),
                    rows);
        }
    }

    static void write(Path file, String json) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure("cannot write the report to " + file + ": " + e.getMessage());
        }
    }

    /**
     * What a load test measured at one rate; latencies in microseconds, block gaps in milliseconds.
     * {@code latency} counts from when each query was due by the schedule, so a generator or node that falls
     * behind shows, rather than hides, the wait: the correction for coordinated omission that wrk2 makes. (HdrHistogram's
     * expected-interval recording makes the same correction for a closed loop; on top of due times it would
     * count the wait twice.) {@code service} counts from when each query was actually sent.
     */
    record Report(String node, int rate, long seconds, OpenLoad.Run run, long ok, long unanswered, long rounds,
                  long minerAnswers, long minerOk, Map<String, Long> errors, Histogram latency, Histogram hostedMiners,
                  Histogram ownKeyMiners, Histogram service, long blockTimeMs, long blocks, Histogram blockGaps,
                  long epochsRun, long heightAdvanced, double watchedSeconds) {

        long sent() {
            return run.sent();
        }

        double elapsed() {
            return run.sendingSeconds();
        }

        /** Queries sent per second while sending. */
        double achievedRate() {
            return run.achievedRate();
        }

        /** Queries due that got no answer: failed, unanswered, not sent, or still out when the step ended. */
        long lost() {
            return run.sent() - ok + run.notSent();
        }

        /** Blocks the ledger made against those its block time promises, between the two status reads around the step. */
        double blocksOnTime() {
            return blockTimeMs <= 0 || watchedSeconds <= 0 ? 1 : heightAdvanced / (watchedSeconds * 1000.0 / blockTimeMs);
        }

        void print(PrintWriter out) {
            long sent = sent();
            out.printf(Locale.ROOT, "%nqueries: %d sent in %.1f s, %.1f per second (asked for %d), %d answered (a miner "
                            + "answered in time), %d failed: %d with no miner answering in time, %d calls failed%s%n",
                    sent, elapsed(), achievedRate(), rate, ok, sent - ok, unanswered, sent - ok - unanswered - run.unfinished(),
                    errors.isEmpty() ? "" : " " + errors);
            Histogram lag = run.lagMicros();
            out.printf(Locale.ROOT, "generator: schedule lag ms p50 %.2f  p99 %.2f  max %.2f; %d due but not sent (%d in "
                            + "flight at most), %d still out when it stopped waiting%n", ms(lag.getValueAtPercentile(50)),
                    ms(lag.getValueAtPercentile(99)), ms(lag.getMaxValue()), run.notSent(), run.maxInFlight(),
                    run.unfinished());
            out.printf(Locale.ROOT, "  of which validator rounds: %d; miners' answers: %d, %.2f %% status 200%n", rounds,
                    minerAnswers, minerAnswers == 0 ? 0 : 100.0 * minerOk / minerAnswers);
            out.printf(Locale.ROOT, "latency ms (answered queries, from when each was due): p50 %.2f  p90 %.2f  p99 %.2f"
                            + "  p99.9 %.2f  max %.2f  mean %.2f%n",
                    ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(90)),
                    ms(latency.getValueAtPercentile(99)), ms(latency.getValueAtPercentile(99.9)), ms(latency.getMaxValue()),
                    latency.getMean() / 1000);
            out.printf(Locale.ROOT, "service ms (answered queries, from when each was sent): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                    ms(service.getValueAtPercentile(50)), ms(service.getValueAtPercentile(90)),
                    ms(service.getValueAtPercentile(99)), ms(service.getValueAtPercentile(99.9)), ms(service.getMaxValue()));
            out.printf(Locale.ROOT, "miner round trip ms at the node's dendrite, status 200: hosted dev %s; own keys %s%n",
                    spread(hostedMiners), spread(ownKeyMiners));
            out.printf(Locale.ROOT, "ledger meanwhile: %d blocks (%.0f %% of the %d ms block time's), block gap ms p50 %d  "
                            + "p99 %d  max %d; %d epochs run%n", heightAdvanced, 100 * blocksOnTime(), blockTimeMs,
                    blockGaps.getValueAtPercentile(50), blockGaps.getValueAtPercentile(99), blockGaps.getMaxValue(), epochsRun);
        }

        private static String spread(Histogram h) {
            return h.getTotalCount() == 0 ? "(none)" : String.format(Locale.ROOT, "p50 %.2f  p99 %.2f  max %.2f (%d answers)",
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), h.getTotalCount());
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }

        String json(List<MinerRow> miners) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("node", node);
            root.put("rate_asked", rate);
            root.put("duration_s", seconds);
            root.put("elapsed_s", elapsed());
            root.put("sent", sent());
            root.put("answered", ok);
            root.put("failed", sent() - ok);
            root.put("not_sent", run.notSent());
            root.put("unfinished", run.unfinished());
            root.put("lost", lost());
            root.put("unanswered", unanswered);
            ObjectNode errorNode = root.putObject("errors");
            errors.forEach(errorNode::put);
            root.put("rate_achieved", achievedRate());
            root.put("validator_rounds", rounds);
            root.put("miner_answers", minerAnswers);
            root.put("miner_answers_ok", minerOk);
            ObjectNode latencyNode = percentiles(root.putObject("latency_us"), latency);
            latencyNode.put("mean", latency.getMean());
            percentiles(root.putObject("service_us"), service);
            percentiles(root.putObject("schedule_lag_us"), run.lagMicros());
            ObjectNode roundTrip = root.putObject("miner_round_trip_us");
            spread(roundTrip.putObject("hosted_dev"), hostedMiners);
            spread(roundTrip.putObject("own_keys"), ownKeyMiners);
            ArrayNode minerNodes = root.putArray("miners");
            for (MinerRow m : miners) {
                ObjectNode n = minerNodes.addObject();
                n.put("netuid", m.netuid());
                n.put("uid", m.uid());
                n.put("hotkey", m.hotkey());
                n.put("run_by", m.ownKeys() ? "own keys" : "hosted dev");
                n.put("asked", m.asked());
                n.put("answered", m.answered());
                n.put("timeouts", m.timeouts());
                n.put("errors", m.errors());
                n.put("p50_us", m.p50Us());
                n.put("p99_us", m.p99Us());
            }
            root.put("block_time_ms", blockTimeMs);
            root.put("blocks", heightAdvanced);
            root.put("blocks_on_time", blocksOnTime());
            ObjectNode gaps = root.putObject("block_gap_ms");
            gaps.put("p50", blockGaps.getValueAtPercentile(50));
            gaps.put("p99", blockGaps.getValueAtPercentile(99));
            gaps.put("max", blockGaps.getMaxValue());
            root.put("epochs_run", epochsRun);
            // whole histograms, for cortex loadtest merge to combine several generators' reports
            ObjectNode histograms = root.putObject("histograms");
            histograms.put("latency_us", LoadMerge.encode(latency));
            histograms.put("service_us", LoadMerge.encode(service));
            histograms.put("schedule_lag_us", LoadMerge.encode(run.lagMicros()));
            try {
                return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the report does not serialize", e);
            }
        }

        private static ObjectNode percentiles(ObjectNode node, Histogram h) {
            node.put("p50", h.getValueAtPercentile(50));
            node.put("p90", h.getValueAtPercentile(90));
            node.put("p99", h.getValueAtPercentile(99));
            node.put("p99_9", h.getValueAtPercentile(99.9));
            node.put("max", h.getMaxValue());
            return node;
        }

        private static void spread(ObjectNode node, Histogram h) {
            node.put("answers", h.getTotalCount());
            node.put("p50", h.getValueAtPercentile(50));
            node.put("p99", h.getValueAtPercentile(99));
            node.put("max", h.getMaxValue());
        }
    }
}

package io.cortex.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cortex.protocol.api.BlockEvent;
import io.cortex.protocol.api.MinerAnswer;
import io.cortex.protocol.api.QueryReply;
import io.cortex.protocol.api.QueryRequest;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.StreamRequest;
import io.cortex.protocol.api.SubnetSummary;
import io.cortex.protocol.api.SubnetsRequest;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.pekko.Done;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.ThrottleMode;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortex loadtest}: drives a node's public API at a fixed rate with Pekko Streams — end users'
 * queries (each to a subnet's top three miners) and validator-style rounds (one query to every miner of a
 * subnet) — for a while, printing progress every second, then reports the rate achieved, the latency
 * percentiles (HdrHistogram) and how the ledger kept time meanwhile (block intervals, epochs run), on the
 * terminal and as JSON in a file.
 */
@Command(name = "loadtest", description = {"Drive a node's API at a fixed rate: end users' queries (each to a subnet's "
        + "top 3 miners) and validator-style rounds (a query to every miner of a subnet), over Pekko Streams; progress "
        + "every second, then the achieved rate, latency percentiles, and whether the ledger's blocks and epochs kept "
        + "time meanwhile. The report also goes, as JSON, to --out.",
        "Queries are the subnets' sample queries (SubnetMechanism.sampleQuery); at most --concurrency are in flight, so "
                + "a node that cannot keep up shows as an achieved rate below the one asked for."})
public final class LoadtestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--rate", defaultValue = "100", description = "queries per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--duration", defaultValue = "60s", description = "how long (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--netuid", description = "only this subnet (default: every subnet in turn)")
    Integer netuid;

    @Option(names = "--round-share", defaultValue = "0.1",
            description = "share of the load that is validator-style rounds, to every miner (default ${DEFAULT-VALUE})")
    double roundShare;

    @Option(names = "--concurrency", defaultValue = "64", description = "queries in flight at most (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--timeout-ms", defaultValue = "2000", description = "per miner (default ${DEFAULT-VALUE})")
    int timeoutMs;

    @Option(names = "--seed", defaultValue = "1", description = "picks the queries")
    long seed;

    @Option(names = "--out", defaultValue = "loadtest-report.json", paramLabel = "FILE",
            description = "the report as JSON (default ${DEFAULT-VALUE}; - for none)")
    String out;

    /** One subnet the load goes to, with the mechanism that writes its queries. */
    record Target(int netuid, int n, SubnetMechanism mechanism) {
    }

    @Override
    public Integer call() throws Exception {
        Duration length = TestnetCommand.duration(duration);
        if (rate < 1 || rate > 100_000) {
            throw new IllegalArgumentException("--rate must be 1 to 100000 queries per second");
        }
        if (length.toMillis() < 1000 || length.toHours() > 24) {
            throw new IllegalArgumentException("--duration must be 1 s to 24 h");
        }
        if (!(roundShare >= 0 && roundShare <= 1)) {
            throw new IllegalArgumentException("--round-share must be in [0, 1]");
        }
        if (concurrency < 1 || concurrency > 10_000) {
            throw new IllegalArgumentException("--concurrency must be 1 to 10000");
        }
        PrintWriter terminal = spec.commandLine().getOut();
        try (Api api = connection.open()) {
            List<Target> targets = targets(api, terminal);
            StatusReply before = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
            Materializer materializer = Materializer.matFromSystem(api.system());

            // the ledger's clock, meanwhile: every block's time since the one before
            Histogram blockGaps = new Histogram(3_600_000L, 3);
            AtomicLong blocks = new AtomicLong();
            AtomicLong lastBlockMillis = new AtomicLong();
            UniqueKillSwitch blockWatch = api.ledger().blocks(StreamRequest.getDefaultInstance())
                    .viaMat(KillSwitches.single(), Keep.right())
                    .to(Sink.foreach((BlockEvent b) -> {
                        long previous = lastBlockMillis.getAndSet(b.getTimestampMs());
                        if (previous > 0) {
                            synchronized (blockGaps) {
                                blockGaps.recordValue(Math.max(0, Math.min(3_600_000L, b.getTimestampMs() - previous)));
                            }
                            blocks.incrementAndGet();
                        }
                    }))
                    .run(materializer);

            Recorder latency = new Recorder(3);
            Histogram total = new Histogram(3);
            // each miner's round trip as the node's dendrite measured it, by who runs the miner
            java.util.Set<String> ownKeys = ownKeys(api, targets);
            Histogram hostedMiners = new Histogram(3);
            Histogram ownKeyMiners = new Histogram(3);
            Map<Integer, MinerTally> byUid = new ConcurrentHashMap<>();
            Recorder service = new Recorder(3);
            AtomicLong sent = new AtomicLong();
            AtomicLong ok = new AtomicLong();
            AtomicLong unanswered = new AtomicLong();
            AtomicLong rounds = new AtomicLong();
            AtomicLong minerAnswers = new AtomicLong();
            AtomicLong minerOk = new AtomicLong();
            Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
            SplittableRandom random = new SplittableRandom(seed);
            terminal.printf(Locale.ROOT, "loadtest of %s: %d queries/s for %d s to %s (%.0f %% validator rounds), "
                            + "at most %d in flight%n", api.address(), rate, length.toSeconds(), describe(targets),
                    roundShare * 100, concurrency);
            terminal.println("    t    sent answered  failed   rate/s   p50 ms   p99 ms   max ms  blocks");
            terminal.flush();

            long start = System.nanoTime();
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "loadtest-progress");
                t.setDaemon(true);
                return t;
            });
            long[] lastSent = {0};
            progress.scheduleAtFixedRate(() -> {
                Histogram interval = latency.getIntervalHistogram();
                synchronized (total) {
                    total.add(interval);
                }
                long s = sent.get();
                double seconds = (System.nanoTime() - start) / 1e9;
                terminal.printf(Locale.ROOT, "%5.0fs %7d %8d %7d %8d %8.1f %8.1f %8.1f %7d%n", seconds, s, ok.get(),
                        errorCount(errors) + unanswered.get(), s - lastSent[0], interval.getValueAtPercentile(50) / 1000.0,
                        interval.getValueAtPercentile(99) / 1000.0, interval.getMaxValue() / 1000.0, blocks.get());
                terminal.flush();
                lastSent[0] = s;
            }, 1, 1, TimeUnit.SECONDS);

            AtomicLong lastSend = new AtomicLong(start);
            AtomicLong origin = new AtomicLong(start);
            double intervalNanos = 1e9 / rate;
            CompletionStage<Done> done = Source.fromIterator(() -> java.util.stream.LongStream.iterate(0, k -> k + 1).iterator())
                    .throttle(rate, Duration.ofSeconds(1), Math.max(1, rate / 20), ThrottleMode.shaping())
                    .takeWithin(length)
                    .mapAsyncUnordered(concurrency, i -> {
                        Target t;
                        boolean round;
                        String text;
                        synchronized (random) {
                            t = targets.get(random.nextInt(targets.size()));
                            round = random.nextDouble() < roundShare;
                            text = t.mechanism().sampleQuery(random);
                        }
                        QueryRequest request = QueryRequest.newBuilder().setNetuid(t.netuid()).setText(text)
                                .setTop(round ? Math.max(1, t.n()) : 3).setTimeoutMs(timeoutMs).build();
                        // latency counts from when the query was due, so waiting for a free slot counts too
                        long now = System.nanoTime();
                        if (i == 0) {
                            origin.set(now); // the schedule starts with the first query
                        }
                        long began = Math.min(now, origin.get() + (long) (i * intervalNanos));
                        lastSend.set(now);
                        sent.incrementAndGet();
                        if (round) {
                            rounds.incrementAndGet();
                        }
                        return api.network().query(request).toCompletableFuture()
                                .orTimeout(timeoutMs + 10_000L, TimeUnit.MILLISECONDS) // a node that hangs
                                .handle((QueryReply reply, Throwable failure) -> {
                            if (failure == null) {
                                long end = System.nanoTime();
                                boolean answered = false;
                                for (MinerAnswer a : reply.getAnswersList()) {
                                    minerAnswers.incrementAndGet();
                                    MinerTally u = byUid.computeIfAbsent(t.netuid() * 1000 + a.getUid(), k -> new MinerTally());
                                    u.record(a.getStatus(), a.getLatencyUs());
                                    if (a.getStatus() == 200) {
                                        answered = true;
                                        minerOk.incrementAndGet();
                                        Histogram h = ownKeys.contains(a.getHotkey()) ? ownKeyMiners : hostedMiners;
                                        synchronized (h) {
                                            h.recordValue(Math.max(1, a.getLatencyUs()));
                                        }
                                    }
                                }
                                // answered when a miner answered in time; a reply of timeouts and errors is a failure
                                if (answered) {
                                    latency.recordValue(Math.max(1, (end - began) / 1000));
                                    service.recordValue(Math.max(1, (end - now) / 1000));
                                    ok.incrementAndGet();
                                } else {
                                    unanswered.incrementAndGet();
                                }
                            } else {
                                errors.computeIfAbsent(kind(failure), k -> new AtomicLong()).incrementAndGet();
                            }
                            return Done.getInstance();
                        });
                    })
                    .runWith(Sink.ignore(), materializer);
            try {
                done.toCompletableFuture().get(length.toSeconds() + 120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new CliFailure("the load test stopped: " + (e.getCause() == null ? e : e.getCause()));
            } finally {
                progress.shutdown(); // the periodic line stops; one being printed finishes
                progress.awaitTermination(5, TimeUnit.SECONDS);
                blockWatch.shutdown();
            }
            double seconds = (lastSend.get() - origin.get()) / 1e9 + 1.0 / rate; // the sending, not the draining after it
            synchronized (total) {
                total.add(latency.getIntervalHistogram());
            }
            StatusReply after = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));

            Report report;
            synchronized (blockGaps) {
                report = new Report(api.address(), rate, length.toSeconds(), seconds, sent.get(), ok.get(), unanswered.get(),
                        rounds.get(),
                        minerAnswers.get(), minerOk.get(), new TreeMap<>(counts(errors)), total, hostedMiners.copy(),
                        ownKeyMiners.copy(),
                        service.getIntervalHistogram(), before.getBlockTimeMs(),
                        blocks.get(), blockGaps.copy(), after.getEpochsRun() - before.getEpochsRun(),
                        after.getHeight() - before.getHeight());
            }
            report.print(terminal);
            List<MinerRow> miners = byMiner(byUid, ownKeys, api, targets);
            printByMiner(terminal, miners);
            if (!out.equals("-")) {
                write(Path.of(out), report.json(miners));
                terminal.println("report written to " + Path.of(out).toAbsolutePath());
            }
            terminal.flush();
        }
        return 0;
    }

    private List<Target> targets(Api api, PrintWriter terminal) {
        List<Target> targets = new ArrayList<>();
        for (SubnetSummary s : api.call(api.ledger().subnets(SubnetsRequest.getDefaultInstance())).getSubnetsList()) {
            if (netuid != null && s.getNetuid() != netuid) {
                continue;
            }
            SubnetMechanism m = SubnetMechanisms.all().get(s.getMechanism());
            if (m == null || m.sampleQuery(new SplittableRandom(0)) == null) {
                terminal.println("subnet " + s.getNetuid() + " (" + (s.getMechanism().isEmpty() ? "no mechanism" : s.getMechanism())
                        + ") left out: no sample queries for it here");
                continue;
            }
            targets.add(new Target(s.getNetuid(), s.getN(), m));
        }
        if (targets.isEmpty()) {
            throw new CliFailure(netuid != null ? "no subnet " + netuid + " to load with queries"
                    : "no subnet to load with queries (is the network up? ./cortex subnet list)");
        }
        return targets;
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

    private static List<MinerRow> byMiner(Map<Integer, MinerTally> byUid, java.util.Set<String> ownKeys, Api api,
                                          List<Target> targets) {
        Map<Integer, String> hotkeys = new TreeMap<>();
        for (Target t : targets) {
            api.call(api.ledger().subnet(io.cortex.protocol.api.NetuidRequest.newBuilder().setNetuid(t.netuid()).build()))
                    .getMetagraph().getNeuronsList().forEach(n -> hotkeys.put(t.netuid() * 1000 + n.getUid(), n.getHotkey()));
        }
        List<MinerRow> rows = new ArrayList<>();
        new TreeMap<>(byUid).forEach((key, m) -> {
            synchronized (m) {
                String hotkey = hotkeys.getOrDefault(key, "");
                rows.add(new MinerRow(key / 1000, key % 1000, hotkey, ownKeys.contains(hotkey), m.asked,
                        m.answered.getTotalCount(), m.timeouts, m.errors, m.answered.getValueAtPercentile(50),
                        m.answered.getValueAtPercentile(99)));
            }
        });
        return rows;
    }

    /** Each miner's outcomes and round trips (status 200), by subnet and uid, with who runs it. */
    private static void printByMiner(PrintWriter out, List<MinerRow> miners) {
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

    /** The hotkeys of the targets' neurons that run with their own keys (not hosted by the nodes). */
    private static java.util.Set<String> ownKeys(Api api, List<Target> targets) {
        java.util.Set<String> own = new java.util.HashSet<>();
        for (Target t : targets) {
            api.call(api.ledger().subnet(io.cortex.protocol.api.NetuidRequest.newBuilder().setNetuid(t.netuid()).build()))
                    .getMetagraph().getNeuronsList().stream().filter(n -> !n.getHosted())
                    .forEach(n -> own.add(n.getHotkey()));
        }
        return own;
    }

    private static String describe(List<Target> targets) {
        List<String> s = new ArrayList<>();
        targets.forEach(t -> s.add(t.netuid() + " (" + t.mechanism().name() + ")"));
        return (targets.size() == 1 ? "subnet " : "subnets ") + String.join(", ", s);
    }

    private static String kind(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return t instanceof StatusRuntimeException s ? s.getStatus().getCode().name() : t.getClass().getSimpleName();
    }

    private static long errorCount(Map<String, AtomicLong> errors) {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private static Map<String, Long> counts(Map<String, AtomicLong> errors) {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private static void write(Path file, String json) {
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
     * What a load test measured; latencies in microseconds, block gaps in milliseconds. {@code latency} counts
     * from when each query was due by the schedule (so a load tester or node that falls behind shows, rather
     * than hides, the wait); {@code service} from when it was actually sent.
     */
    record Report(String node, int rate, long seconds, double elapsed, long sent, long ok, long unanswered, long rounds,
                  long minerAnswers,
                  long minerOk, Map<String, Long> errors, Histogram latency, Histogram hostedMiners, Histogram ownKeyMiners,
                  Histogram service, long blockTimeMs, long blocks,
                  Histogram blockGaps, long epochsRun, long heightAdvanced) {

        /** Queries sent per second while sending. */
        double achievedRate() {
            return sent / elapsed;
        }

        /** Blocks the ledger made against those its block time promises over the run. */
        double blocksOnTime() {
            return blockTimeMs <= 0 ? 1 : heightAdvanced / (elapsed * 1000.0 / blockTimeMs);
        }

        void print(PrintWriter out) {
            out.printf(Locale.ROOT, "%nqueries: %d sent in %.1f s, %.1f per second (asked for %d), %d answered (a miner "
                            + "answered in time), %d failed: %d with no miner answering in time, %d calls failed%s%n",
                    sent, elapsed, achievedRate(), rate, ok, sent - ok, unanswered, sent - ok - unanswered,
                    errors.isEmpty() ? "" : " " + errors);
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
            root.put("elapsed_s", elapsed);
            root.put("sent", sent);
            root.put("answered", ok);
            root.put("failed", sent - ok);
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

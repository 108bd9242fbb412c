package io.cortex.deploy.cli;

import io.cortex.deploy.cli.LoadtestReport.MinerRow;
import io.cortex.deploy.cli.LoadtestReport.MinerTally;
import io.cortex.deploy.cli.LoadtestReport.Report;
import io.cortex.deploy.support.CliFailure;
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
import java.io.PrintWriter;
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

    /** Picks the queries (seeded by --seed when the run starts). */
    private SplittableRandom random;

    /** One subnet the load goes to, with the mechanism that writes its queries. */
    record Target(int netuid, int n, SubnetMechanism mechanism) {
    }

    @Override
    public Integer call() throws Exception {
        Duration length = Values.duration(duration);
        validate(length);
        random = new SplittableRandom(seed);
        PrintWriter terminal = spec.commandLine().getOut();
        try (Api api = connection.open()) {
            List<Target> targets = targets(api, terminal);
            StatusReply before = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
            Materializer materializer = Materializer.matFromSystem(api.system());
            Tally tally = new Tally(ownKeys(api, targets));
            // the ledger's clock, meanwhile: every block's time since the one before
            UniqueKillSwitch blockWatch = api.ledger().blocks(StreamRequest.getDefaultInstance())
                    .viaMat(KillSwitches.single(), Keep.right()).to(Sink.foreach(tally::block)).run(materializer);
            terminal.printf(Locale.ROOT, "loadtest of %s: %d queries/s for %d s to %s (%.0f %% validator rounds), "
                            + "at most %d in flight%n", api.address(), rate, length.toSeconds(), describe(targets),
                    roundShare * 100, concurrency);
            terminal.println("    t    sent answered  failed   rate/s   p50 ms   p99 ms   max ms  blocks");
            terminal.flush();
            Schedule schedule = new Schedule(System.nanoTime(), 1e9 / rate);
            ScheduledExecutorService progress = progress(terminal, tally, schedule.origin.get());
            CompletionStage<Done> done = Source.fromIterator(() -> java.util.stream.LongStream.iterate(0, k -> k + 1).iterator())
                    .throttle(rate, Duration.ofSeconds(1), Math.max(1, rate / 20), ThrottleMode.shaping())
                    .takeWithin(length)
                    .mapAsyncUnordered(concurrency, i -> query(api, targets, tally, schedule, i))
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
            report(api, terminal, targets, tally, before, schedule, length);
        }
        return 0;
    }

    private void validate(Duration length) {
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
    }

    /** When the queries were due: the i-th at origin + i intervals (the first query sets the origin). */
    private static final class Schedule {
        final AtomicLong origin;
        final AtomicLong lastSend;
        final double intervalNanos;

        Schedule(long start, double intervalNanos) {
            this.origin = new AtomicLong(start);
            this.lastSend = new AtomicLong(start);
            this.intervalNanos = intervalNanos;
        }

        /** The i-th query goes now: when it was due (never later than now). */
        long due(long i, long now) {
            if (i == 0) {
                origin.set(now); // the schedule starts with the first query
            }
            lastSend.set(now);
            return Math.min(now, origin.get() + (long) (i * intervalNanos));
        }

        /** Seconds of sending, not of the draining after it. */
        double sendingSeconds(int rate) {
            return (lastSend.get() - origin.get()) / 1e9 + 1.0 / rate;
        }
    }

    /** What a run counts as it goes: the queries' outcomes and latencies, each miner's, and the ledger's blocks. */
    private static final class Tally {
        final Recorder latency = new Recorder(3);
        final Histogram total = new Histogram(3);
        final Recorder service = new Recorder(3);
        // each miner's round trip as the node's dendrite measured it, by who runs the miner
        final Histogram hostedMiners = new Histogram(3);
        final Histogram ownKeyMiners = new Histogram(3);
        final Map<Integer, MinerTally> byUid = new ConcurrentHashMap<>();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong unanswered = new AtomicLong();
        final AtomicLong rounds = new AtomicLong();
        final AtomicLong minerAnswers = new AtomicLong();
        final AtomicLong minerOk = new AtomicLong();
        final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        final Histogram blockGaps = new Histogram(3_600_000L, 3);
        final AtomicLong blocks = new AtomicLong();
        final AtomicLong lastBlockMillis = new AtomicLong();
        final java.util.Set<String> ownKeys;

        Tally(java.util.Set<String> ownKeys) {
            this.ownKeys = ownKeys;
        }

        void block(BlockEvent b) {
            long previous = lastBlockMillis.getAndSet(b.getTimestampMs());
            if (previous > 0) {
                synchronized (blockGaps) {
                    blockGaps.recordValue(Math.max(0, Math.min(3_600_000L, b.getTimestampMs() - previous)));
                }
                blocks.incrementAndGet();
            }
        }

        /** A reply: answered when a miner answered in time; a reply of timeouts and errors is a failure. */
        void replied(Target t, QueryReply reply, long due, long sentAt) {
            long end = System.nanoTime();
            boolean answered = false;
            for (MinerAnswer a : reply.getAnswersList()) {
                minerAnswers.incrementAndGet();
                byUid.computeIfAbsent(t.netuid() * 1000 + a.getUid(), k -> new MinerTally()).record(a.getStatus(), a.getLatencyUs());
                if (a.getStatus() == 200) {
                    answered = true;
                    minerOk.incrementAndGet();
                    Histogram h = ownKeys.contains(a.getHotkey()) ? ownKeyMiners : hostedMiners;
                    synchronized (h) {
                        h.recordValue(Math.max(1, a.getLatencyUs()));
                    }
                }
            }
            if (answered) {
                latency.recordValue(Math.max(1, (end - due) / 1000));
                service.recordValue(Math.max(1, (end - sentAt) / 1000));
                ok.incrementAndGet();
            } else {
                unanswered.incrementAndGet();
            }
        }

        void failed(Throwable failure) {
            errors.computeIfAbsent(kind(failure), k -> new AtomicLong()).incrementAndGet();
        }

        /** The latencies since the last call, added to the run's. */
        Histogram interval() {
            Histogram interval = latency.getIntervalHistogram();
            synchronized (total) {
                total.add(interval);
            }
            return interval;
        }
    }

    /** A line a second: sent, answered, failed, the rate and the second's latencies, blocks seen. */
    private ScheduledExecutorService progress(PrintWriter terminal, Tally tally, long start) {
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadtest-progress");
            t.setDaemon(true);
            return t;
        });
        long[] lastSent = {0};
        progress.scheduleAtFixedRate(() -> {
            Histogram interval = tally.interval();
            long s = tally.sent.get();
            double seconds = (System.nanoTime() - start) / 1e9;
            terminal.printf(Locale.ROOT, "%5.0fs %7d %8d %7d %8d %8.1f %8.1f %8.1f %7d%n", seconds, s, tally.ok.get(),
                    errorCount(tally.errors) + tally.unanswered.get(), s - lastSent[0], interval.getValueAtPercentile(50) / 1000.0,
                    interval.getValueAtPercentile(99) / 1000.0, interval.getMaxValue() / 1000.0, tally.blocks.get());
            terminal.flush();
            lastSent[0] = s;
        }, 1, 1, TimeUnit.SECONDS);
        return progress;
    }

    /** The i-th query: a target and its text picked by the seed, its latency counted from when it was due. */
    private CompletionStage<Done> query(Api api, List<Target> targets, Tally tally, Schedule schedule, long i) {
        Target t;
        boolean round;
        String text;
        synchronized (this) {
            t = targets.get(random.nextInt(targets.size()));
            round = random.nextDouble() < roundShare;
            text = t.mechanism().sampleQuery(random);
        }
        QueryRequest request = QueryRequest.newBuilder().setNetuid(t.netuid()).setText(text)
                .setTop(round ? Math.max(1, t.n()) : 3).setTimeoutMs(timeoutMs).build();
        // latency counts from when the query was due, so waiting for a free slot counts too
        long now = System.nanoTime();
        long due = schedule.due(i, now);
        tally.sent.incrementAndGet();
        if (round) {
            tally.rounds.incrementAndGet();
        }
        return api.network().query(request).toCompletableFuture()
                .orTimeout(timeoutMs + 10_000L, TimeUnit.MILLISECONDS) // a node that hangs
                .handle((QueryReply reply, Throwable failure) -> {
                    if (failure == null) {
                        tally.replied(t, reply, due, now);
                    } else {
                        tally.failed(failure);
                    }
                    return Done.getInstance();
                });
    }

    /** The report: on the terminal, each miner's line, and the JSON file. */
    private void report(Api api, PrintWriter terminal, List<Target> targets, Tally tally, StatusReply before,
                        Schedule schedule, Duration length) {
        tally.interval();
        StatusReply after = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
        Report report;
        synchronized (tally.blockGaps) {
            report = new Report(api.address(), rate, length.toSeconds(), schedule.sendingSeconds(rate), tally.sent.get(),
                    tally.ok.get(), tally.unanswered.get(), tally.rounds.get(), tally.minerAnswers.get(), tally.minerOk.get(),
                    new TreeMap<>(counts(tally.errors)), tally.total, tally.hostedMiners.copy(), tally.ownKeyMiners.copy(),
                    tally.service.getIntervalHistogram(), before.getBlockTimeMs(), tally.blocks.get(), tally.blockGaps.copy(),
                    after.getEpochsRun() - before.getEpochsRun(), after.getHeight() - before.getHeight());
        }
        report.print(terminal);
        List<MinerRow> miners = byMiner(tally.byUid, tally.ownKeys, api, targets);
        LoadtestReport.printByMiner(terminal, miners);
        if (!out.equals("-")) {
            LoadtestReport.write(Path.of(out), report.json(miners));
            terminal.println("report written to " + Path.of(out).toAbsolutePath());
        }
        terminal.flush();
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

}

package io.cortex.deploy.cli;

import io.cortex.deploy.cli.LoadtestReport.MinerRow;
import io.cortex.deploy.cli.LoadtestReport.MinerTally;
import io.cortex.deploy.cli.LoadtestReport.Report;
import io.cortex.deploy.support.CliFailure;
import io.cortex.protocol.api.QueryReply;
import io.cortex.protocol.api.QueryRequest;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.StreamRequest;
import io.cortex.protocol.api.SubnetSummary;
import io.cortex.protocol.api.SubnetsRequest;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.pekko.Done;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortex loadtest}: drives a node's public API with an open workload ({@link OpenLoad}: a constant
 * arrival rate, whatever the replies do) — end users' queries (each to a subnet's top three miners) and
 * validator-style rounds (one query to every miner of a subnet) — printing progress every second, then reports
 * the rate achieved, the latency percentiles (HdrHistogram) from when each query was due, the generator's own
 * schedule lag, and how the ledger kept time meanwhile (block intervals, epochs run), on the terminal and as
 * JSON. With {@code --ramp} it steps the rate up until the response p99 passes a bound or a query is lost,
 * and writes the load curve ({@link LoadCurve}: CSV and an HTML chart) with its knee.
 */
@Command(name = "loadtest", subcommands = LoadtestCommand.Merge.class, description = {"Drive a node's API with an open workload: queries arrive at --rate a second "
        + "whatever became of the ones before (end users' queries to a subnet's top 3 miners, and validator-style rounds "
        + "to every miner); progress every second, then the achieved rate, latency percentiles from when each query was "
        + "due, the generator's schedule lag, and whether the ledger's blocks and epochs kept time meanwhile. The report "
        + "also goes, as JSON, to --out.",
        "--ramp FROM:TO:STEP steps the rate up, --step-duration each, until the response p99 passes --p99-bound (default: "
                + "twice the first step's service p99) or a query is lost, twice at the same rate, and writes the load curve to --curve (CSV per "
                + "step, subnet and miner, and curve.html) with its knee: the highest rate within the bound and losing "
                + "nothing.",
        "Several generators at once (one --out each): cortex loadtest merge REPORT... adds them up."})
public final class LoadtestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Mixin
    AeronPath.Options path;

    @Option(names = "--rate", defaultValue = "100", description = "queries per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--duration", defaultValue = "60s", description = "how long (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--netuid", description = "only this subnet (default: every subnet in turn)")
    Integer netuid;

    @Option(names = "--round-share", defaultValue = "0.1",
            description = "share of the load that is validator-style rounds, to every miner (default ${DEFAULT-VALUE})")
    double roundShare;

    @Option(names = "--max-in-flight", defaultValue = "10000", paramLabel = "N",
            description = "a bound on queries out at once; a query due beyond it is not sent and counts as lost "
                    + "(default ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--ramp", paramLabel = "FROM:TO:STEP",
            description = "step the rate from FROM to TO queries/s by STEP, until the response p99 passes --p99-bound or "
                    + "a query is lost (instead of --rate and --duration)")
    String ramp;

    @Option(names = "--step-duration", defaultValue = "20s", description = "each ramp step (default ${DEFAULT-VALUE})")
    String stepDuration;

    @Option(names = "--warmup", defaultValue = "5s",
            description = "with --ramp, a first step at FROM that is not counted: the client's and the nodes' code warms up "
                    + "(default ${DEFAULT-VALUE}; 0s for none)")
    String warmup;

    @Option(names = "--p99-bound", paramLabel = "MS",
            description = "the ramp's bound on the response p99, ms (default: twice the first step's service p99)")
    Double p99BoundMs;

    @Option(names = "--curve", defaultValue = "loadtest-curve", paramLabel = "DIR",
            description = "where --ramp writes steps.csv, subnets.csv, miners.csv and curve.html (default ${DEFAULT-VALUE})")
    Path curve;

    @Option(names = "--timeout-ms", defaultValue = "2000", description = "per miner (default ${DEFAULT-VALUE})")
    int timeoutMs;

    @Option(names = "--seed", defaultValue = "1", description = "picks the queries")
    long seed;

    @Option(names = "--out", defaultValue = "loadtest-report.json", paramLabel = "FILE",
            description = "the report as JSON (default ${DEFAULT-VALUE}; - for none)")
    String out;

    /** Picks the queries (seeded by --seed when the run starts). */
    private SplittableRandom random;

    /** With --path aeron, the dendrite that sends the queries; null when they go through the API. */
    private AeronPath aeron;

    /** One subnet the load goes to, with the mechanism that writes its queries. */
    record Target(int netuid, int n, SubnetMechanism mechanism) {
    }

    @Override
    public Integer call() throws Exception {
        Ramp steps = ramp == null ? null : Ramp.parse(ramp);
        Duration length = Values.duration(steps == null ? duration : stepDuration);
        validate(length, steps);
        random = new SplittableRandom(seed);
        PrintWriter terminal = spec.commandLine().getOut();
        try (Api api = connection.open()) {
            List<Target> targets = targets(api, terminal);
            java.util.Set<String> ownKeys = ownKeys(api, targets);
            Materializer materializer = Materializer.matFromSystem(api.system());
            AtomicReference<LoadTally> current = new AtomicReference<>(new LoadTally(ownKeys));
            // the ledger's clock, meanwhile: every block's time since the one before, counted in the current step
            UniqueKillSwitch blockWatch = api.ledger().blocks(StreamRequest.getDefaultInstance())
                    .viaMat(KillSwitches.single(), Keep.right()).to(Sink.foreach(b -> current.get().block(b)))
                    .run(materializer);
            try {
                aeron = path.open(api, targets, terminal);
                if (steps == null) {
                    terminal.printf(Locale.ROOT, "loadtest of %s: %d queries/s for %d s to %s (%s), "
                                    + "an open workload (at most %d in flight)%n", api.address(), rate, length.toSeconds(),
                            describe(targets), mix(), maxInFlight);
                    terminal.println("    t    sent answered  failed   rate/s   p50 ms   p99 ms   max ms  blocks");
                    terminal.flush();
                    Report report = step(api, targets, current.get(), rate, length, terminal, true);
                    report(api, terminal, targets, current.get(), report);
                } else {
                    ramp(api, targets, steps, length, current, ownKeys, terminal);
                }
            } finally {
                blockWatch.shutdown();
                if (aeron != null) {
                    aeron.close();
                }
            }
        }
        return 0;
    }

    private void validate(Duration length, Ramp steps) {
        picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
        path.validate(given);
        if (path.aeron() && given.hasMatchedOption("--round-share")) {
            throw new IllegalArgumentException("--round-share goes with --path api: over Aeron every query is a validator's");
        }
        if (steps != null && (given.hasMatchedOption("--rate") || given.hasMatchedOption("--duration"))) {
            throw new IllegalArgumentException("--ramp takes the place of --rate and --duration (its steps last --step-duration)");
        }
        for (String rampOnly : List.of("--step-duration", "--warmup", "--p99-bound", "--curve")) {
            if (steps == null && given.hasMatchedOption(rampOnly)) {
                throw new IllegalArgumentException(rampOnly + " goes with --ramp");
            }
        }
        if (rate < 1 || rate > 100_000) {
            throw new IllegalArgumentException("--rate must be 1 to 100000 queries per second");
        }
        if (length.toMillis() < 1000 || length.toHours() > 24) {
            throw new IllegalArgumentException((steps == null ? "--duration" : "--step-duration") + " must be 1 s to 24 h");
        }
        if (!(roundShare >= 0 && roundShare <= 1)) {
            throw new IllegalArgumentException("--round-share must be in [0, 1]");
        }
        if (maxInFlight < 1 || maxInFlight > 1_000_000) {
            throw new IllegalArgumentException("--max-in-flight must be 1 to 1000000");
        }
        if (p99BoundMs != null && !(p99BoundMs > 0 && p99BoundMs < 3_600_000)) {
            throw new IllegalArgumentException("--p99-bound must be above 0 ms and below an hour");
        }
    }

    /** {@code --ramp FROM:TO:STEP}: the rates a ramp steps through. */
    record Ramp(int from, int to, int step) {
        static Ramp parse(String text) {
            String[] parts = text.split(":");
            try {
                if (parts.length == 3) {
                    Ramp r = new Ramp(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                            Integer.parseInt(parts[2].trim()));
                    if (r.from >= 1 && r.to >= r.from && r.to <= 100_000 && r.step >= 1 && r.step <= 100_000
                            && (r.to - r.from) / r.step < 200) {
                        return r;
                    }
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("--ramp takes FROM:TO:STEP queries/s, 1 <= FROM <= TO <= 100000, STEP >= 1, "
                    + "at most 200 steps (e.g. 50:500:50), not '" + text + "'");
        }
    }

    /**
     * The ramp: a step a rate, each with its own tally, until a step's response p99 passes the bound or it loses
     * a query; then the curve and its knee, on the terminal and in --curve and --out.
     */
    private void ramp(Api api, List<Target> targets, Ramp steps, Duration length, AtomicReference<LoadTally> current,
                      java.util.Set<String> ownKeys, PrintWriter terminal) {
        terminal.printf(Locale.ROOT, "loadtest of %s: a ramp from %d to %d queries/s by %d, %d s a step, to %s (%s), an "
                        + "open workload (at most %d in flight)%n", api.address(), steps.from(), steps.to(), steps.step(),
                length.toSeconds(), describe(targets), mix(), maxInFlight);
        terminal.println("  rate/s  achieved  answered  lost  resp p50  resp p99  serv p50  serv p99  lag p99  (ms)");
        terminal.flush();
        Duration warm = Values.duration(warmup);
        if (warm.toMillis() >= 1000) {
            LoadTally warming = new LoadTally(ownKeys);
            current.set(warming);
            step(api, targets, warming, steps.from(), warm, terminal, false); // counted nowhere
        }
        List<LoadCurve.Step> curveSteps = new ArrayList<>();
        double boundMs = p99BoundMs == null ? Double.NaN : p99BoundMs;
        // a step past the bound runs once more: a passing second run makes the first a transient, not the knee
        boolean again = false;
        for (int r = steps.from(); r <= steps.to(); r = again ? r : r + steps.step()) { // TO, STEP <= 100000: no overflow
            LoadTally tally = new LoadTally(ownKeys);
            current.set(tally);
            Report report = step(api, targets, tally, r, length, terminal, false);
            if (Double.isNaN(boundMs)) {
                boundMs = 2 * Math.max(1, report.service().getValueAtPercentile(99)) / 1000.0;
            }
            LoadCurve.Step s = LoadCurve.step(report, tally.bySubnet, byMiner(tally.byUid, ownKeys, api, targets), boundMs);
            curveSteps.add(s);
            terminal.printf(Locale.ROOT, "%8d %9.1f %9d %5d %9.2f %9.2f %9.2f %9.2f %8.2f  %s%n", r, report.achievedRate(),
                    report.ok(), s.lost(), s.responseP50Ms(), s.responseP99Ms(), s.serviceP50Ms(), s.serviceP99Ms(),
                    s.lagP99Ms(), s.withinBound() ? "within" : again ? "past the bound again" : "past the bound; once more");
            terminal.flush();
            if (!s.withinBound() && again) {
                break;
            }
            again = !s.withinBound();
        }
        LoadCurve result = new LoadCurve(api.address(), boundMs, curveSteps);
        terminal.println(result.kneeLine());
        result.write(curve);
        terminal.println("load curve written to " + curve.toAbsolutePath() + " (steps.csv, subnets.csv, miners.csv, curve.html)");
        if (!out.equals("-")) {
            LoadtestReport.write(Path.of(out), result.json());
            terminal.println("report written to " + Path.of(out).toAbsolutePath());
        }
        terminal.flush();
    }

    /** One rate for one length through the open workload, counted in {@code tally}; progress every second if asked. */
    private Report step(Api api, List<Target> targets, LoadTally tally, int stepRate, Duration length, PrintWriter terminal,
                        boolean progressLines) {
        long watchFrom = System.nanoTime();
        StatusReply before = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
        ScheduledExecutorService progress = progressLines ? progress(terminal, tally, System.nanoTime()) : null;
        OpenLoad.Run run;
        try {
            // the drain outlasts a query's own deadline (below), so no query is still out when the step is counted
            run = OpenLoad.run(stepRate, length, maxInFlight, Duration.ofMillis(timeoutMs + 12_000L),
                    (i, due, sent) -> query(api, targets, tally, due, sent));
        } finally {
            if (progress != null) {
                progress.shutdown(); // the periodic line stops; one being printed finishes
                awaitQuietly(progress);
            }
        }
        tally.interval();
        StatusReply after = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
        double watched = (System.nanoTime() - watchFrom) / 1e9;
        synchronized (tally.blockGaps) {
            return new Report(api.address(), stepRate, length.toSeconds(), run, tally.ok.get(), tally.unanswered.get(),
                    tally.rounds.get(), tally.minerAnswers.get(), tally.minerOk.get(), new TreeMap<>(counts(tally.errors)),
                    tally.total, copy(tally.hostedMiners), copy(tally.ownKeyMiners), tally.service.getIntervalHistogram(),
                    before.getBlockTimeMs(), tally.blocks.get(), tally.blockGaps.copy(),
                    after.getEpochsRun() - before.getEpochsRun(), after.getHeight() - before.getHeight(), watched);
        }
    }

    /** A histogram that reply threads record into, copied under the lock they take. */
    private static Histogram copy(Histogram h) {
        synchronized (h) {
            return h.copy();
        }
    }

    private static void awaitQuietly(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A line a second: sent, answered, failed, the rate and the second's latencies, blocks seen. */
    private ScheduledExecutorService progress(PrintWriter terminal, LoadTally tally, long start) {
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

    /**
     * A query due at {@code due} and sent at {@code sentAt}: a target and its text picked by the seed. Its latency
     * counts from when it was due, so a generator or node that falls behind shows in it.
     */
    private CompletionStage<Done> query(Api api, List<Target> targets, LoadTally tally, long due, long sentAt) {
        Target t;
        boolean round;
        String text;
        synchronized (this) {
            t = targets.get(random.nextInt(targets.size()));
            round = aeron == null && random.nextDouble() < roundShare;
            text = t.mechanism().sampleQuery(random);
        }
        tally.sent.incrementAndGet();
        tally.subnet(t.netuid()).sent.increment();
        if (round) {
            tally.rounds.incrementAndGet();
        }
        CompletableFuture<QueryReply> asked = aeron != null ? aeron.query(t, text, Duration.ofMillis(timeoutMs))
                : api.network().query(QueryRequest.newBuilder().setNetuid(t.netuid()).setText(text)
                        .setTop(round ? Math.max(1, t.n()) : 3).setTimeoutMs(timeoutMs).build()).toCompletableFuture();
        return asked.orTimeout(timeoutMs + 10_000L, TimeUnit.MILLISECONDS) // a node that hangs
                .handle((QueryReply reply, Throwable failure) -> {
                    if (failure == null) {
                        tally.replied(t, reply, due, sentAt);
                    } else {
                        tally.failed(t, failure);
                    }
                    return Done.getInstance();
                });
    }

    /** The report of one rate: on the terminal, each miner's line, and the JSON file. */
    private void report(Api api, PrintWriter terminal, List<Target> targets, LoadTally tally, Report report) {
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
        Map<Integer, io.cortex.protocol.api.Neuron> neurons = neurons(api, targets);
        List<MinerRow> rows = new ArrayList<>();
        new TreeMap<>(byUid).forEach((key, m) -> {
            synchronized (m) {
                String hotkey = neurons.containsKey(key) ? neurons.get(key).getHotkey() : "";
                rows.add(new MinerRow(LoadTally.netuidOf(key), LoadTally.uidOf(key), hotkey, ownKeys.contains(hotkey), m.asked,
                        m.answered.getTotalCount(), m.timeouts, m.errors, m.answered.getValueAtPercentile(50),
                        m.answered.getValueAtPercentile(99)));
            }
        });
        return rows;
    }


    /** The hotkeys of the targets' neurons that run with their own keys (not hosted by the nodes). */
    private static java.util.Set<String> ownKeys(Api api, List<Target> targets) {
        java.util.Set<String> own = new java.util.HashSet<>();
        neurons(api, targets).values().stream().filter(n -> !n.getHosted()).forEach(n -> own.add(n.getHotkey()));
        return own;
    }

    /** The targets' neurons as the ledger has them now, by {@link LoadTally#minerKey} (the key miners are tallied by). */
    private static Map<Integer, io.cortex.protocol.api.Neuron> neurons(Api api, List<Target> targets) {
        Map<Integer, io.cortex.protocol.api.Neuron> neurons = new TreeMap<>();
        for (Target t : targets) {
            api.metagraph(t.netuid()).getNeuronsList().forEach(n -> neurons.put(LoadTally.minerKey(t.netuid(), n.getUid()), n));
        }
        return neurons;
    }

    /** What the queries are: end users' with a share of validator-style rounds, or a validator's over Aeron. */
    private String mix() {
        return aeron == null ? String.format(Locale.ROOT, "%.0f %% validator rounds", roundShare * 100)
                : "a validator's queries to one miner each, over Aeron";
    }

    private static String describe(List<Target> targets) {
        List<String> s = new ArrayList<>();
        targets.forEach(t -> s.add(t.netuid() + " (" + t.mechanism().name() + ")"));
        return (targets.size() == 1 ? "subnet " : "subnets ") + String.join(", ", s);
    }

    private static long errorCount(Map<String, AtomicLong> errors) {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private static Map<String, Long> counts(Map<String, AtomicLong> errors) {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Command(name = "merge", description = "One report from several load generators run at once (cortex loadtest --out "
            + "FILE in each process): the counts added, the latency percentiles of all their queries together.")
    static final class Merge implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(paramLabel = "REPORT", arity = "1..*", description = "the generators' JSON reports")
        List<Path> files;

        @Override
        public Integer call() {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<com.fasterxml.jackson.databind.JsonNode> reports = new ArrayList<>();
            for (Path f : files) {
                try {
                    reports.add(json.readTree(f.toFile()));
                } catch (java.io.IOException e) {
                    throw new CliFailure("cannot read " + f + ": " + e.getMessage());
                }
            }
            LoadMerge.Merged m = LoadMerge.merge(reports);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%d generators: %d queries/s asked, %d sent in %.1f s (%.1f per second), %d answered, "
                    + "%d lost (%d due but not sent)%n", m.reports(), m.rateAsked(), m.sent(), m.elapsedSeconds(),
                    m.achievedRate(), m.answered(), m.lost(), m.notSent());
            out.printf(Locale.ROOT, "latency ms (from when each was due): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                    ms(m.latency(), 50), ms(m.latency(), 90), ms(m.latency(), 99), ms(m.latency(), 99.9),
                    m.latency().getMaxValue() / 1000.0);
            out.printf(Locale.ROOT, "service ms (from when each was sent): p50 %.2f  p99 %.2f  max %.2f%n", ms(m.service(), 50),
                    ms(m.service(), 99), m.service().getMaxValue() / 1000.0);
            out.printf(Locale.ROOT, "schedule lag ms, every generator: p99 %.2f  max %.2f%n", ms(m.lag(), 99),
                    m.lag().getMaxValue() / 1000.0);
            out.flush();
            return 0;
        }

        private static double ms(Histogram h, double percentile) {
            return h.getValueAtPercentile(percentile) / 1000.0;
        }
    }
}

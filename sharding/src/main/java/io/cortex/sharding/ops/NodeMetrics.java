package io.cortex.sharding.ops;

import io.cortex.ledger.actor.LedgerViews;
import io.cortex.protocol.aeron.Dendrite;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.aeron.Status;
import io.cortex.sharding.neurons.NeuronEntities;
import io.cortex.core.identity.Address;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A node's metrics, in Micrometer's Prometheus registry, served at {@code /metrics} by {@link OpsServer}:
 * <ul>
 *   <li>the chain, from every block the ledger publishes: {@code cortex_block_height}, the time between
 *   blocks {@code cortex_block_interval_seconds}, applying a block {@code cortex_block_apply_seconds} (tag
 *   {@code epochs}: whether it ran any, i.e. the epochs' duration), the journal's write
 *   {@code cortex_journal_write_seconds}, {@code cortex_epochs_total}, {@code cortex_transactions_total};</li>
 *   <li>per subnet, every query this node's dendrite sends (validators' rounds and end users' queries):
 *   {@code cortex_queries_total} by {@code netuid} and {@code status} (408 a timeout), and the answered ones'
 *   round trip {@code cortex_query_seconds} (a histogram);</li>
 *   <li>the Aeron transport's counters, refusals included: {@code cortex_axon_events_total} and
 *   {@code cortex_dendrite_events_total} by {@code event}; and its sessions open now,
 *   {@code cortex_aeron_sessions} by {@code side} (axon, dendrite);</li>
 *   <li>the neuron entities this node hosts, {@code cortex_sharded_entities} by {@code type}; and the JVM's
 *   memory, collections, threads, classes, processor and uptime.</li>
 * </ul>
 */
public final class NodeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong height = new AtomicLong();
    private final AtomicLong lastBlockMillis = new AtomicLong();
    private final Timer blockInterval;
    private final Timer applyWithEpochs;
    private final Timer applyWithout;
    private final Timer journalWrite;
    private final Timer epochDuration;
    private final Counter epochs;
    private final Counter transactions;
    private final Map<Long, Counter> queries = new ConcurrentHashMap<>();
    private final Map<Integer, Timer> roundTrips = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> entities = new ConcurrentHashMap<>();
    private final java.util.List<QueryTransport> observed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<Integer, FunctionCounter> refusedSubnets = new ConcurrentHashMap<>();
    /** What the function counters read, held here for as long as the registry. */
    private final java.util.List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MinerStats miners = new MinerStats();

    public NodeMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // what a container's memory limit counts, which the JVM's own gauges leave out (Aeron's mapped buffers,
        // thread stacks, code): Micrometer has no such binder, Linux keeps it in /proc/self/status
        Gauge.builder("process.resident.memory", () -> procStatusBytes("VmRSS:")).baseUnit("bytes")
                .description("the process's resident set (VmRSS)").register(registry);
        Gauge.builder("process.resident.memory.peak", () -> procStatusBytes("VmHWM:")).baseUnit("bytes")
                .description("the process's peak resident set (VmHWM)").register(registry);
        Gauge.builder("cortex_block_height", height, AtomicLong::get).description("the ledger's height").register(registry);
        blockInterval = histogram("cortex_block_interval", "time between blocks", Duration.ofMillis(10), Duration.ofSeconds(60)).register(registry);
        applyWithEpochs = histogram("cortex_block_apply", "applying a block to the state", Duration.ofMillis(1), Duration.ofSeconds(30))
                .tag("epochs", "yes").register(registry);
        applyWithout = histogram("cortex_block_apply", "applying a block to the state", Duration.ofMillis(1), Duration.ofSeconds(30))
                .tag("epochs", "no").register(registry);
        journalWrite = histogram("cortex_journal_write", "writing a block to the journal", Duration.ofMillis(1), Duration.ofSeconds(30))
                .register(registry);
        epochDuration = histogram("cortex_epoch_duration", "running one subnet's epoch: Yuma, payout and the epoch's "
                + "records, on the ledger's node", Duration.ofMillis(1), Duration.ofSeconds(30)).register(registry);
        epochs = Counter.builder("cortex_epochs").description("epochs run").register(registry);
        transactions = Counter.builder("cortex_transactions").description("transactions in blocks").register(registry);
    }

    /** A line of {@code /proc/self/status} in kB ("VmRSS:   123456 kB"), in bytes; NaN where there is none. */
    static double procStatusBytes(String field) {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/status"))) {
            return lines.filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> Double.parseDouble(line.substring(field.length()).replace("kB", "").trim()) * 1024)
                    .orElse(Double.NaN);
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static Timer.Builder histogram(String name, String description, Duration min, Duration max) {
        return Timer.builder(name).description(description).publishPercentileHistogram().minimumExpectedValue(min)
                .maximumExpectedValue(max);
    }

    /** Stops listening to the collector and closes the registry (the node is stopping). */
    public void close() {
        gc.close();
        registry.close();
    }

    /** The metrics in Prometheus's text format. */
    public String scrape() {
        refusalsBySubnet();
        return registry.scrape();
    }

    /** A counter of the axon's refusals for each subnet it has refused frames of, made when it first refuses one. */
    private void refusalsBySubnet() {
        for (QueryTransport transport : observed) {
            for (Integer netuid : transport.axon().counters().refusedBySubnet().keySet()) {
                refusedSubnets.computeIfAbsent(netuid, n -> FunctionCounter.builder("cortex_axon_refused", observed,
                                all -> all.stream().mapToLong(t -> t.axon().counters().refused(n)).sum())
                        .description("HELLOs and REQUESTs the axon refused with a status, by the subnet they named "
                                + "(-1: beyond the first 1024 subnets)")
                        .tag("netuid", Integer.toString(n)).register(registry));
            }
        }
    }

    /** A block the ledger published. */
    void block(LedgerViews.BlockEvent b) {
        height.set(b.height());
        long previous = lastBlockMillis.getAndSet(b.timestampMillis());
        if (previous > 0 && b.timestampMillis() >= previous) {
            blockInterval.record(b.timestampMillis() - previous, TimeUnit.MILLISECONDS);
        }
        (b.epochs() > 0 ? applyWithEpochs : applyWithout).record(b.applyMicros(), TimeUnit.MICROSECONDS);
        journalWrite.record(b.journalWriteMicros(), TimeUnit.MICROSECONDS);
        for (long micros : b.epochMicros()) {
            epochDuration.record(micros, TimeUnit.MICROSECONDS);
        }
        epochs.increment(b.epochs());
        transactions.increment(b.transactions());
    }

    /** The statuses counted apart; a miner's reply may carry any 16-bit value, and the rest count as "other". */
    private static final java.util.Set<Integer> STATUSES = java.util.Set.of(Status.OK, Status.BAD_REQUEST,
            Status.UNAUTHORIZED, Status.BLACKLISTED, Status.NO_SUCH_MINER, Status.TIMEOUT, Status.TOO_LARGE,
            Status.RATE_LIMITED, Status.MINER_ERROR, Status.OVERLOADED);

    /** What this node's dendrite saw of each miner (the dashboard's view of them). */
    public MinerStats miners() {
        return miners;
    }

    /** A query this node's dendrite sent to {@code miner} ended. */
    void query(int netuid, Address miner, int status, long roundTripNanos) {
        miners.ended(netuid, miner, status, roundTripNanos);
        int known = STATUSES.contains(status) ? status : 0;
        queries.computeIfAbsent(((long) netuid << 32) | known, key -> Counter.builder("cortex_queries")
                .description("queries to miners, by subnet and status (200 answered, 408 timed out)")
                .tag("netuid", Integer.toString(netuid)).tag("status", known == 0 ? "other" : Integer.toString(known))
                .register(registry))
                .increment();
        if (status == Status.OK) {
            roundTrips.computeIfAbsent(netuid, n -> histogram("cortex_query", "an answered query's round trip",
                    Duration.ofMillis(1), Duration.ofSeconds(30)).tag("netuid", Integer.toString(n)).register(registry))
                    .record(roundTripNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Starts measuring a node: what {@link #observe} measures, and the ledger's blocks (subscribed at
     * {@code blocks}, the node's own topic actor for them) and the neuron entities the node hosts (every 10 s).
     */
    public static NodeMetrics start(ActorSystem<?> system, QueryTransport transport,
                                    ActorRef<Topic.Command<LedgerViews.BlockEvent>> blocks) {
        NodeMetrics metrics = new NodeMetrics().observe(transport);
        var subscriber = system.systemActorOf(Behaviors.<LedgerViews.BlockEvent>receiveMessage(b -> {
            metrics.block(b);
            return Behaviors.same();
        }), "metrics-blocks", org.apache.pekko.actor.typed.Props.empty());
        blocks.tell(Topic.subscribe(subscriber));
        for (String type : NeuronEntities.TYPES) {
            AtomicLong count = metrics.entities.computeIfAbsent(type, t -> new AtomicLong());
            Gauge.builder("cortex_sharded_entities", count, AtomicLong::get).description("neuron entities on this node")
                    .tag("type", type).register(metrics.registry);
        }
        system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(1), Duration.ofSeconds(10),
                () -> metrics.countEntities(system), system.executionContext());
        return metrics;
    }

    /**
     * Measures a transport (a node's, or an outside miner's or validator's): the queries its dendrite sends,
     * and its axon's and dendrite's counters, read at each scrape.
     */
    public NodeMetrics observe(QueryTransport transport) {
        transport.dendrite().observe(this::query);
        events(this, "cortex_axon_events", "what the axon counted, refusals by reason", () -> transport.axon().counters().snapshot());
        events(this, "cortex_dendrite_events", "what the dendrite counted", () -> transport.dendrite().counters().snapshot());
        held.add(transport);
        observed.add(transport);
        Gauge.builder("cortex_aeron_sessions", transport, t -> t.axon().openSessions()).tag("side", "axon")
                .description("Aeron sessions open now: callers' at the axon, this node's to miners at the dendrite")
                .register(registry);
        Gauge.builder("cortex_aeron_sessions", transport, t -> t.dendrite().openSessions()).tag("side", "dendrite")
                .description("Aeron sessions open now: callers' at the axon, this node's to miners at the dendrite")
                .register(registry);
        return this;
    }

    private static void events(NodeMetrics metrics, String name, String description, Supplier<Map<String, Long>> counters) {
        // Micrometer holds a meter's object weakly, and nothing else holds this supplier: a collected one reads NaN
        metrics.held.add(counters);
        for (String event : counters.get().keySet()) {
            FunctionCounter.builder(name, counters, c -> c.get().getOrDefault(event, 0L)).description(description)
                    .tag("event", event).register(metrics.registry);
        }
    }

    private void countEntities(ActorSystem<?> system) {
        for (EntityTypeKey<?> type : NeuronEntities.TYPE_KEYS) {
            AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(system).shardState(),
                            replyTo -> new GetShardRegionState(type, replyTo), Duration.ofSeconds(5), system.scheduler())
                    .thenAccept(state -> entities.get(type.name()).set(state.getShards().stream()
                            .mapToLong(s -> s.getEntityIds().size()).sum()));
        }
    }
}

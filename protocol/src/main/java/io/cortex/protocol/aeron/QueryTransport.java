package io.cortex.protocol.aeron;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query transport of one node (ARCHITECTURE.md section 5): an embedded Aeron media driver in shared
 * threading mode, one Aeron client, the node's {@link Axon} (inbound) and {@link Dendrite} (outbound), and
 * one thread that polls both. One UDP port serves the node (requests and replies on different streams);
 * callers on the same node use IPC.
 *
 * <p>{@link #close()} stops the poller, closes the client and the driver, and deletes the Aeron directory.
 */
public final class QueryTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryTransport.class);

    /** Streams: requests and replies, over UDP and over IPC. */
    public static final int AXON_STREAM = 1001;
    public static final int AXON_IPC_STREAM = 1002;
    public static final int DENDRITE_STREAM = 1003;
    public static final int DENDRITE_IPC_STREAM = 1004;
    public static final String IPC = "aeron:ipc";

    private final Context context;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Axon axon;
    private final Dendrite dendrite;
    private final AgentRunner poller;
    private final String endpoint;
    private final String bindEndpoint;
    private final Path directory;
    private final AtomicLong setupsRefused = new AtomicLong();
    private final RefusalLog refusals;

    private QueryTransport(Context context) {
        Context.checkImageLiveness(context.imageLivenessMillis); // the property is read unchecked
        this.context = context;
        this.refusals = new RefusalLog(context.name, context.refusalLogIntervalMillis);
        this.directory = context.aeronDirectory != null ? context.aeronDirectory
                : defaultDirectory(context.name);
        MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(directory.toString())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idle(context.driverIdle))
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .publicationTermBufferLength(context.termLength)
                .ipcTermBufferLength(context.termLength)
                .imageLivenessTimeoutNs(TimeUnit.MILLISECONDS.toNanos(context.imageLivenessMillis))
                .receiveChannelEndpointSupplier((channel, dispatcher, status, ctx) ->
                        new BoundedReceiveChannelEndpoint(channel, dispatcher, status, ctx,
                                Math.max(context.maxImageTermLength, context.termLength), context.maxImageMtu,
                                setupsRefused, refusals));
        MediaDriver launched = null;
        Aeron client = null;
        try {
            launched = MediaDriver.launch(driverContext);
            client = Aeron.connect(new Aeron.Context().aeronDirectoryName(directory.toString()));
            int port = context.port != 0 ? context.port : freeUdpPort(context.host);
            String bound = context.host + ":" + port;
            String advertised = advertised(context, port);
            Subscription requests = client.addSubscription(udp(bound), AXON_STREAM);
            Subscription ipcRequests = client.addSubscription(IPC, AXON_IPC_STREAM);
            this.bindEndpoint = bound;
            this.endpoint = advertised;
            this.axon = new Axon(client, context, List.of(requests, ipcRequests), setupsRefused, refusals);
            this.dendrite = new Dendrite(client, context, bound, advertised);
        } catch (RuntimeException e) {
            CloseHelper.quietCloseAll(client, launched);
            throw e;
        }
        this.driver = launched;
        this.aeron = client;
        this.poller = new AgentRunner(idle(context.clientIdle),
                error -> LOG.error("the query poller failed; it keeps polling", error), null, new Poller());
        AgentRunner.startOnThread(poller, r -> {
            Thread t = new Thread(r, "cortex-query-" + context.name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a node's transport. */
    public static QueryTransport start(Context context) {
        return new QueryTransport(context);
    }

    /** The UDP endpoint ({@code host:port}) other nodes reach this node's axon at: the advertised one. */
    public String endpoint() {
        return endpoint;
    }

    /** The UDP endpoint the axon and the dendrite's replies are bound to; differs from {@link #endpoint()} behind NAT or a wildcard bind. */
    public String bindEndpoint() {
        return bindEndpoint;
    }

    /** The channel a miner serves: what goes into the ledger with {@code serve_axon}. */
    public String axonChannel() {
        return "aeron:udp?endpoint=" + endpoint;
    }

    public Axon axon() {
        return axon;
    }

    public Dendrite dendrite() {
        return dendrite;
    }

    public Context context() {
        return context;
    }

    public Path aeronDirectory() {
        return directory;
    }

    @Override
    public void close() {
        CloseHelper.quietCloseAll(poller, aeron, driver);
        dendrite.failPending();
    }

    private final class Poller implements Agent {
        @Override
        public int doWork() {
            return axon.poll() + dendrite.poll();
        }

        @Override
        public String roleName() {
            return "cortex-query-poller";
        }
    }

    /**
     * The endpoint peers are told to reach: {@link Context#advertise(String)} with the bound port when it names
     * none, or the bound endpoint itself. A wildcard bind must be advertised as a real address.
     */
    static String advertised(Context context, int boundPort) {
        String given = context.advertise == null || context.advertise.isBlank() ? context.host : context.advertise.trim();
        String host = given;
        int port = boundPort;
        int colon = given.lastIndexOf(':');
        if (colon > 0 && given.indexOf(':') == colon) { // host:port (a bare IPv6 address has several colons)
            host = given.substring(0, colon);
            try {
                port = Integer.parseInt(given.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("advertised address '" + given + "' is not HOST or HOST:PORT");
            }
        }
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            throw new IllegalArgumentException("the query transport binds " + context.host
                    + ", which peers cannot reach: give the address they can (cortex.query.advertise, --axon-advertise)");
        }
        return host + ":" + port;
    }

    static String udp(String endpoint) {
        return "aeron:udp?endpoint=" + endpoint;
    }

    /** A UDP port free right now on the host: both streams of the node subscribe on the same endpoint. */
    private static int freeUdpPort(String host) {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new java.net.InetSocketAddress(host, 0))) {
            return probe.getLocalPort();
        } catch (java.net.SocketException e) {
            throw new IllegalStateException("no free UDP port on " + host, e);
        }
    }

    private static Path defaultDirectory(String name) {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("cortex-aeron-" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** An idle strategy by name: {@code backoff} (default), {@code sleep}, {@code yield}, {@code spin}. */
    public static IdleStrategy idle(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "backoff" -> new CortexBackoffIdleStrategy();
            case "sleep" -> new SleepingMillisIdleStrategy(1);
            case "yield" -> new YieldingIdleStrategy();
            case "spin" -> new BusySpinIdleStrategy();
            default -> throw new IllegalArgumentException("unknown idle strategy '" + name
                    + "' (backoff, sleep, yield, spin)");
        };
    }

    /**
     * The options of a node's transport; each has a default and a system property that overrides it.
     */
    public static final class Context {
        /** A name for threads and the Aeron directory. Property {@code cortex.query.name}; default "node". */
        String name = System.getProperty("cortex.query.name", "node");
        /** Aeron directory; default a fresh one under /dev/shm (or the temp dir). Property {@code cortex.aeron.dir}. */
        Path aeronDirectory = System.getProperty("cortex.aeron.dir") == null ? null : Path.of(System.getProperty("cortex.aeron.dir"));
        /** Host the node's UDP endpoint binds. Property {@code cortex.query.host}; default 127.0.0.1. */
        String host = System.getProperty("cortex.query.host", "127.0.0.1");
        /**
         * What peers are told to reach ({@code HOST} or {@code HOST:PORT}): the endpoint that goes into the ledger
         * with {@code serve_axon} and into HELLOs as the reply channel. Property {@code cortex.query.advertise};
         * default the bound host and port. Needed when the host is a wildcard such as 0.0.0.0.
         */
        String advertise = System.getProperty("cortex.query.advertise");
        /** UDP port; 0 picks a free one. Property {@code cortex.query.port}; default 0. */
        int port = Integer.getInteger("cortex.query.port", 0);
        /** The driver's idle strategy (shared threading). Property {@code cortex.aeron.driver-idle}; default backoff. */
        String driverIdle = System.getProperty("cortex.aeron.driver-idle", "backoff");
        /** The poller's idle strategy. Property {@code cortex.aeron.client-idle}; default backoff. */
        String clientIdle = System.getProperty("cortex.aeron.client-idle", "backoff");
        /** Term buffer length of publications; a message is at most 1/8 of it. Default 1 MiB. */
        int termLength = Integer.getInteger("cortex.aeron.term-length", 1 << 20);
        /**
         * How long a peer's publication may go unheard (Aeron heartbeats every 100 ms) before its image is
         * taken for gone; a dendrite then opens new sessions to a restarted or stopped miner node. Property
         * {@code cortex.aeron.image-liveness-ms}, node setting {@code cortex.node.aeron.image-liveness}; default
         * 3 s (Aeron's own default is 10 s), at least 500 ms.
         */
        long imageLivenessMillis = Long.getLong("cortex.aeron.image-liveness-ms", 3_000);
        /** Largest request body an axon accepts; larger ones get 413. Default 64 KiB. */
        int maxBodyBytes = Integer.getInteger("cortex.query.max-body", 64 * 1024);
        /** How far a frame's timestamp may be from the axon's clock. Default 30 s. */
        long freshnessMillis = Long.getLong("cortex.query.freshness-ms", 30_000);
        /** Queries a miner may have in flight before the axon answers 503. Default 64. */
        int maxInFlight = Integer.getInteger("cortex.query.max-in-flight", 64);
        /**
         * Largest term length a peer's Aeron SETUP may announce; larger ones are dropped before the driver maps
         * three terms of log buffer for them. Property {@code cortex.aeron.max-image-term-length}; default 1 MiB
         * (the term length Cortex nodes publish with), and never below this node's own term length.
         */
        int maxImageTermLength = Integer.getInteger("cortex.aeron.max-image-term-length", 1 << 20);
        /** Largest MTU a peer's SETUP may announce. Property {@code cortex.aeron.max-image-mtu}; default 8 KiB. */
        int maxImageMtu = Integer.getInteger("cortex.aeron.max-image-mtu", 8 * 1024);
        /**
         * Sessions the axon keeps in all; past it the least recently used goes. Property
         * {@code cortex.query.max-sessions}; default 100,000.
         */
        int maxSessions = Integer.getInteger("cortex.query.max-sessions", 100_000);
        /** At most one log line per kind of refusal this often. Property {@code cortex.query.refusal-log-ms}; default 10 s. */
        long refusalLogIntervalMillis = Long.getLong("cortex.query.refusal-log-ms", 10_000);

        public Context name(String v) {
            name = v;
            return this;
        }

        public Context aeronDirectory(Path v) {
            aeronDirectory = v;
            return this;
        }

        public Context host(String v) {
            host = v;
            return this;
        }

        public Context advertise(String v) {
            advertise = v;
            return this;
        }

        public Context port(int v) {
            port = v;
            return this;
        }

        public Context driverIdle(String v) {
            idle(v);
            driverIdle = v;
            return this;
        }

        public Context clientIdle(String v) {
            idle(v);
            clientIdle = v;
            return this;
        }

        public Context imageLivenessMillis(long v) {
            imageLivenessMillis = checkImageLiveness(v);
            return this;
        }

        static long checkImageLiveness(long millis) {
            if (millis < 500) {
                throw new IllegalArgumentException("image liveness must be at least 500 ms (Aeron heartbeats every 100 ms)");
            }
            return millis;
        }

        public Context maxBodyBytes(int v) {
            maxBodyBytes = v;
            return this;
        }

        public Context freshnessMillis(long v) {
            freshnessMillis = v;
            return this;
        }

        public Context maxInFlight(int v) {
            maxInFlight = v;
            return this;
        }

        public Context maxImageTermLength(int v) {
            maxImageTermLength = v;
            return this;
        }

        public Context maxSessions(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("max sessions must be at least 1");
            }
            maxSessions = v;
            return this;
        }

        public Context termLength(int v) {
            termLength = v;
            return this;
        }

        public int maxBodyBytes() {
            return maxBodyBytes;
        }

        public long freshnessMillis() {
            return freshnessMillis;
        }

        public String driverIdle() {
            return driverIdle;
        }

        public String clientIdle() {
            return clientIdle;
        }
    }

}

package io.cortex.deploy.cli;

import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import io.cortex.deploy.support.CliFailure;
import io.cortex.deploy.testnet.Testnet;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.aeron.Dendrite;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.aeron.Status;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.MinerAnswer;
import io.cortex.protocol.api.Neuron;
import io.cortex.protocol.api.QueryReply;
import io.cortex.sdk.Wallets;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Option;

/**
 * The validator-to-miner path, driven by the load tester itself: a dendrite of its own sends each query straight
 * to one miner's axon over Aeron, as a validator does in a round, signed by a hotkey that holds a validator
 * permit on the subnet (miners answer no one else). A miner answers only at an axon announced on the subnet, so
 * the load tester announces its own endpoint as the hotkey's axon first ({@code serve_axon}), as a validator
 * does, and waits until each subnet's miners answer it. The miners of a subnet take the queries in turn. A
 * reply is the miner's one answer, so the load test's tallies, per miner and per subnet, count it as they
 * count the API's replies.
 */
final class AeronPath implements AutoCloseable {

    /** The options that choose the path (a mixin of {@code loadtest}). */
    static final class Options {
        @Option(names = "--path", defaultValue = "api", paramLabel = "api|aeron",
                description = "api: end users' queries through the node's gRPC API (default); aeron: a validator's queries "
                        + "straight to the miners' axons over Aeron, the path subnet competition runs on, signed by "
                        + "--validator-wallet's hotkey")
        String path;

        @Option(names = "--validator-wallet", paramLabel = "WALLET",
                description = "with --path aeron: the wallet whose hotkey asks; it must hold a validator permit on every "
                        + "subnet loaded")
        String wallet;

        @Option(names = "--validator-hotkey", defaultValue = Wallets.DEFAULT_HOTKEY, paramLabel = "NAME",
                description = "with --path aeron: which of the wallet's hotkeys (default ${DEFAULT-VALUE}); the load "
                        + "tester announces its endpoint as this hotkey's axon, so give one no running validator uses")
        String hotkey;

        @Option(names = "--axon-bind", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
                description = "with --path aeron: where the load tester's dendrite takes its answers, announced as the "
                        + "hotkey's axon; the miners must reach it (default ${DEFAULT-VALUE}: loopback, any free port)")
        String axonBind;

        boolean aeron() {
            return path.equals("aeron");
        }

        void validate(picocli.CommandLine.ParseResult given) {
            if (!path.equals("api") && !path.equals("aeron")) {
                throw new IllegalArgumentException("--path is api or aeron, not '" + path + "'");
            }
            if (!axonBind.matches("[\\w.\\-]+:\\d{1,5}")
                    || Integer.parseInt(axonBind.substring(axonBind.lastIndexOf(':') + 1)) > 65_535) {
                throw new IllegalArgumentException("--axon-bind wants HOST:PORT, got '" + axonBind + "'");
            }
            for (String aeronOnly : List.of("--validator-hotkey", "--axon-bind")) {
                if (!aeron() && given.hasMatchedOption(aeronOnly)) {
                    throw new IllegalArgumentException(aeronOnly + " goes with --path aeron");
                }
            }
            if (aeron() != (wallet != null)) {
                throw new IllegalArgumentException(aeron() ? "--path aeron needs --validator-wallet WALLET: a hotkey with a "
                        + "validator permit, since miners answer only validators" : "--validator-wallet goes with --path aeron");
            }
        }

        /** The path's own dendrite, ready to load the targets; null for the API path. */
        AeronPath open(Api api, List<LoadtestCommand.Target> targets, PrintWriter terminal) {
            if (!aeron()) {
                return null;
            }
            int colon = axonBind.lastIndexOf(':');
            return AeronPath.open(api, targets, Wallets.standard().hotkey(wallet, hotkey), axonBind.substring(0, colon),
                    Integer.parseInt(axonBind.substring(colon + 1)), terminal);
        }
    }

    /** A miner the path queries: its uid, hotkey, axon and incentive when the load test began. */
    private record Miner(int uid, Address hotkey, String axon, int incentive) {
    }

    private final QueryTransport transport;
    private final Keypair caller;
    /** The miners of each target that answered the load tester's probe. */
    private final Map<Integer, List<Miner>> miners;
    private final AtomicLong turn = new AtomicLong();

    private AeronPath(QueryTransport transport, Keypair caller, Map<Integer, List<Miner>> miners) {
        this.transport = transport;
        this.caller = caller;
        this.miners = miners;
    }

    /**
     * The miners of each target that serve an axon, as the node's metagraph has them now, and a transport of the
     * load tester's own, announced as the caller's axon on each target; refused when the caller holds no
     * validator permit on a target.
     */
    static AeronPath open(Api api, List<LoadtestCommand.Target> targets, Keypair caller, String host, int port,
                          PrintWriter terminal) {
        Map<Integer, List<Miner>> miners = new HashMap<>();
        Map<Integer, String> announced = new HashMap<>();
        String me = caller.address().toString();
        for (LoadtestCommand.Target t : targets) {
            Metagraph m = api.metagraph(t.netuid());
            Neuron self = m.getNeuronsList().stream().filter(n -> n.getHotkey().equals(me)).findFirst().orElse(null);
            if (self == null || !self.getValidatorPermit()) {
                throw new CliFailure("the hotkey " + me + " holds no validator permit on subnet " + t.netuid()
                        + ", and miners answer only validators: register it there, stake on it and wait an epoch "
                        + "(or load one subnet, --netuid N)");
            }
            announced.put(t.netuid(), self.getAxon());
            List<Miner> serving = new ArrayList<>();
            for (Neuron n : m.getNeuronsList()) {
                // the miners: serving an axon, and no validator whose weights count (validators answer no queries)
                if (!n.getAxon().isEmpty() && !n.getHotkey().equals(me) && n.getValidatorTrust() == 0) {
                    serving.add(new Miner(n.getUid(), Address.parse(n.getHotkey()), n.getAxon(), n.getIncentive()));
                }
            }
            if (serving.isEmpty()) {
                throw new CliFailure("subnet " + t.netuid() + " has no miner serving an axon to query");
            }
            miners.put(t.netuid(), serving);
        }
        // the subnet's validators now query the hotkey at the load tester's endpoint, where no miner answers: those
        // refusals are the network's business, not the load test's
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.cortex.protocol.aeron.refusals"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        QueryTransport transport = QueryTransport.start(new QueryTransport.Context()
                .name("loadtest-" + ProcessHandle.current().pid()).host(host).port(port));
        try {
            announce(api, transport, caller, targets, announced, terminal);
            return new AeronPath(transport, caller, answering(transport, caller, targets, miners, terminal));
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /** How long the miners have to answer the load tester at its newly announced axon. */
    static final Duration MINERS_LEARN = Duration.ofSeconds(30);

    /** A miner probed, and its answer. */
    private record Probe(int netuid, Miner miner, CompletableFuture<Dendrite.Response> answer) {
    }

    /** Announces the transport's endpoint as the caller's axon on every target where it is not yet. */
    private static void announce(Api api, QueryTransport transport, Keypair caller, List<LoadtestCommand.Target> targets,
                                 Map<Integer, String> announced, PrintWriter terminal) {
        String channel = transport.axonChannel();
        for (LoadtestCommand.Target t : targets) {
            if (!channel.equals(announced.get(t.netuid()))) {
                Submitter.submit(api, caller, new Transaction.ServeAxon(t.netuid(), channel));
                terminal.printf("announced %s as %s's axon on subnet %d (miners answer only at announced axons)%n",
                        transport.endpoint(), caller.address().shortForm(), t.netuid());
                terminal.flush();
            }
        }
    }

    /**
     * Of the {@code miners} of each target, those that answer: every miner of every target is probed at once until
     * it answers (miners re-read the metagraph on timers of their own), for at most {@link #MINERS_LEARN}. The load
     * goes to the miners that answered: a target none answered is refused.
     */
    private static Map<Integer, List<Miner>> answering(QueryTransport transport, Keypair caller,
                                                       List<LoadtestCommand.Target> targets, Map<Integer, List<Miner>> miners,
                                                       PrintWriter terminal) {
        long started = System.nanoTime();
        Map<Integer, List<Miner>> waiting = new HashMap<>(miners);
        Map<Integer, List<Miner>> answered = new HashMap<>();
        SplittableRandom random = new SplittableRandom(targets.size());
        while (!waiting.isEmpty() && System.nanoTime() - started < MINERS_LEARN.toNanos()) {
            List<Probe> probes = new ArrayList<>();
            for (LoadtestCommand.Target t : targets) {
                byte[] payload = t.mechanism().parseQuery(t.mechanism().sampleQuery(random)).payload();
                for (Miner m : waiting.getOrDefault(t.netuid(), List.of())) {
                    probes.add(new Probe(t.netuid(), m, send(transport, caller, t.netuid(), m, payload, PROBE_TIMEOUT)));
                }
            }
            waiting = new HashMap<>();
            for (Probe p : probes) {
                Map<Integer, List<Miner>> into = p.answer().join().ok() ? answered : waiting;
                into.computeIfAbsent(p.netuid(), k -> new ArrayList<>()).add(p.miner());
            }
            if (!waiting.isEmpty()) {
                Testnet.sleep(250);
            }
        }
        int all = 0;
        for (LoadtestCommand.Target t : targets) {
            all += miners.get(t.netuid()).size();
            if (!answered.containsKey(t.netuid())) {
                throw new CliFailure("no miner of subnet " + t.netuid() + " answered the load tester at " + transport.endpoint()
                        + " within " + MINERS_LEARN.toSeconds() + " s of its announcement: can they reach it? (--axon-bind)");
            }
            answered.get(t.netuid()).sort(java.util.Comparator.comparingInt(Miner::uid));
        }
        terminal.printf(Locale.ROOT, "%d of %d miners answer the load tester (after %.1f s); the load goes to them%n",
                answered.values().stream().mapToInt(List::size).sum(), all, (System.nanoTime() - started) / 1e9);
        terminal.flush();
        return answered;
    }

    /** A probe's deadline: a miner that knows the load tester's axon answers well within it. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** One query of the caller's to one miner: a probe or the load. */
    private static CompletableFuture<Dendrite.Response> send(QueryTransport transport, Keypair caller, int netuid, Miner m,
                                                             byte[] payload, Duration timeout) {
        return transport.dendrite().query(caller, m.hotkey(), m.axon(), netuid, payload, timeout);
    }

    /** The next miner of the target in turn answers {@code text} (a query of the target's mechanism). */
    CompletableFuture<QueryReply> query(LoadtestCommand.Target t, String text, Duration timeout) {
        List<Miner> serving = miners.get(t.netuid());
        Miner m = serving.get((int) Math.floorMod(turn.getAndIncrement(), (long) serving.size()));
        byte[] payload = t.mechanism().parseQuery(text).payload();
        return send(transport, caller, t.netuid(), m, payload, timeout).thenApply(r -> reply(t, m, r));
    }

    private static QueryReply reply(LoadtestCommand.Target t, Miner m, Dendrite.Response r) {
        return QueryReply.newBuilder().setNetuid(t.netuid()).setMechanism(t.mechanism().name())
                .addAnswers(MinerAnswer.newBuilder().setUid(m.uid()).setHotkey(m.hotkey().toString())
                        .setIncentive(m.incentive()).setStatus(r.status()).setLatencyUs(r.roundTripNanos() / 1000))
                .build();
    }

    @Override
    public void close() {
        transport.close();
    }
}

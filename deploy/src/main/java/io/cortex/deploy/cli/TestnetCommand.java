package io.cortex.deploy.cli;

import io.cortex.deploy.support.CliFailure;
import io.cortex.deploy.testnet.EpochTable;
import io.cortex.deploy.testnet.Testnet;
import io.cortex.deploy.testnet.TestnetPlan;
import io.cortex.deploy.testnet.TestnetState;
import io.cortex.protocol.api.Neuron;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.StreamRequest;
import io.cortex.protocol.api.SubnetsReply;
import io.cortex.protocol.api.SubnetsRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.stream.Materializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cortex testnet}: a local multi-node network in one command. */
@Command(name = "testnet", description = "A local testnet: several node processes on loopback, with subnets, miners "
        + "and validators that register, stake, query and set weights by themselves.",
        subcommands = {TestnetCommand.Up.class, TestnetCommand.Status.class, TestnetCommand.AddNode.class,
            TestnetCommand.RemoveNode.class, TestnetCommand.Down.class})
public final class TestnetCommand {

    static final Duration READY = Duration.ofSeconds(120);

    /** Where the testnet's files live. */
    static final class DataDir {
        @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: ~/.cortex/testnet, "
                + "or $CORTEX_HOME/testnet)")
        Path dir;

        Path dir() {
            return (dir != null ? dir : Home.testnet()).toAbsolutePath();
        }
    }

    /** How each node's JVM runs: its heap and collector ({@code testnet up} and {@code add-node}). */
    static final class NodeJvmOptions {
        @Option(names = "--node-heap", defaultValue = "512m", paramLabel = "SIZE",
                description = "each node JVM's largest heap, as -Xmx takes it (default ${DEFAULT-VALUE})")
        String heap;

        @Option(names = "--node-gc", defaultValue = "serial", paramLabel = "serial|parallel|g1|z",
                description = "each node JVM's garbage collector (default ${DEFAULT-VALUE}: the least CPU on a small machine)")
        String gc;

        Testnet.NodeJvm jvm(CommandSpec spec) {
            return new Testnet.NodeJvm(heap, gc, program(spec));
        }
    }

    /** Where the nodes keep the ledger. */
    static final class StoreOptions {
        @Option(names = "--store", defaultValue = "h2", description = "where the ledger is kept: h2 (a file under the "
                + "data directory; a restart resumes), postgres (see --postgres-url), memory (default ${DEFAULT-VALUE})")
        String store;

        @Option(names = "--postgres-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/cortex")
        String postgresUrl;

        @Option(names = "--postgres-user", defaultValue = "cortex")
        String postgresUser;

        @Option(names = "--postgres-password", defaultValue = "cortex")
        String postgresPassword;

        /** The store as the testnet's plan takes it. */
        TestnetPlan.Store plan() {
            return new TestnetPlan.Store(store, postgresUrl, postgresUser, postgresPassword);
        }
    }

    @Command(name = "up", description = {"Start a testnet: the nodes as separate JVMs, the subnets created with dev "
            + "keys, the neurons funded, registered, staked and running; then a table row per epoch. Ctrl-C stops "
            + "every process it started."})
    static final class Up implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DataDir data;

        @picocli.CommandLine.Mixin
        LogFormatOption logFormat;

        @Option(names = "--nodes", defaultValue = "3", description = "node processes (default ${DEFAULT-VALUE})")
        int nodes;

        @Option(names = "--subnets", defaultValue = "2", description = "subnets (default ${DEFAULT-VALUE})")
        int subnets;

        @Option(names = "--miners", defaultValue = "16", description = "miners per subnet (default ${DEFAULT-VALUE})")
        int miners;

        @Option(names = "--validators", defaultValue = "4", description = "validators per subnet (default ${DEFAULT-VALUE})")
        int validators;

        @Option(names = "--block-time", defaultValue = "250ms", description = "time between blocks (default ${DEFAULT-VALUE})")
        String blockTime;

        @Option(names = "--tempo", defaultValue = "20", description = "blocks per epoch (default ${DEFAULT-VALUE})")
        int tempo;

        @Option(names = "--seed", defaultValue = "1", description = "keys of owners and neurons derive from it")
        long seed;

        @Option(names = "--round-interval", defaultValue = "250ms",
                description = "how often each validator queries every miner (default ${DEFAULT-VALUE})")
        String roundInterval;

        @Option(names = "--score-alpha", defaultValue = "0.05",
                description = "weight of the newest score in a validator's moving average (default ${DEFAULT-VALUE})")
        double scoreAlpha;

        @Option(names = "--weighting", defaultValue = "over-baseline", paramLabel = "over-baseline|linear",
                description = "how validators turn scores into weights: a miner's margin over the subnet's baseline, "
                        + "squared (a miner no better than the baseline earns nothing), or the raw score (default ${DEFAULT-VALUE})")
        String weighting;

        @picocli.CommandLine.Mixin
        StoreOptions store;

        @Option(names = "--mechanism", split = ",", defaultValue = "compute", paramLabel = "NAME[,NAME...]",
                description = "what the subnets run, in turn: compute, text-predict, price-forecast, or a subnet of your own "
                        + "(SUBNETS.md; its jar in CORTEX_CLASSPATH) (default ${DEFAULT-VALUE})")
        java.util.List<String> mechanisms;

        @Option(names = "--outside", defaultValue = "1", paramLabel = "K",
                description = "per subnet, K of the miners (the best graded) and one validator run as processes of their own "
                        + "with wallets of their own (cortex miner run / validator run), not hosted by the nodes; 0 hosts "
                        + "every neuron (default ${DEFAULT-VALUE})")
        int outside;

        @Option(names = "--heartbeat-pause", defaultValue = "2s", paramLabel = "DURATION",
                description = "how long a node may go unheard before the others take it for dead and down it (default "
                        + "${DEFAULT-VALUE}: a lost node's ledger moves within seconds); raise it when many nodes and "
                        + "neurons share few cores, where a busy node can fall silent that long")
        String heartbeatPause;

        @Option(names = "--aeron-idle", defaultValue = "backoff", paramLabel = "backoff|sleep|yield|spin",
                description = "how each node's Aeron driver and query poller wait for work: backoff spins, yields, then "
                        + "parks up to 100 us (default); sleep parks 1 ms at once, for many nodes on few cores, at up to a "
                        + "millisecond more a query; spin only with a core to spare for each node")
        String aeronIdle;

        @Option(names = "--detach", description = "return once the first epoch has run, leaving the nodes running "
                + "(stop them with ./cortex testnet down)")
        boolean detach;

        @Mixin
        NodeJvmOptions nodeJvm;

        @Override
        public Integer call() {
            logFormat.apply();
            PrintWriter out = spec.commandLine().getOut();
            Testnet.NodeJvm jvm = nodeJvm.jvm(spec);
            TestnetPlan plan = new TestnetPlan(nodes, subnets, miners, validators, Values.duration(blockTime), tempo, seed, 1000,
                    Values.duration(roundInterval), scoreAlpha, weighting(weighting), store.plan(), mechanisms, outside,
                    Values.duration(heartbeatPause), aeronIdle);
            Path dir = data.dir();
            Optional<TestnetState> running = TestnetState.read(dir);
            if (running.isPresent() && running.get().nodes().stream().anyMatch(TestnetState.Node::alive)) {
                throw new CliFailure("a testnet is already running under " + dir + " (./cortex testnet status; "
                        + "./cortex testnet down stops it)");
            }
            TestnetState state = Testnet.start(plan, dir, out, jvm);
            Home.useTestnet(dir);
            AtomicBoolean stopped = new AtomicBoolean();
            Thread hook = new Thread(() -> {
                if (stopped.compareAndSet(false, true)) {
                    out.println("\nstopping the testnet ...");
                    out.flush();
                    // as the state file has it now: testnet add-node may have started more nodes meanwhile
                    int n = Testnet.stop(current(state), Duration.ofSeconds(30));
                    out.println("stopped " + n + " processes");
                    out.flush();
                }
            }, "testnet-stop");
            if (!detach) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
            try {
                return watch(plan, state, out);
            } catch (RuntimeException e) {
                if (stopped.compareAndSet(false, true)) {
                    Testnet.stop(current(state), Duration.ofSeconds(30));
                }
                throw e;
            } finally {
                if (!detach) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException ignored) {
                        // the JVM is shutting down: the hook is running
                    }
                }
            }
        }

        /** The testnet's state as its file has it now (testnet add-node and remove-node change it), else as started. */
        private static TestnetState current(TestnetState started) {
            return TestnetState.read(started.dir()).orElse(started);
        }

        /** A node of the testnet still running, as its state file has them now. */
        private static Optional<TestnetState.Node> anyAlive(TestnetState started) {
            return current(started).nodes().stream().filter(TestnetState.Node::alive).findFirst();
        }

        /** Progress until the network runs, then the epoch table until the nodes are gone (or, detached, the first epoch). */
        private int watch(TestnetPlan plan, TestnetState state, PrintWriter out) {
            EpochTable table = new EpochTable(out);
            CompletableFuture<Boolean> firstEpoch = new CompletableFuture<>();
            try (Api api = new Api(state.nodes().get(0).grpc())) {
                StatusReply status = awaitLedger(api, out);
                out.println("cluster up: " + status.getClusterMembersUp() + " members; ledger at block " + status.getHeight()
                        + ", " + status.getBlockTimeMs() + " ms blocks" + (status.getRecoveredHeight() > 0
                        ? " (resumed from the journal at block " + status.getRecoveredHeight() + ", state "
                        + status.getRecoveredStateHash().substring(0, 16) + "...)" : ""));
                out.flush();
                CompletionStage<Done> stream = subscribe(api, table, firstEpoch);
                showRegistrations(api, plan, firstEpoch, out);
                if (detach) {
                    firstEpoch.completeOnTimeout(false, READY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
                    out.println("testnet running; ./cortex testnet status shows it, ./cortex testnet down stops it");
                    out.flush();
                    return 0;
                }
                out.println("(Ctrl-C stops the testnet)");
                out.flush();
                while (anyAlive(state).isPresent()) {
                    if (stream.toCompletableFuture().isDone()) {
                        break; // the node we listened to is gone; the loop below follows the others
                    }
                    Testnet.sleep(1000);
                }
            }
            // follow another node's stream while any node lives
            for (Optional<TestnetState.Node> alive = anyAlive(state); alive.isPresent(); alive = anyAlive(state)) {
                try (Api api = new Api(alive.get().grpc())) {
                    CompletionStage<Done> stream = subscribe(api, table, new CompletableFuture<>());
                    while (alive.get().alive() && !stream.toCompletableFuture().isDone()) {
                        Testnet.sleep(1000);
                    }
                } catch (RuntimeException e) {
                    Testnet.sleep(1000);
                }
            }
            out.println("the testnet's nodes have stopped");
            out.flush();
            return 0;
        }

        private static CompletionStage<Done> subscribe(Api api, EpochTable table, CompletableFuture<Boolean> firstEpoch) {
            return api.ledger().epochs(StreamRequest.getDefaultInstance())
                    .runForeach(e -> {
                        table.row(e);
                        firstEpoch.complete(true);
                    }, Materializer.matFromSystem(api.system()));
        }

        private static StatusReply awaitLedger(Api api, PrintWriter out) {
            long deadline = System.nanoTime() + READY.toNanos();
            RuntimeException last = null;
            while (System.nanoTime() < deadline) {
                try {
                    StatusReply s = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
                    if (s.getHeight() > 0) {
                        return s;
                    }
                } catch (RuntimeException e) {
                    last = e;
                }
                Testnet.sleep(500);
            }
            throw new CliFailure("the cluster did not form within " + READY.toSeconds() + " s"
                    + (last == null ? "" : ": " + last.getMessage()));
        }

        /** Prints how far the neurons are (registered, validators staked) until the first epoch table row. */
        private static void showRegistrations(Api api, TestnetPlan plan, CompletableFuture<Boolean> firstEpoch,
                                              PrintWriter out) {
            String last = "";
            long deadline = System.nanoTime() + READY.toNanos();
            while (!firstEpoch.isDone() && System.nanoTime() < deadline) {
                try {
                    SubnetsReply subnets = api.call(api.ledger().subnets(SubnetsRequest.getDefaultInstance()));
                    if (subnets.getSubnetsList().stream().anyMatch(s -> s.getEpochIndex() > 0)) {
                        return; // a subnet ran an epoch: its miners now hold stake too, and the table follows
                    }
                    List<String> parts = new ArrayList<>();
                    for (var s : subnets.getSubnetsList()) {
                        List<Neuron> neurons = api.metagraph(s.getNetuid()).getNeuronsList();
                        long staked = neurons.stream().filter(n -> n.getUid() > 0 && n.getStake() > 0).count();
                        parts.add("subnet " + s.getNetuid() + ": " + (neurons.size() - 1) + "/" + (plan.miners() + plan.validators())
                                + " neurons registered, " + staked + "/" + plan.validators() + " validators staked");
                    }
                    String line = String.join("; ", parts);
                    if (!line.equals(last)) {
                        synchronized (out) {
                            if (!firstEpoch.isDone()) {
                                out.println("  " + line);
                                out.flush();
                            }
                        }
                        last = line;
                    }
                } catch (RuntimeException e) {
                    // the ledger is busy starting; ask again
                }
                Testnet.sleep(1000);
            }
        }
    }

    @Command(name = "status", description = "The testnet's nodes (pid, ports, alive) and the chain.")
    static final class Status implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DataDir data;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<TestnetState> state = TestnetState.read(data.dir());
            if (state.isEmpty()) {
                out.println("no testnet under " + data.dir() + " (start one with ./cortex testnet up)");
                out.flush();
                return 1;
            }
            List<List<String>> rows = new ArrayList<>();
            for (TestnetState.Node n : state.get().nodes()) {
                rows.add(List.of(n.name(), Long.toString(n.pid()), n.alive() ? "running" : "stopped",
                        Integer.toString(n.clusterPort()), n.grpc(), n.ops().isEmpty() ? "-" : "http://" + n.ops() + "/",
                        n.log().toString()));
            }
            Output.table(out, List.of("node", "pid", "state", "cluster port", "gRPC", "dashboard", "log"), rows);
            if (!state.get().outside().isEmpty()) {
                List<List<String>> neurons = new ArrayList<>();
                for (TestnetState.Outside o : state.get().outside()) {
                    neurons.add(List.of(o.name(), Long.toString(o.pid()), o.alive() ? "running" : "stopped", o.log().toString()));
                }
                out.println();
                Output.table(out, List.of("outside neuron", "pid", "state", "log"), neurons);
            }
            Optional<TestnetState.Node> alive = state.get().nodes().stream().filter(TestnetState.Node::alive).findFirst();
            if (alive.isPresent()) {
                try (Api api = new Api(alive.get().grpc())) {
                    StatusReply s = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
                    out.println("block " + s.getHeight() + ", " + s.getSubnets() + " subnets, " + s.getEpochsRun()
                            + " epochs run, " + s.getClusterMembersUp() + " cluster members up, state " + s.getStateHash());
                } catch (RuntimeException e) {
                    out.println("the chain does not answer: " + e.getMessage());
                }
            }
            out.flush();
            return 0;
        }
    }

    private static TestnetState running(DataDir data) {
        return TestnetState.read(data.dir()).orElseThrow(() -> new CliFailure("no testnet under " + data.dir()
                + " (start one with ./cortex testnet up)"));
    }

    @Command(name = "add-node", description = {"Start one more node in the running testnet. It joins the cluster, and "
            + "each subnet's neurons rebalance onto it (a neuron a subnet every 2 s, until no node holds two more of a "
            + "subnet than another); a moved miner serves its axon from the new node.",
        "It runs the first node's configuration with a name and ports of its own, numbered after every node the testnet "
            + "has had (n4 after n3)."})
    static final class AddNode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir data;

        @Mixin
        NodeJvmOptions nodeJvm;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            TestnetState grown = Testnet.addNode(running(data), nodeJvm.jvm(spec), out);
            TestnetState.Node node = grown.nodes().get(grown.nodes().size() - 1);
            out.println("node " + node.name() + " up: pid " + node.pid() + ", gRPC " + node.grpc() + ", cluster port "
                    + node.clusterPort() + (node.ops().isEmpty() ? "" : ", dashboard http://" + node.ops() + "/")
                    + "; " + grown.nodes().size() + " nodes");
            out.flush();
            return 0;
        }
    }

    @Command(name = "remove-node", description = {"Stop one node of the running testnet gracefully: it leaves the "
            + "cluster and hands its neurons, and the ledger if it holds it, to the other nodes, which start them again.",
        "The testnet's last node is not removed: testnet down stops the testnet."})
    static final class RemoveNode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDir data;

        @Parameters(paramLabel = "NODE", description = "the node's name, as testnet status lists it (n1, n2, ...)")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            TestnetState shrunk = Testnet.removeNode(running(data), name, Duration.ofSeconds(30));
            out.println("node " + name + " stopped; " + shrunk.nodes().size() + " nodes left");
            out.flush();
            return 0;
        }
    }

    @Command(name = "down", description = "Stop every process of the testnet (each node leaves the cluster and "
            + "cleans up; one that does not within 30 s is killed).")
    static final class Down implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DataDir data;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<TestnetState> state = TestnetState.read(data.dir());
            if (state.isEmpty()) {
                out.println("no testnet under " + data.dir());
                out.flush();
                return 0;
            }
            int n = Testnet.stop(state.get(), Duration.ofSeconds(30));
            Home.forgetTestnet(data.dir());
            out.println("stopped " + n + " processes; logs stay under " + data.dir().resolve("logs"));
            out.flush();
            return 0;
        }
    }

    /**
     * The program the nodes and outside neurons run: this command line's own, the class of its root command
     * (which passes itself in, so that the testnet needs no link back to it), when that class has a main method.
     */
    static String program(CommandSpec spec) {
        Class<?> root = spec.root().userObject().getClass();
        try {
            root.getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            throw new CliFailure("testnet up runs this command line's program for the nodes, but its root command "
                    + root.getName() + " has no main method");
        }
        return root.getName();
    }

    static io.cortex.subnets.Weighting weighting(String name) {
        try {
            return io.cortex.subnets.Weighting.named(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--weighting: " + e.getMessage());
        }
    }
}

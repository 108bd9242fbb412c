package io.cortex.deploy.testnet;

import com.typesafe.config.ConfigFactory;
import io.cortex.deploy.support.CliFailure;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.protocol.tls.TlsFiles;
import io.cortex.sharding.ledger.Genesis;
import io.cortex.sharding.node.NodeSettings;
import io.cortex.subnets.SubnetMechanisms;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the node processes of a local testnet: one JVM per node, on loopback ports chosen free,
 * each with its configuration and log under the data directory, and the state file that lets other
 * commands find them. A testnet is a dev network: its chain spec, {@value #CHAIN_FILE} in the data directory,
 * is the dev spec of its network plan (the dev accounts, the plan's owners and neurons funded, its subnets
 * created at genesis), and every node starts from it ({@code cortex node --chain}).
 */
public final class Testnet {
    /** How long a node may take to print that it is up. */
    static final Duration NODE_START = Duration.ofSeconds(90);
    /** The testnet's chain spec, in its data directory. */
    public static final String CHAIN_FILE = "chain.json";

    private Testnet() {
    }

    /**
     * How each node's JVM runs ({@code testnet up --node-heap, --node-gc}): a heap size as {@code -Xmx} takes it;
     * serial, parallel, g1 or z; and the main class of the program that runs {@code node}, {@code miner run} and
     * {@code validator run} (the command line's own, which passes itself in).
     */
    public record NodeJvm(String heap, String gc, String mainClass) {
        private static final java.util.Map<String, String> COLLECTORS = java.util.Map.of("serial", "-XX:+UseSerialGC",
                "parallel", "-XX:+UseParallelGC", "g1", "-XX:+UseG1GC", "z", "-XX:+UseZGC");
        public NodeJvm {
            if (!heap.matches("[1-9][0-9]*[kKmMgG]?")) {
                throw new IllegalArgumentException("--node-heap: not a heap size: '" + heap + "' (e.g. 512m, 2g)");
            }
            if (!COLLECTORS.containsKey(gc)) {
                throw new IllegalArgumentException("--node-gc: '" + gc + "' is none of serial, parallel, g1, z");
            }
        }

        /** The JVM options they come to. */
        public List<String> options() {
            return List.of("-Xmx" + heap, COLLECTORS.get(gc));
        }
    }

    /** The node processes of one start: made, then each awaited until it is up. */
    private record Launch(Path dir, Path chain, Path[] tls, NodeJvm jvm, List<Process> processes) {
        /** Starts every node's process, with its configuration and log under {@code dir}. */
        List<TestnetState.Node> nodes(TestnetPlan plan, Path logs) throws IOException {
            int[] clusterPorts = new int[plan.nodes()];
            int[] grpcPorts = new int[plan.nodes()];
            for (int i = 0; i < plan.nodes(); i++) {
                clusterPorts[i] = freeTcpPort();
                grpcPorts[i] = freeTcpPort();
            }
            List<TestnetState.Node> nodes = new ArrayList<>();
            for (int i = 0; i < plan.nodes(); i++) {
                String name = "n" + (i + 1);
                Path config = dir.resolve(name + ".conf");
                Path log = logs.resolve(name + ".log");
                Files.writeString(config, plan.nodeConfig(name, clusterPorts[i], grpcPorts[i], clusterPorts[0],
                        dir.resolve("ledger")), StandardCharsets.UTF_8);
                Process p = new ProcessBuilder(nodeCommand(config, chain, tls, jvm)).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                processes.add(p);
                nodes.add(new TestnetState.Node(name, p.pid(), clusterPorts[i], "127.0.0.1:" + grpcPorts[i], log, ""));
            }
            return nodes;
        }

        /**
         * Waits until node {@code i} is up, starting it once more if it was taken for dead while starting; returns
         * it with its operations endpoint, on a port it chose itself (port 0: nothing can take it between our
         * choosing and its binding), as its "up" line says.
         */
        TestnetState.Node awaitUp(int i, List<TestnetState.Node> nodes, PrintWriter out) throws IOException {
            TestnetState.Node node = nodes.get(i);
            if (!Testnet.awaitUp(node, processes.get(i), 0, true)) {
                // downed while starting: the other nodes heard nothing from it for a second, as happens when
                // several JVMs start at once on two cores; it stopped itself, so it starts again, once
                long logged = Files.size(node.log());
                out.println("  node " + node.name() + " was taken for dead while starting (a busy machine); starting it again");
                out.flush();
                Process p = new ProcessBuilder(nodeCommand(dir.resolve(node.name() + ".conf"), chain, tls, jvm))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(node.log().toFile()))
                        .start();
                processes.set(i, p);
                node = new TestnetState.Node(node.name(), p.pid(), node.clusterPort(), node.grpc(), node.log(), node.ops());
                nodes.set(i, node);
                new TestnetState(dir, ProcessHandle.current().pid(), nodes, List.of()).write();
                Testnet.awaitUp(node, p, logged, false);
            }
            return new TestnetState.Node(node.name(), node.pid(), node.clusterPort(), node.grpc(), node.log(), node.started(),
                    opsAddress(node.log()).orElse(""));
        }
    }

    public static TestnetState start(TestnetPlan plan, Path dir, PrintWriter out, NodeJvm jvm) {
        Path logs = dir.resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new CliFailure("cannot create " + logs + ": " + e.getMessage(), e);
        }
        List<Process> processes = new ArrayList<>();
        try {
            List<OutsideProcesses.Neuron> outside = OutsideProcesses.prepare(plan, dir);
            Path chain = dir.resolve(CHAIN_FILE);
            chainSpec(plan, OutsideProcesses.balances(outside)).write(chain);
            Path[] tls = tls(dir);
            Launch launch = new Launch(dir, chain, tls, jvm, processes);
            List<TestnetState.Node> nodes = launch.nodes(plan, logs);
            TestnetState state = new TestnetState(dir, ProcessHandle.current().pid(), nodes, List.of());
            state.write();
            out.println("starting " + plan.nodes() + " nodes (configuration and logs under " + dir + "; gRPC over TLS, "
                    + "certificate " + tls[0] + ", which the CLI trusts for these nodes)");
            out.flush();
            for (int i = 0; i < nodes.size(); i++) {
                nodes.set(i, launch.awaitUp(i, nodes, out));
                state = new TestnetState(dir, ProcessHandle.current().pid(), nodes, List.of());
                state.write();
                TestnetState.Node up = nodes.get(i);
                out.println("  node " + up.name() + " up: pid " + up.pid() + ", gRPC " + up.grpc() + ", cluster port "
                        + up.clusterPort() + (up.ops().isEmpty() ? ", dashboard address not found in its log"
                        : ", dashboard http://" + up.ops() + "/ (also /metrics, /ready)"));
                out.flush();
            }
            if (outside.isEmpty()) {
                return state;
            }
            TestnetState withOutside = new TestnetState(dir, state.launcherPid(), nodes,
                    startOutside(plan, dir, outside, nodes, tls[0], processes, jvm.mainClass()));
            withOutside.write();
            out.println("  " + outside.size() + " neurons outside the nodes, each a process with its own wallet (under "
                    + OutsideProcesses.home(dir) + "): " + String.join(", ", outside.stream().map(OutsideProcesses.Neuron::name)
                    .toList()) + "; logs beside the nodes'");
            out.flush();
            return withOutside;
        } catch (IOException | RuntimeException e) {
            processes.forEach(Process::destroyForcibly);
            try {
                TestnetState.delete(dir);
            } catch (IOException ignored) {
                // the failure below says what went wrong
            }
            if (e instanceof CliFailure f) {
                throw f;
            }
            throw new CliFailure("cannot start the testnet: " + e.getMessage(), e);
        }
    }

    /** The dev spec of the plan's network: what every node of the testnet starts from. */
    static ChainSpec chainSpec(TestnetPlan plan) {
        return chainSpec(plan, java.util.Map.of());
    }

    /** The dev spec of the plan's network with {@code extra} accounts funded (the outside neurons' coldkeys). */
    static ChainSpec chainSpec(TestnetPlan plan, java.util.Map<io.cortex.core.identity.Address, Long> extra) {
        ChainSpec dev = Genesis.devSpec(NodeSettings.plan(ConfigFactory.parseString(plan.network()).getConfig("cortex.network")));
        if (extra.isEmpty()) {
            return dev;
        }
        java.util.Map<io.cortex.core.identity.Address, Long> balances = new java.util.TreeMap<>(dev.ledger().balances());
        balances.putAll(extra);
        return new ChainSpec(dev.networkId(), dev.ledger().withBalances(balances), dev.subnets());
    }

    /**
     * The testnet's TLS certificate and key for the nodes' gRPC API: a self-signed pair for 127.0.0.1 and
     * localhost, made on the first start and kept with the data directory.
     */
    static Path[] tls(Path dir) {
        Path cert = TestnetState.tlsCertificate(dir);
        Path key = TestnetState.tlsKey(dir);
        if (!Files.exists(cert) && !Files.exists(key)) {
            TlsFiles.selfSigned(cert, key, List.of("127.0.0.1", "localhost"), Duration.ofDays(365));
        } else if (!Files.exists(cert) || !Files.exists(key)) {
            throw new CliFailure("the testnet's TLS pair is incomplete: " + cert + " and " + key
                    + " go together (delete the one left to make a new pair)");
        }
        return new Path[] {cert, key};
    }

    /** The command line of a node: this JVM's java, class path and extra subnets, running {@code cortex node}. */
    static List<String> nodeCommand(Path config, Path chain, Path[] tls, NodeJvm jvm) {
        List<String> command = javaCommand(jvm.options());
        command.addAll(List.of(jvm.mainClass(), "node", "--config", config.toString(), "--chain", chain.toString(),
                "--tls-cert", tls[0].toString(), "--tls-key", tls[1].toString()));
        return command;
    }

    /** This JVM's java with its class path (and the user's extra subnets), up to the main class. */
    static List<String> javaCommand(String maxHeap) {
        return javaCommand(List.of(maxHeap, "-XX:+UseSerialGC"));
    }

    /** The same with these JVM options (heap, collector). */
    static List<String> javaCommand(List<String> jvmOptions) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        String logFormat = System.getProperty("cortex.log.format");
        if (logFormat != null) {
            command.add("-Dcortex.log.format=" + logFormat); // testnet up --log-format
        }
        String extra = SubnetMechanisms.extraClasspath();
        if (!extra.isEmpty()) {
            command.add("-D" + SubnetMechanisms.EXTRA_CLASSPATH + "=" + extra); // subnets of the user's own
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return command;
    }

    /** Starts the outside neurons once the nodes are up; each logs to {@code logs/NAME.log}. */
    private static List<TestnetState.Outside> startOutside(TestnetPlan plan, Path dir, List<OutsideProcesses.Neuron> outside,
                                                           List<TestnetState.Node> nodes, Path certificate,
                                                           List<Process> processes, String mainClass) throws IOException {
        List<String> grpc = nodes.stream().map(TestnetState.Node::grpc).toList();
        List<TestnetState.Outside> started = new ArrayList<>();
        for (OutsideProcesses.Neuron n : outside) {
            Path log = dir.resolve("logs").resolve(n.name() + ".log");
            ProcessBuilder builder = new ProcessBuilder(OutsideProcesses.command(n, plan, dir, grpc, certificate, mainClass))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            OutsideProcesses.environment(builder.environment(), dir);
            Process p = builder.start();
            processes.add(p);
            started.add(new TestnetState.Outside(n.name(), p.pid(), log));
        }
        return started;
    }

    /**
     * Waits for the node's "up" line in its log past {@code from} bytes (a restart appends to the log). False
     * when {@code mayRetry} and the node stopped because the cluster downed it while it started (it may start
     * again); a failure for any other exit or a timeout.
     */
    private static boolean awaitUp(TestnetState.Node node, Process process, long from, boolean mayRetry) throws IOException {
        long deadline = System.nanoTime() + NODE_START.toNanos();
        String marker = "node " + node.name() + " up:";
        while (System.nanoTime() < deadline) {
            byte[] log = Files.exists(node.log()) ? Files.readAllBytes(node.log()) : new byte[0];
            String fresh = log.length > from ? new String(log, (int) from, log.length - (int) from, StandardCharsets.UTF_8) : "";
            if (fresh.contains(marker)) {
                return true;
            }
            if (!process.isAlive() && mayRetry && fresh.contains(DOWNED)) {
                return false;
            }
            if (!process.isAlive()) {
                throw new CliFailure("node " + node.name() + " exited with code " + process.exitValue()
                        + " while starting; the end of its log " + node.log() + ":\n" + tail(node.log(), 15));
            }
            sleep(200);
        }
        throw new CliFailure("node " + node.name() + " did not start within " + NODE_START.toSeconds() + " s; the end of "
                + node.log() + ":\n" + tail(node.log(), 15));
    }

    private static final java.util.regex.Pattern OPS = java.util.regex.Pattern.compile(
            "health and metrics http:(?:\\\\)?/(?:\\\\)?/([0-9A-Za-z.\\-]+:[0-9]+)");

    /** The node's operations endpoint (/ready, /alive, /metrics), as its last "up" line in the log gives it (text or JSON). */
    static java.util.Optional<String> opsAddress(Path log) {
        try {
            // decoded leniently: a malformed byte elsewhere in the log must not hide the address
            java.util.regex.Matcher m = OPS.matcher(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            return java.util.Optional.ofNullable(last);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** What Pekko logs on a node the cluster downed, before it stops itself. */
    static final String DOWNED = "Node has been marked as DOWN. Shutting down myself";

    /**
     * Stops every node: SIGTERM (each leaves the cluster and cleans up), then a forced kill for any still
     * running after {@code grace}; removes the state file. Returns how many processes were running. The outside
     * neurons go first, then every node but the oldest running one, then that one, each group within
     * {@code grace}.
     */
    public static int stop(TestnetState state, Duration grace) {
        // the outside neurons first, so that they do not spend their last seconds failing over between nodes; only
        // processes that are still the ones the testnet started (a pid the system gave to another program is not)
        int stopped = terminate(state.outside().stream().flatMap(o -> o.process().stream()).toList(), grace);
        // the oldest node (the ledger singleton's) last: leaving with the others, it hands the singleton over to a
        // node that is leaving too, and waited out the 10 s of Pekko's cluster-exiting phase in every testnet's log;
        // alone, it has nothing to hand over
        List<ProcessHandle> nodes = state.nodes().stream().flatMap(n -> n.process().stream()).filter(ProcessHandle::isAlive)
                .sorted(java.util.Comparator.comparing(h -> h.info().startInstant().orElse(java.time.Instant.MAX)))
                .toList();
        if (!nodes.isEmpty()) {
            stopped += terminate(nodes.subList(1, nodes.size()), grace);
            stopped += terminate(nodes.subList(0, 1), grace);
        }
        try {
            TestnetState.delete(state.dir());
        } catch (IOException e) {
            throw new CliFailure("stopped the nodes but cannot remove " + state.dir().resolve(TestnetState.FILE), e);
        }
        return stopped;
    }

    /**
     * Starts one more node in a running testnet, named after the highest so far ({@code n4} after {@code n3}): the
     * first node's configuration file (network plan, ledger, cluster timings), included, with a name and ports of
     * its own and every running node as a seed; the same chain spec and TLS pair. It joins the cluster, and
     * sharding rebalances each subnet's neurons onto it. Returns the state with it, written.
     */
    public static TestnetState addNode(TestnetState state, NodeJvm jvm, PrintWriter out) {
        List<TestnetState.Node> running = state.nodes().stream().filter(TestnetState.Node::alive).toList();
        if (running.isEmpty()) {
            throw new CliFailure("no node of the testnet under " + state.dir() + " is running (start it with testnet up)");
        }
        String name = "n" + (highestNodeNumber(state) + 1);
        Path base = state.dir().resolve(state.nodes().get(0).name() + ".conf");
        Path config = state.dir().resolve(name + ".conf");
        Path log = state.dir().resolve("logs").resolve(name + ".log");
        int clusterPort = freeTcpPort();
        int grpcPort = freeTcpPort();
        String seeds = String.join(", ", running.stream()
                .map(n -> "\"pekko://cortex@127.0.0.1:" + n.clusterPort() + "\"").toList());
        try {
            Files.writeString(config, "# written by ./cortex testnet add-node: " + base.getFileName()
                    + " with this node's name, ports and seeds\n"
                    + "include \"" + base.getFileName() + "\"\n"
                    + "cortex.node.name = \"" + name + "\"\n"
                    + "cortex.node.grpc.port = " + grpcPort + "\n"
                    + "pekko.remote.artery.canonical.port = " + clusterPort + "\n"
                    + "pekko.cluster.seed-nodes = [" + seeds + "]\n", StandardCharsets.UTF_8);
            long from = Files.exists(log) ? Files.size(log) : 0; // an earlier testnet in this directory logged there
            Process p = new ProcessBuilder(nodeCommand(config, state.dir().resolve(CHAIN_FILE), tls(state.dir()), jvm))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            TestnetState.Node node = new TestnetState.Node(name, p.pid(), clusterPort, "127.0.0.1:" + grpcPort, log, "");
            List<TestnetState.Node> nodes = new ArrayList<>(state.nodes());
            nodes.add(node);
            new TestnetState(state.dir(), state.launcherPid(), nodes, state.outside()).write();
            out.println("starting node " + name + " (configuration " + config + ", log " + log + ")");
            out.flush();
            try {
                awaitUp(node, p, from, false);
            } catch (RuntimeException e) {
                p.destroyForcibly();
                new TestnetState(state.dir(), state.launcherPid(), state.nodes(), state.outside()).write();
                throw e;
            }
            nodes.set(nodes.size() - 1, new TestnetState.Node(name, node.pid(), clusterPort, node.grpc(), log,
                    node.started(), opsAddress(log).orElse("")));
            TestnetState grown = new TestnetState(state.dir(), state.launcherPid(), nodes, state.outside());
            grown.write();
            return grown;
        } catch (IOException e) {
            throw new CliFailure("cannot start node " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The highest n of the testnet's nodes {@code nN}, among those it has and those it had (their configuration files
     * stay): a new node never takes the name, log or configuration of one removed before.
     */
    private static int highestNodeNumber(TestnetState state) {
        java.util.regex.Pattern numbered = java.util.regex.Pattern.compile("n(\\d{1,6})(\\.conf)?");
        List<String> names = new ArrayList<>(state.nodes().stream().map(TestnetState.Node::name).toList());
        try (java.util.stream.Stream<Path> files = Files.list(state.dir())) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        } catch (IOException e) {
            throw new CliFailure("cannot list " + state.dir() + ": " + e.getMessage(), e);
        }
        return names.stream().map(numbered::matcher).filter(java.util.regex.Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
    }

    /**
     * Stops one node of a running testnet gracefully: SIGTERM, on which it leaves the cluster and hands its
     * neurons, and the ledger if it holds it, to the others; forced after {@code grace}. Refused for the last
     * node running (testnet down stops the testnet). Returns the state without it, written.
     */
    public static TestnetState removeNode(TestnetState state, String name, Duration grace) {
        TestnetState.Node node = state.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in the testnet; its nodes: "
                        + String.join(", ", state.nodes().stream().map(TestnetState.Node::name).toList())));
        if (node.alive() && state.nodes().stream().filter(TestnetState.Node::alive).count() == 1) {
            throw new IllegalArgumentException(name + " is the testnet's last node running: stop it with testnet down");
        }
        terminate(node.process().stream().toList(), grace);
        List<TestnetState.Node> nodes = new ArrayList<>(state.nodes());
        nodes.remove(node);
        TestnetState shrunk = new TestnetState(state.dir(), state.launcherPid(), nodes, state.outside());
        try {
            shrunk.write();
        } catch (IOException e) {
            throw new CliFailure("stopped node " + name + " but cannot update " + state.dir().resolve(TestnetState.FILE), e);
        }
        return shrunk;
    }

    /** SIGTERM to each process still running, then a forced kill for any left after {@code grace}; how many ran. */
    /**
     * SIGTERM to each running process, then a forced kill of any still running after {@code grace}. Returns how many
     * were running.
     */
    static int terminate(List<ProcessHandle> processes, Duration grace) {
        List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
        List<ProcessHandle> running = new ArrayList<>();
        for (ProcessHandle h : processes) {
            if (h.isAlive()) {
                running.add(h);
                h.destroy();
                exits.add(h.onExit());
            }
        }
        try {
            CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            running.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : running) {
                h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join();
            }
        }
        return running.size();
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freeTcpPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new CliFailure("no free TCP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** Sleeps; an interrupt ends the command ({@link CliFailure}), the thread's interrupt flag set again. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        }
    }
}

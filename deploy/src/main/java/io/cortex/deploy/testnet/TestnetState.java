package io.cortex.deploy.testnet;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code testnet up} started, so that {@code status}, {@code down} and every other command can find it:
 * {@code testnet.properties} in the testnet's data directory, one group of keys per node.
 */
public record TestnetState(Path dir, long launcherPid, List<Node> nodes, List<Outside> outside) {

    public static final String FILE = "testnet.properties";

    /** A process the testnet started: its name, pid, log, and when it started (epoch milliseconds; -1 when not kept). */
    public interface Started {
        String name();

        long pid();

        Path log();

        long started();

        /** The process, while it is still the one the testnet started. */
        default Optional<ProcessHandle> process() {
            return ours(pid(), started());
        }

        default boolean alive() {
            return process().isPresent();
        }
    }

    /**
     * One node process: its name, pid, cluster port, gRPC address, log file, when the process started (-1 in a
     * file written before that was kept), which tells it from a later process that reuses the pid, and its
     * operations endpoint (host:port of the dashboard, /metrics and the health checks; empty when not kept).
     */
    public record Node(String name, long pid, int clusterPort, String grpc, Path log, long started, String ops)
            implements Started {
        public Node(String name, long pid, int clusterPort, String grpc, Path log, String ops) {
            this(name, pid, clusterPort, grpc, log, startedMillis(pid), ops);
        }

        public Node(String name, long pid, int clusterPort, String grpc, Path log, long started) {
            this(name, pid, clusterPort, grpc, log, started, "");
        }
    }

    /** A neuron running outside the nodes, in a process of its own ({@code testnet up --outside}). */
    public record Outside(String name, long pid, Path log, long started) implements Started {
        public Outside(String name, long pid, Path log) {
            this(name, pid, log, startedMillis(pid));
        }
    }

    /** When the process started, in epoch milliseconds; -1 when it is gone or the system does not say. */
    static long startedMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(java.time.Instant::toEpochMilli).orElse(-1L);
    }

    /**
     * The live process with this pid if it is the one started at {@code started}; without a recorded start, if
     * its command line is a Cortex JVM's. Empty for a pid the system has since given to another program.
     */
    static Optional<ProcessHandle> ours(long pid, long started) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> started >= 0
                ? h.info().startInstant().map(i -> i.toEpochMilli() == started).orElse(false)
                : h.info().commandLine().map(c -> c.contains("io.cortex")).orElse(false));
    }

    public TestnetState {
        nodes = List.copyOf(nodes);
        outside = List.copyOf(outside);
    }

    public static Optional<TestnetState> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
            int count = Integer.parseInt(p.getProperty("nodes", "0"));
            List<Node> nodes = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String k = "node." + i + ".";
                nodes.add(new Node(p.getProperty(k + "name"), Long.parseLong(p.getProperty(k + "pid")),
                        Integer.parseInt(p.getProperty(k + "cluster-port")), p.getProperty(k + "grpc"),
                        Path.of(p.getProperty(k + "log")), Long.parseLong(p.getProperty(k + "started", "-1")),
                        p.getProperty(k + "ops", "")));
            }
            List<Outside> outside = new ArrayList<>();
            for (int i = 1; i <= Integer.parseInt(p.getProperty("outside", "0")); i++) {
                String k = "outside." + i + ".";
                outside.add(new Outside(p.getProperty(k + "name"), Long.parseLong(p.getProperty(k + "pid")),
                        Path.of(p.getProperty(k + "log")), Long.parseLong(p.getProperty(k + "started", "-1"))));
            }
            return nodes.isEmpty() ? Optional.empty()
                    : Optional.of(new TestnetState(dir, Long.parseLong(p.getProperty("launcher-pid", "-1")), nodes, outside));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged file is as good as none: down and status say so
        }
    }

    public void write() throws IOException {
        Properties p = new Properties();
        p.setProperty("nodes", Integer.toString(nodes.size()));
        p.setProperty("launcher-pid", Long.toString(launcherPid));
        for (int i = 0; i < nodes.size(); i++) {
            String k = "node." + (i + 1) + ".";
            Node n = nodes.get(i);
            putStarted(p, k, n);
            p.setProperty(k + "cluster-port", Integer.toString(n.clusterPort()));
            p.setProperty(k + "grpc", n.grpc());
            p.setProperty(k + "ops", n.ops());
        }
        p.setProperty("outside", Integer.toString(outside.size()));
        for (int i = 0; i < outside.size(); i++) {
            putStarted(p, "outside." + (i + 1) + ".", outside.get(i));
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "Cortex local testnet: written by ./cortex testnet up, removed by ./cortex testnet down");
        }
        Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The keys every process the testnet started has, under the prefix {@code k} ({@code node.1.}, {@code outside.1.}). */
    private static void putStarted(Properties p, String k, Started s) {
        p.setProperty(k + "name", s.name());
        p.setProperty(k + "pid", Long.toString(s.pid()));
        p.setProperty(k + "started", Long.toString(s.started()));
        p.setProperty(k + "log", s.log().toString());
    }

    /** The testnet nodes' self-signed TLS certificate (its key beside it), which clients trust for them. */
    public static Path tlsCertificate(Path dir) {
        return dir.resolve("tls").resolve("node-cert.pem");
    }

    public static Path tlsKey(Path dir) {
        return dir.resolve("tls").resolve("node-key.pem");
    }

    /** The certificate to trust for the node at {@code grpc}: the testnet's, when it is one of its nodes and has one. */
    public Optional<Path> certificateFor(String grpc) {
        Path cert = tlsCertificate(dir);
        return nodes.stream().anyMatch(n -> n.grpc().equals(grpc)) && Files.isRegularFile(cert) ? Optional.of(cert)
                : Optional.empty();
    }

    public static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }
}

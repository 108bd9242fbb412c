package io.cortex.sharding;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cortex.sharding.node.CortexNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/** Several Cortex nodes in this JVM, each its own actor system on a loopback port with its own Aeron driver. */
final class TestCluster implements AutoCloseable {

    final List<CortexNode> nodes = new ArrayList<>();

    /**
     * Starts {@code count} nodes that form one cluster (the first is the seed); {@code network} is the HOCON
     * body of {@code cortex.network} overrides shared by all.
     */
    static TestCluster start(int count, String network, String extra) {
        TestCluster cluster = new TestCluster();
        String journal;
        try {
            journal = java.nio.file.Files.createTempDirectory("cortex-test-ledger").toString().replace('\\', '/');
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = freeTcpPort();
        }
        try {
            for (int i = 0; i < count; i++) {
                Config config = CortexNode.configuration(ConfigFactory.parseString("""
                        cortex.node.name = "n%d"
                        cortex.network { %s }
                        pekko.remote.artery.canonical.port = %d
                        pekko.cluster.seed-nodes = ["pekko://cortex@127.0.0.1:%d"]
                        cortex.node.min-nodes = %d
                        pekko.cluster.split-brain-resolver.stable-after = 2s
                        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                        cortex.node.grpc.port = 0
                        cortex.ledger.h2.directory = "%s"
                        pekko.coordinated-shutdown.phases.cluster-exiting.timeout = 3s
                        %s
                        """.formatted(i + 1, network, ports[i], ports[0], count, journal, extra)));
                        ;
                cluster.nodes.add(CortexNode.start(config));
            }
            await(Duration.ofSeconds(60), "all nodes up", () -> cluster.nodes.stream().allMatch(n ->
                    upCount(n) == count));
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static long upCount(CortexNode node) {
        var members = Cluster.get(node.system()).state().getMembers();
        long up = 0;
        for (var m : members) {
            if (m.status() == MemberStatus.up()) {
                up++;
            }
        }
        return up;
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    static int freeTcpPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops a node abruptly: its Aeron transport closes and its actor system terminates without leaving the
     * cluster (the nodes must run with {@code run-by-actor-system-terminate = off}); the others find it
     * unreachable and the split-brain resolver downs it.
     */
    void crash(CortexNode node) {
        node.transport().close();
        node.system().terminate();
        try {
            node.system().getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("node did not terminate", e);
        }
        nodes.remove(node);
    }

    /** Stops every node at once, each by coordinated shutdown. */
    @Override
    public void close() {
        nodes.parallelStream().forEach(n -> n.stop(Duration.ofSeconds(20)));
        nodes.clear();
    }
}

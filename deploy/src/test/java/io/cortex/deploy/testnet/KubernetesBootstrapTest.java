package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.cli.Api;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.sdk.Tls;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's bootstrap test: three {@code cortex node --cluster-bootstrap} processes, no seed node among their
 * settings, form one cluster from what fabric8's mock Kubernetes API server lists, as they would from a real API
 * server in the StatefulSet of {@code deploy/kubernetes}: over HTTPS, with a service account's CA, token and
 * namespace files, the pods labelled {@code app=cortex}, each with its IP and a container port named
 * {@code management}. The pods' IPs are three loopback addresses, so that each node has its own address and the
 * same ports, as pods do.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KubernetesBootstrapTest {
    private static final String NAMESPACE = "cortex-test";
    private static final int NODES = 3;
    private static final int MANAGEMENT_PORT = 8558;

    @TempDir
    Path work;

    private KubernetesMockServer server;
    private final List<CortexProcess> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        // all but the first at once, then the first (which formed the cluster and holds the ledger singleton), as
        // `testnet down` does: leaving with the others, it would wait out its hand-over to a node that is leaving too
        Testnet.terminate(nodes.subList(Math.min(1, nodes.size()), nodes.size()).stream()
                .map(node -> node.process.toHandle()).toList(), Duration.ofSeconds(20));
        for (CortexProcess node : nodes) {
            node.close();
            LiveTestnet.removeAeronDirectory(node.output()); // a node killed after the grace leaves it
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void threeNodesFormOneClusterFromThePodsTheApiLists() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new JsonCrudDispatcher(), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient client = server.createClient()) {
            for (int i = 1; i <= NODES; i++) {
                Pod pod = client.pods().inNamespace(NAMESPACE).resource(pod(i)).create();
                pod.setStatus(pod(i).getStatus());
                client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
            }
            // a pod of another application in the namespace, which discovery must pass over
            client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName("postgres-0")
                    .addToLabels("app", "postgres").endMetadata().build()).create();
        }
        int before = server.getRequestCount();

        // what a pod's service account mounts: the API server's CA, a token, the namespace
        Path account = Files.createDirectories(work.resolve("serviceaccount"));
        Files.copy(Path.of(server.getSelfSignedCertificate().certificatePath()), account.resolve("ca.crt"));
        Files.writeString(account.resolve("token"), "test-token", StandardCharsets.UTF_8);
        Files.writeString(account.resolve("namespace"), NAMESPACE, StandardCharsets.UTF_8);
        Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "localhost",
                "KUBERNETES_SERVICE_PORT", Integer.toString(server.getPort()));

        long started = System.nanoTime();
        for (int i = 1; i <= NODES; i++) {
            Path dir = Files.createDirectories(work.resolve("k" + i));
            Path config = dir.resolve("node.conf");
            Files.writeString(config, "cortex.network.subnets = []\n"
                    + "cortex.ledger.h2.directory = \"" + dir.resolve("ledger") + "\"\n"
                    + "pekko.discovery.kubernetes-api {\n"
                    + "  api-ca-path = \"" + account.resolve("ca.crt") + "\"\n"
                    + "  api-token-path = \"" + account.resolve("token") + "\"\n"
                    + "  pod-namespace-path = \"" + account.resolve("namespace") + "\"\n"
                    + "}\n", StandardCharsets.UTF_8);
            nodes.add(CortexProcess.start(dir.resolve("home"), dir.resolve("node.log"), env, "node", "--name", "k" + i,
                    "--config", config.toString(), "--host", ip(i), "--port", "25520", "--grpc-port", "50051",
                    "--ops-port", Integer.toString(MANAGEMENT_PORT), "--cluster-bootstrap", "--min-nodes", "3"));
        }

        for (int i = 1; i <= NODES; i++) {
            CortexProcess node = nodes.get(i - 1);
            try (Api api = new Api(ip(i) + ":50051", Tls.PLAINTEXT)) {
                StatusReply status = LiveTestnet.awaitValue(Duration.ofSeconds(150),
                        () -> "node k" + (nodes.indexOf(node) + 1) + " to see 3 members up; its log:\n" + node.output(),
                        () -> {
                            assertTrue(node.process.isAlive(), "a node exited:\n" + node.output());
                            StatusReply s = LiveTestnet.quietly(() -> api.ledger().status(StatusRequest.getDefaultInstance())
                                    .toCompletableFuture().get(5, TimeUnit.SECONDS));
                            return s != null && s.getClusterMembersUp() == NODES ? s : null;
                        });
                // one cluster: the same ledger singleton, on the lowest address, which formed it
                assertEquals("pekko://cortex@" + ip(1) + ":25520", status.getLedgerAddress());
            }
        }
        System.out.printf("KubernetesBootstrapTest: %d nodes started and formed one cluster in %.1f s%n", NODES,
                (System.nanoTime() - started) / 1e9);
        for (CortexProcess node : nodes) {
            assertTrue(node.output().contains("No seed nodes found in configuration, relying on Cluster Bootstrap"),
                    "a node had seed nodes configured:\n" + node.output());
        }
        // the nodes asked the API for the pods by label, in the namespace from the service account
        boolean listed = false;
        for (int n = server.getRequestCount() - before; n > 0; n--) {
            RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
            listed |= request != null && request.getPath().startsWith("/api/v1/namespaces/" + NAMESPACE + "/pods")
                    && request.getPath().contains("labelSelector=app%3Dcortex")
                    && "Bearer test-token".equals(request.getHeader("Authorization"));
        }
        assertTrue(listed, "no node listed the pods labelled app=cortex with its token");
    }

    /**
     * The mock server's store of objects, answering as an API server does, with {@code application/json} (it
     * leaves the type out, and Pekko's discovery takes JSON only).
     */
    private static final class JsonCrudDispatcher extends KubernetesCrudDispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            return super.dispatch(request).setHeader("Content-Type", "application/json");
        }
    }

    private static String ip(int i) {
        return "127.0.0." + (20 + i);
    }

    /** A StatefulSet's pod as the API lists it once it runs: labelled, its management port named, its IP known. */
    private static Pod pod(int i) {
        return new PodBuilder()
                .withNewMetadata().withName("cortex-" + (i - 1)).withNamespace(NAMESPACE).addToLabels("app", "cortex").endMetadata()
                .withNewSpec().addNewContainer().withName("node").withImage("cortex:test")
                .addNewPort().withName("management").withContainerPort(MANAGEMENT_PORT).endPort()
                .addNewPort().withName("remoting").withContainerPort(25520).endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip(i)).endStatus()
                .build();
    }
}

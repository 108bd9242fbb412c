package io.cortex.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.sharding.ledger.LedgerStore;
import io.cortex.sharding.node.CortexNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node's operations endpoint, on a live node: {@code /alive}; {@code /metrics} parsed by the Prometheus
 * client's own parser (Debian's python3-prometheus-client) and stricter checks, with the query counters
 * moving while the validators' rounds flow; {@code /ready} true, false while the ledger's database is held
 * exclusively by another connection (nothing can write to the journal), and true again once it is released.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OpsEndpointTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern QUERIES = Pattern.compile("^cortex_queries_total\\{[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE);

    @Test
    void healthAndMetricsOfALiveNode() throws Exception {
        String python = python();
        try (TestCluster cluster = TestCluster.start(1, NetworkRuntimeTest.NETWORK, "")) {
            CortexNode node = cluster.nodes.get(0);
            assertEquals(200, status(node, "/alive"));
            TestCluster.await(Duration.ofSeconds(60), "ready", () -> status(node, "/ready") == 200);

            TestCluster.await(Duration.ofSeconds(90), "answered queries counted",
                    () -> get(node, "/metrics").body().contains("\ncortex_query_seconds_count{"));
            HttpResponse<String> first = get(node, "/metrics");
            assertTrue(first.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), first.headers().toString());
            String parsed = parse(python, first.body());
            assertTrue(parsed.startsWith("families "), parsed);
            for (String family : new String[] {"cortex_block_height", "cortex_block_interval_seconds", "cortex_journal_write_seconds",
                    "cortex_block_apply_seconds", "cortex_epoch_duration_seconds", "cortex_queries_total", "cortex_query_seconds",
                    "cortex_axon_events_total", "cortex_dendrite_events_total", "cortex_aeron_sessions", "cortex_sharded_entities",
                    "jvm_memory_used_bytes", "process_resident_memory_bytes", "process_resident_memory_peak_bytes"}) {
                assertTrue(Pattern.compile("^" + family + "(_bucket|_count|_sum)?[{ ]", Pattern.MULTILINE).matcher(first.body()).find(),
                        family + " in\n" + first.body());
            }
            assertTrue(Pattern.compile("^cortex_axon_events_total\\{event=\"served\"\\} [1-9]", Pattern.MULTILINE)
                    .matcher(first.body()).find(), "the axon counted queries served:\n" + first.body());
            assertTrue(Pattern.compile("^cortex_aeron_sessions\\{side=\"dendrite\"\\} [1-9]", Pattern.MULTILINE)
                    .matcher(first.body()).find(), "the validators' sessions to miners:\n" + first.body());
            java.util.regex.Matcher rss = Pattern.compile("^process_resident_memory_bytes (\\S+)$", Pattern.MULTILINE)
                    .matcher(first.body());
            assertTrue(rss.find() && Double.parseDouble(rss.group(1)) > 64e6, "a node's resident set, over 64 MB:\n" + first.body());
            double before = queries(first.body());
            TestCluster.await(Duration.ofSeconds(30), "the query counters moving", () -> queries(get(node, "/metrics").body()) > before);

            // nothing can write to the journal while another connection holds the database exclusively
            String url = LedgerStore.h2Url(Path.of(node.system().settings().config().getString("cortex.ledger.h2.directory")));
            try (Connection exclusive = DriverManager.getConnection(url, "sa", "");
                 Statement s = exclusive.createStatement()) {
                s.execute("SET EXCLUSIVE 1");
                try {
                    TestCluster.await(Duration.ofSeconds(30), "not ready while the journal cannot be written",
                            () -> status(node, "/ready") != 200);
                } finally {
                    s.execute("SET EXCLUSIVE 0");
                }
            }
            TestCluster.await(Duration.ofSeconds(60), "ready again", () -> status(node, "/ready") == 200);
        }
    }

    static double queries(String metrics) {
        double sum = 0;
        Matcher m = QUERIES.matcher(metrics);
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    static HttpResponse<String> get(CortexNode node, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + node.opsAddress() + path))
                    .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int status(CortexNode node, String path) {
        return get(node, path).statusCode();
    }

    /** Debian's python3 with its prometheus-client, which .ci/run installs; a skip elsewhere, a failure in CI. */
    static String python() {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        String missing;
        try {
            Process p = new ProcessBuilder(python, "-c", "import prometheus_client.parser").redirectErrorStream(true).start();
            missing = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null
                    : "no prometheus_client for " + python + " (apt-get install python3-prometheus-client)";
        } catch (IOException | InterruptedException e) {
            missing = "no " + python + ": " + e.getMessage();
        }
        if (missing != null) {
            assertNull(System.getenv("CORTEX_CI"), "OpsEndpointTest cannot run in CI: " + missing);
            Assumptions.abort(missing);
        }
        return python;
    }

    static String parse(String python, String metrics) throws IOException, InterruptedException {
        Path script = Files.createTempFile("prometheus_check", ".py");
        try (InputStream in = OpsEndpointTest.class.getResourceAsStream("/prometheus_check.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder(python, script.toString()).redirectErrorStream(true).start();
            p.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the parser did not finish");
            assertEquals(0, p.exitValue(), "the Prometheus parser refused the metrics: " + out);
            return out;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}

package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.CortexCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cortex node}: a real node process that produces epochs and, on SIGTERM, leaves and cleans up; with
 * {@code --log-format json} its log is one JSON object a line.
 */
class NodeCommandTest {

    @Test
    void aBadSeedNodeIsAUsageError() {
        StringWriter err = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        assertEquals(2, cli.execute("node", "--seed-node", "not a node"));
        assertTrue(err.toString().contains("HOST:PORT"), err.toString());
    }

    @Test
    void clusterBootstrapWantsAFixedOpsPortAnAddressOfItsOwnAndNoSeedNodes() {
        String[][] refused = {
            {"node", "--cluster-bootstrap"},
            {"node", "--cluster-bootstrap", "--ops-port", "8558", "--host", "0.0.0.0"},
            {"node", "--cluster-bootstrap", "--ops-port", "8558", "--seed-node", "127.0.0.1:25520"}};
        String[] why = {"cortex.node.ops.port", "--advertise", "give no --seed-node"};
        for (int i = 0; i < refused.length; i++) {
            StringWriter err = new StringWriter();
            var cli = CortexCli.commandLine();
            cli.setErr(new PrintWriter(err, true));
            assertEquals(2, cli.execute(refused[i]), String.join(" ", refused[i]) + ": " + err);
            assertTrue(err.toString().contains(why[i]), err.toString());
        }
    }

    @Test
    void aMissingConfigFileIsAUsageError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        assertEquals(2, cli.execute("node", "--config", dir.resolve("absent.conf").toString()));
        assertTrue(err.toString().contains("absent.conf"), err.toString());
    }

    @Test
    void aBadValueInTheFileNamesItsPath(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, "cortex.network.subnets = [{ mechanism = nonsense, owner = bob,"
                + " miners { count = 2, quality-low = 0, quality-high = 1 }, validators { count = 1, stake-tao = 10 } }]");
        StringWriter err = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        assertEquals(2, cli.execute("node", "--config", conf.toString()));
        assertTrue(err.toString().contains("subnets[0].mechanism"), err.toString());
    }

    @Test
    void pekkosMinimumMembersIsRefusedForItWouldStrandALostOldestNodesNeurons(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, "pekko.cluster.min-nr-of-members = 3\n");
        StringWriter err = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        assertEquals(2, cli.execute("node", "--config", conf.toString()));
        assertTrue(err.toString().contains("min-nr-of-members") && err.toString().contains("cortex.node.min-nodes"),
                err.toString());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aNodeProcessRunsEpochsAndLeavesCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        Path aeron = dir.resolve("aeron");
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, """
                cortex.node.aeron.directory = "%s"
                cortex.network.block-time = 50ms
                cortex.node.grpc.port = 0
                cortex.ledger.h2.directory = "%s"
                """.formatted(aeron.toString().replace("\\", "/"), dir.resolve("ledger").toString().replace("\\", "/")));
        int port = freeTcpPort();
        Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), CortexCli.class.getName(),
                "node", "--config", conf.toString(), "--name", "solo", "--port", Integer.toString(port),
                "--seed-node", "127.0.0.1:" + port, "--log-format", "json")
                .start();
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch epochTwoOrEnd = new CountDownLatch(1); // the node's "netuid 1 epoch 2:" line, or the end of its log
        Thread outReader = reader(node.getInputStream(), out, null);
        Thread logReader = reader(node.getErrorStream(), log, epochTwoOrEnd);
        try {
            boolean inTime = epochTwoOrEnd.await(90, TimeUnit.SECONDS);
            assertTrue(out.stream().anyMatch(l -> l.startsWith("node solo up: cluster port " + port)), String.join("\n", out));
            assertTrue(log.stream().anyMatch(l -> l.contains("netuid 1 epoch 2:")), (inTime ? "the node's log ended"
                    : "90 s passed") + " before 'netuid 1 epoch 2:'\n" + String.join("\n", log));
            assertTrue(Files.isDirectory(aeron), "the node's Aeron directory exists while it runs");

            // SIGTERM through the handle: Process.destroy would also close the pipes we read the node's output from
            node.toHandle().destroy();
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node did not stop");
            outReader.join(5_000);
            logReader.join(5_000);
            String all = String.join("\n", log);
            assertTrue(all.contains("Exiting completed"), "the node (exit " + node.exitValue()
                    + ") did not leave the cluster:\n" + all);
            assertFalse(Files.exists(aeron), "the Aeron directory is left behind");

            // --log-format json: every line of the log one JSON object, the node named in each, and the epoch
            // lines carrying netuid, block and epoch as fields
            ObjectMapper json = new ObjectMapper();
            boolean epochFields = false;
            for (String line : log) {
                JsonNode entry = json.readTree(line);
                assertTrue(entry.isObject() && entry.hasNonNull("level") && entry.hasNonNull("formattedMessage"), line);
                assertEquals("solo", entry.path("context").path("properties").path("node").asText(), line);
                if (entry.path("formattedMessage").asText().contains("netuid 1 epoch 2:")) {
                    Map<String, String> fields = new HashMap<>();
                    entry.path("kvpList").forEach(kv -> kv.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText())));
                    assertEquals("1", fields.get("netuid"), line);
                    assertEquals("2", fields.get("epoch"), line);
                    assertTrue(fields.get("block") != null && Long.parseLong(fields.get("block")) > 0, line);
                    epochFields = true;
                }
            }
            assertTrue(epochFields, "an epoch line with its fields:\n" + all);
        } finally {
            node.destroyForcibly();
        }
    }

    /** Reads {@code from} line by line into {@code lines}; counts {@code epochTwoOrEnd} down at epoch 2 or the end. */
    private static Thread reader(java.io.InputStream from, List<String> lines, CountDownLatch epochTwoOrEnd) {
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    if (epochTwoOrEnd != null && line.contains("netuid 1 epoch 2:")) {
                        epochTwoOrEnd.countDown();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                if (epochTwoOrEnd != null) {
                    epochTwoOrEnd.countDown();
                }
            }
        });
        reader.start();
        return reader;
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

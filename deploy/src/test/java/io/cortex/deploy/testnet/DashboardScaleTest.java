package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.cortex.deploy.cli.Api;
import com.typesafe.config.ConfigFactory;
import io.cortex.actors.plan.NetworkPlan;
import io.cortex.deploy.CortexCli;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.TransactionCodec;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.EpochRequest;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.SubmitReply;
import io.cortex.protocol.api.SubmitRequest;
import io.cortex.protocol.api.SubnetsRequest;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import io.cortex.sharding.ledger.Genesis;
import io.cortex.sharding.node.CortexNode;
import io.cortex.sharding.node.NodeSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard at the size the issue names, 64 subnets of 256 uids, in a real browser against a real node
 * process: a node starts with one subnet (hosting a miner and a validator), the dev accounts create and start 63
 * more through the gRPC API, and 256 coldkeys of the test's own register a hotkey on every subnet, as outside
 * neurons do; 16 of them stake and set weights on all 256 uids of subnet 1. Each view must show everything within {@link #USABLE}, from
 * navigating to it to the last of its data drawn; the times, and the size of the JSON each view reads, are
 * printed (BENCHMARKS.md, "Dashboard at 64 subnets x 256 uids").
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DashboardScaleTest {
    static final int SUBNETS = 64;
    static final int UIDS = 256;
    static final int SETTERS = 16;
    static final Duration USABLE = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyViewIsDrawnInSecondsAt64SubnetsOf256Uids(@TempDir Path dir) throws Exception {
        DashboardTest.browserOrSkip();
        int grpc = Testnet.freeTcpPort();
        int ops = Testnet.freeTcpPort();
        int cluster = Testnet.freeTcpPort();
        Path conf = dir.resolve("node.conf");
        Files.writeString(conf, config(dir, grpc, ops));
        Path chain = dir.resolve("chain.json");
        chainSpec(conf).write(chain);
        Path log = dir.resolve("node.log");
        Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                CortexCli.class.getName(), "node", "--config", conf.toString(), "--chain", chain.toString(), "--name", "big",
                "--port", Integer.toString(cluster), "--seed-node", "127.0.0.1:" + cluster)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Api api = new Api("127.0.0.1:" + grpc)) {
            LiveTestnet.awaitUntil(Duration.ofSeconds(90), () -> "the genesis subnet; the node's log:\n" + tail(log), () -> {
                try {
                    return api.call(api.ledger().status(StatusRequest.getDefaultInstance())).getSubnets() == 1;
                } catch (RuntimeException e) {
                    return false;
                }
            });
            populate(api);
            assertEquals(SUBNETS, api.call(api.ledger().status(StatusRequest.getDefaultInstance())).getSubnets());
            long[] started = new long[1];

            // an epoch of subnet 1 with the setters' weights
            LiveTestnet.awaitUntil(Duration.ofSeconds(60), () -> "subnet 1's weights in an epoch", () -> {
                String input = api.call(api.ledger().epoch(EpochRequest.newBuilder().setNetuid(1).setEpoch(-1).build()))
                        .getInputJson();
                int rows = 0;
                for (JsonNode row : tree(input).path("weights")) {
                    rows += row.size() >= UIDS - 1 ? 1 : 0;
                }
                return rows >= SETTERS;
            });
            Map<String, Long> sizes = new LinkedHashMap<>();
            for (String path : List.of("subnets", "emission", "subnet?netuid=1", "epochs?netuid=1&last=16",
                    "epoch?netuid=1", "queries?netuid=1", "epochs?netuid=1&last=32")) {
                sizes.put(path, (long) HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + ops + "/api/" + path)).build(), HttpResponse.BodyHandlers.ofByteArray()).body().length);
            }

            Files.createDirectories(Path.of("target", "dashboard"));
            ChromeDriver browser = DashboardTest.browser();
            try {
                JavascriptExecutor js = browser;
                Map<String, Long> drawn = new LinkedHashMap<>();
                String base = "http://127.0.0.1:" + ops + "/";
                drawn.put("network", timed(() -> browser.get(base), () ->
                        browser.findElements(By.cssSelector("#subnets tbody tr")).size() == SUBNETS
                                && "64".equals(browser.findElement(By.id("emission-chart")).getAttribute("data-netuids"))));
                DashboardTest.shot(browser, Path.of("target", "dashboard", "network-64-subnets.png"));
                drawn.put("subnet 1", timed(() -> browser.get(base + "#/subnet/1"), () ->
                        browser.findElements(By.cssSelector("#metagraph tbody tr")).size() == UIDS
                                && Integer.parseInt(attribute(browser, "weights", "data-rows")) >= SETTERS
                                && Integer.parseInt(attribute(browser, "chart", "data-epochs")) >= 2
                                && !attribute(browser, "answers", "data-queries").isEmpty()));
                assertEquals(Integer.toString(UIDS), attribute(browser, "weights", "data-columns"), "a column a uid");
                DashboardTest.shot(browser, Path.of("target", "dashboard", "subnet-256-uids.png"));
                drawn.put("subnet 64", timed(() -> browser.get(base + "#/subnet/64"), () ->
                        "64".equals(attribute(browser, "metagraph", "data-netuid"))
                                && browser.findElements(By.cssSelector("#metagraph tbody tr")).size() == UIDS));
                drawn.put("neuron", timed(() -> browser.get(base + "#/neuron/1/200"), () ->
                        attribute(browser, "neuron-history", "data-loaded").startsWith("1/200/")));
                drawn.put("explain", timed(() -> browser.get(base + "#/explain/1/200/-1"), () ->
                        attribute(browser, "explain", "data-loaded").equals("1/200/-1")));
                long heap = ((Number) js.executeScript("return performance.memory ? performance.memory.usedJSHeapSize : 0"))
                        .longValue();
                StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                        "dashboard at %d subnets x %d uids: drawn in", SUBNETS, UIDS));
                drawn.forEach((view, ms) -> report.append(String.format(Locale.ROOT, " %s %d ms,", view, ms)));
                report.append(String.format(Locale.ROOT, " page heap %.1f MB; JSON read:", heap / 1e6));
                sizes.forEach((path, bytes) -> report.append(String.format(Locale.ROOT, " /api/%s %.0f kB,", path, bytes / 1e3)));
                System.out.println(report.substring(0, report.length() - 1));
                drawn.forEach((view, ms) -> assertTrue(ms <= USABLE.toMillis(), view + " took " + ms + " ms: " + report));
            } finally {
                browser.quit();
            }
        } finally {
            node.destroy();
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    /** Subnet 1 at genesis, taking weights directly and hosting a miner and a validator; blocks of 100 ms. */
    private static String config(Path dir, int grpc, int ops) {
        return """
                cortex.node.aeron.directory = "%s"
                cortex.node.grpc.port = %d
                cortex.node.ops.port = %d
                cortex.ledger.h2.directory = "%s"
                cortex.network.block-time = 100ms
                cortex.network.subnets = [
                  { mechanism = compute, owner = alice, hyperparameters { tempo = 20, min_burn = 1000,
                    burn_increase_milli = 1000, commit_reveal = 0, weights_rate_limit = 0 },
                    miners { count = 1, quality-low = 1, quality-high = 1 }, validators { count = 1, stake-tao = 100 } }
                ]
                """.formatted(dir.resolve("aeron").toString().replace('\\', '/'), grpc, ops,
                dir.resolve("ledger").toString().replace('\\', '/'));
    }

    /**
     * The node's dev spec, but with a subnet's lock back to the last one paid after a block (so that the test
     * can create 63 subnets at 100 TAO each), and registration cheap and flat in every new subnet.
     */
    private static ChainSpec chainSpec(Path conf) {
        NetworkPlan plan = NodeSettings.plan(CortexNode.configuration(ConfigFactory.parseFile(conf.toFile()))
                .getConfig("cortex.network"));
        ChainSpec dev = Genesis.devSpec(plan);
        LedgerConfig ledger = dev.ledger().withLockReductionInterval(1).withSubnetDefaults(dev.ledger().subnetDefaults()
                .with("min_burn", 1000).with("burn_increase_milli", 1000));
        return new ChainSpec(dev.networkId(), ledger, dev.subnets());
    }

    /**
     * 256 coldkeys funded by the dev accounts, each registering one hotkey on every subnet until it holds 256
     * uids; then 16 of them stake on subnet 1 and, once permitted, set weights on all its uids.
     */
    private static void populate(Api api) throws Exception {
        List<Keypair> coldkeys = new ArrayList<>();
        List<Keypair> hotkeys = new ArrayList<>();
        for (int i = 0; i < UIDS; i++) {
            coldkeys.add(Keypair.generate());
            hotkeys.add(Keypair.generate());
        }
        List<Keypair> devs = DevKeys.NAMES.stream().map(DevKeys::coldkey).toList();
        long[] devNonce = new long[devs.size()];
        for (int d = 0; d < devs.size(); d++) {
            devNonce[d] = nonce(api, devs.get(d));
        }
        for (int wave = 0; wave * devs.size() < UIDS; wave++) {
            int first = wave * devs.size();
            wave(api, Math.min(devs.size(), UIDS - first), d -> SignedTransaction.sign(devs.get(d), devNonce[d]++,
                    new Transaction.Transfer(coldkeys.get(first + d).address(), Rao.tao(200))));
        }
        // 63 more subnets, one a block (each pays the last lock), by the dev accounts, then started by them
        for (int netuid = 2; netuid <= SUBNETS; netuid++) {
            int d = netuid % devs.size();
            Keypair ownerHotkey = Keypair.generate();
            wave(api, 1, i -> SignedTransaction.sign(devs.get(d), devNonce[d]++, new Transaction.CreateSubnet(ownerHotkey.address())));
        }
        for (int first = 2; first <= SUBNETS; first += devs.size()) {
            int from = first;
            wave(api, Math.min(devs.size(), SUBNETS - first + 1), i -> {
                int d = (from + i) % devs.size();
                return SignedTransaction.sign(devs.get(d), devNonce[d]++, new Transaction.StartSubnet(from + i));
            });
        }
        long[] coldNonce = new long[UIDS];
        for (int netuid = 1; netuid <= SUBNETS; netuid++) {
            int n = netuid;
            int already = api.call(api.ledger().subnets(SubnetsRequest.getDefaultInstance())).getSubnets(netuid - 1).getN();
            wave(api, UIDS - already, c -> SignedTransaction.sign(coldkeys.get(c), coldNonce[c]++,
                    new Transaction.RegisterNeuron(n, hotkeys.get(c).address(), 0)));
        }
        wave(api, SETTERS, c -> SignedTransaction.sign(coldkeys.get(c), coldNonce[c]++,
                new Transaction.AddStake(hotkeys.get(c).address(), 1, Rao.tao(50), 0)));
        // permits come with the next epoch of subnet 1 (tempo 20): weights from a uid without one are refused
        long epochs = api.call(api.ledger().subnets(SubnetsRequest.getDefaultInstance())).getSubnets(0).getEpochIndex();
        LiveTestnet.awaitUntil(Duration.ofSeconds(30), () -> "an epoch of subnet 1 after the stakes", () ->
                api.call(api.ledger().subnets(SubnetsRequest.getDefaultInstance())).getSubnets(0).getEpochIndex() >= epochs + 1);
        int[] uids = new int[UIDS];
        for (int u = 0; u < UIDS; u++) {
            uids[u] = u;
        }
        wave(api, SETTERS, c -> {
            int[] values = new int[UIDS];
            for (int u = 0; u < UIDS; u++) {
                values[u] = 1 + (u * 7919 + c * 104729) % 65_535; // every setter weighs every uid, differently
            }
            return SignedTransaction.sign(hotkeys.get(c), 0, new Transaction.SetWeights(1, uids, values, 0));
        });
    }

    /** Submits {@code count} transactions at once (one per signer: their nonces need no order) and awaits them all. */
    private static void wave(Api api, int count, IntFunction<SignedTransaction> tx) {
        List<CompletableFuture<SubmitReply>> replies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            replies.add(api.ledger().submit(SubmitRequest.newBuilder()
                    .setTransaction(ByteString.copyFrom(TransactionCodec.encode(tx.apply(i)))).build()).toCompletableFuture());
        }
        for (CompletableFuture<SubmitReply> r : replies) {
            SubmitReply reply = r.orTimeout(60, TimeUnit.SECONDS).join();
            assertTrue(reply.getAccepted(), reply.getReason() + ": " + reply.getDetail());
        }
    }

    private static long nonce(Api api, Keypair account) {
        return api.call(api.ledger().nonce(AccountRequest.newBuilder().setAddress(account.address().toString()).build()))
                .getNext();
    }

    /** Milliseconds from {@code start} until {@code drawn} holds (checked every 50 ms, for at most a minute). */
    private static long timed(Runnable start, java.util.function.BooleanSupplier drawn) throws InterruptedException {
        long begun = System.nanoTime();
        start.run();
        while (System.nanoTime() - begun < TimeUnit.MINUTES.toNanos(1)) {
            try {
                if (drawn.getAsBoolean()) {
                    return (System.nanoTime() - begun) / 1_000_000;
                }
            } catch (RuntimeException e) {
                // an element not there yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the view was not drawn within a minute");
    }

    private static String attribute(ChromeDriver browser, String id, String name) {
        String value = browser.findElement(By.id(id)).getAttribute(name);
        return value == null ? "" : value;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}

package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser (Debian's headless Chromium, through Selenium) against a live 3-node testnet:
 * the metagraph table lists every uid with the numbers {@code cortex metagraph --json} gives for the same
 * epoch; the chart holds at least two epochs; the weights heatmap has the epoch's recorded validators and
 * uids; the explain view's numbers are {@code cortex explain --json}'s for
 * the same uid and epoch; the block height advances, pushed by the node, without the page loading again.
 * Screenshots (1280 px wide, the whole page) land in {@code deploy/target/dashboard/}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DashboardTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final LiveTestnet testnet = new LiveTestnet(20);

    @Test
    void theDashboardShowsWhatTheCliShows() throws Exception {
        browserOrSkip();
        TestnetState state = testnet.up(3, 6, 2);
        String ops = state.nodes().get(0).ops();
        Path shots = Path.of("target", "dashboard");
        Files.createDirectories(shots);

        ChromeDriver browser = browser();
        try {
            browser.get("http://" + ops + "/#/subnet/1");
            JavascriptExecutor js = browser;

            // the chart holds at least two epochs (the page reads the archive, then each epoch as it is pushed)
            LiveTestnet.awaitUntil(Duration.ofSeconds(90), () -> "a chart of two epochs", () ->
                    Integer.parseInt(attribute(browser, "chart", "data-epochs", "0")) >= 2);
            // read once the page's script has run (right after get() it may not have yet)
            String pageLoad = (String) js.executeScript("return window.cortexPageLoad");
            assertTrue(pageLoad != null, "the page's script ran");

            // every uid, with the CLI's numbers for the epoch the page shows (the table as one snapshot: a pushed
            // epoch redraws it), one that paid a miner: until the activity cutoff after they registered, the owner's and
            // the miners' stake counts with no weights, and for a few epochs it can outweigh the validators' (Yuma's
            // rules; ChaosTest says more), when no miner earns
            JsonNode[] cli = new JsonNode[1];
            JsonNode[] page = new JsonNode[1];
            LiveTestnet.awaitUntil(Duration.ofSeconds(90), () -> "the page and the CLI on the same epoch, one that paid a miner",
                    () -> {
                cli[0] = tree(CliRun.ok("metagraph", "--netuid", "1", "--json").out());
                page[0] = tree((String) js.executeScript("return JSON.stringify({epoch: document.getElementById('metagraph')"
                        + ".dataset.epoch, rows: [...document.querySelectorAll('#metagraph tbody tr')].map(tr => ({...tr.dataset}))})"));
                boolean paid = false;
                for (JsonNode n : cli[0].path("neurons")) {
                    paid |= n.path("incentive").asInt() > 0;
                }
                return paid && page[0].path("epoch").asText().equals(cli[0].path("epochIndex").asText("0"));
            });
            JsonNode rows = page[0].path("rows");
            JsonNode neurons = cli[0].path("neurons");
            assertEquals(neurons.size(), rows.size(), "a row a uid");
            for (int i = 0; i < rows.size(); i++) {
                JsonNode r = rows.get(i);
                JsonNode n = neurons.get(i);
                String uid = n.path("uid").asText("0");
                assertEquals(uid, r.path("uid").asText());
                assertEquals(n.path("hotkey").asText(), r.path("hotkey").asText(), "uid " + uid);
                for (String field : List.of("stake", "validatorTrust", "consensus", "incentive", "dividends", "emission",
                        "axon", "hosted")) {
                    assertEquals(n.path(field).asText("0"), r.path(field).asText(), "uid " + uid + " " + field);
                }
            }
            // the weights heatmap: a row for each validator that set weights in the epoch, a column a uid, as the
            // epoch's recorded input (cortex explain --save-input) has them
            JsonNode[] heat = new JsonNode[1];
            LiveTestnet.awaitUntil(Duration.ofSeconds(30), () -> "the weights heatmap", () -> {
                heat[0] = tree((String) js.executeScript("return JSON.stringify({...document.getElementById('weights').dataset})"));
                return heat[0].path("rows").asInt(0) >= 1;
            });
            Path input = testnet.home().resolve("heatmap-input.json");
            CliRun.ok("explain", "--netuid", "1", "--uid", "0", "--epoch", heat[0].path("epoch").asText(), "--save-input",
                    input.toString());
            JsonNode recorded = tree(Files.readString(input));
            int setters = 0;
            for (JsonNode row : recorded.path("weights")) {
                setters += row.size() > 0 ? 1 : 0;
            }
            assertEquals(setters, heat[0].path("rows").asInt(), "validators with weights in epoch " + heat[0].path("epoch"));
            assertEquals(recorded.path("n").asInt(), heat[0].path("columns").asInt(), "a column a uid");
            // the miners' answers: what every node's validators saw, between what the nodes' /metrics counted
            // before the page asked and after
            long before = queriesCounted(state, 1);
            long asked = ((Number) js.executeScript("const t = Date.now(); answers(1); return t")).longValue();
            LiveTestnet.awaitUntil(Duration.ofSeconds(30), () -> "the miners' answers asked for after /metrics was read",
                    () -> Long.parseLong(attribute(browser, "answers", "data-asked-at", "0")) >= asked);
            // the subnet's total and the rows' from the same reply: one script, between two of the page's events
            JsonNode answers = tree((String) js.executeScript("return JSON.stringify({counted: Number(document"
                    + ".getElementById('answers').dataset.queries), perMiner: [...document.querySelectorAll('#metagraph tbody tr')]"
                    + ".reduce((s, tr) => s + Number(tr.dataset.queries || 0), 0)})"));
            long counted = answers.path("counted").asLong();
            long perMiner = answers.path("perMiner").asLong();
            long after = queriesCounted(state, 1);
            assertEquals("3", attribute(browser, "answers", "data-nodes", ""), "every node answered");
            assertTrue(before > 0 && before <= counted && counted <= after,
                    "queries: /metrics " + before + " before, page " + counted + ", /metrics " + after + " after");
            assertTrue(perMiner > 0 && perMiner <= counted, "a row's queries, summed: " + perMiner + " of " + counted);
            shot(browser, shots.resolve("subnet.png"));

            // the explain view of a miner the last epoch paid, against cortex explain --json
            JsonNode paid = null;
            for (JsonNode n : neurons) {
                if (n.path("incentive").asInt() > 0) {
                    paid = n;
                    break;
                }
            }
            assertTrue(paid != null, "a miner earning incentive: " + neurons);
            String uid = paid.path("uid").asText("0");
            // the metagraph's epoch index counts the epochs run: the last one is one less
            String epoch = Long.toString(cli[0].path("epochIndex").asLong() - 1);
            browser.get("http://" + ops + "/#/explain/1/" + uid + "/" + epoch);
            LiveTestnet.awaitUntil(Duration.ofSeconds(30), () -> "the explain view", () ->
                    ("1/" + uid + "/" + epoch).equals(attribute(browser, "explain", "data-loaded", "")));
            JsonNode explained = tree(CliRun.ok("explain", "--netuid", "1", "--uid", uid, "--epoch", epoch, "--json").out());
            JsonNode shown = tree((String) js.executeScript("return JSON.stringify(Object.fromEntries([...document"
                    + ".querySelectorAll('#explain tbody tr')].map(tr => [tr.dataset.field, tr.cells[1].textContent])))"));
            int compared = 0;
            for (java.util.Iterator<String> f = shown.fieldNames(); f.hasNext(); ) {
                String field = f.next();
                if (explained.has(field)) {
                    JsonNode expected = explained.get(field);
                    String actual = shown.get(field).asText();
                    if (expected.isNumber() || expected.isTextual() && expected.asText().matches("-?\\d+")) {
                        // the same number (JSON's 0.0 is JavaScript's 0; int64s are strings in protobuf's JSON)
                        assertEquals(new java.math.BigDecimal(expected.asText()).compareTo(new java.math.BigDecimal(actual)), 0,
                                field + ": " + expected + " vs " + actual);
                    } else {
                        assertEquals(expected.asText(), actual, field);
                    }
                    compared++;
                }
            }
            assertTrue(compared >= 10, "compared " + compared + " of the explanation's fields");
            shot(browser, shots.resolve("explain.png"));

            // the neuron's history: its epochs, each one's payouts as cortex explain gives them
            browser.get("http://" + ops + "/#/neuron/1/" + uid);
            LiveTestnet.awaitUntil(Duration.ofSeconds(30), () -> "the neuron's history", () ->
                    attribute(browser, "neuron-history", "data-loaded", "").startsWith("1/" + uid + "/"));
            JsonNode history = tree((String) js.executeScript("return JSON.stringify([...document.querySelectorAll("
                    + "'#neuron-history tbody tr')].map(tr => ({...tr.dataset})))"));
            assertTrue(history.size() >= 2, "two epochs or more: " + history);
            JsonNode thatEpoch = null;
            for (JsonNode h : history) {
                thatEpoch = h.path("epoch").asText().equals(epoch) ? h : thatEpoch;
            }
            assertTrue(thatEpoch != null, "epoch " + epoch + " in " + history);
            assertEquals(explained.path("minerPaid").asText("0"), thatEpoch.path("minerPaid").asText(), "paid as a miner");
            assertEquals(explained.path("validatorPaid").asText("0"), thatEpoch.path("validatorPaid").asText(),
                    "paid as a validator");
            shot(browser, shots.resolve("neuron.png"));

            // the block height the node pushes moves on, on the same page load
            long height = Long.parseLong(browser.findElement(By.id("height")).getText());
            LiveTestnet.awaitUntil(Duration.ofSeconds(30), () -> "the block feed advancing", () ->
                    Long.parseLong(browser.findElement(By.id("height")).getText()) > height + 3);
            assertEquals(pageLoad, js.executeScript("return window.cortexPageLoad"), "the page was not loaded again");
            browser.get("http://" + ops + "/");
            LiveTestnet.awaitUntil(Duration.ofSeconds(30), () -> "the subnets table and the emission chart",
                    () -> !browser.findElements(By.cssSelector("#subnets tbody tr")).isEmpty()
                            && Integer.parseInt(attribute(browser, "emission-chart", "data-blocks", "0")) >= 2);
            // each subnet's share of emission, with the policy's reason, as cortex subnet list --json has them
            JsonNode subnets = tree(CliRun.ok("subnet", "list", "--json").out());
            assertEquals(subnets.path("emissionPolicy").asText(), browser.findElement(By.id("policy")).getText());
            JsonNode shares = tree((String) js.executeScript("return JSON.stringify([...document.querySelectorAll("
                    + "'#subnets tbody tr')].map(tr => ({netuid: tr.dataset.netuid, share: Number(tr.dataset.share), "
                    + "why: tr.cells[7].textContent})))"));
            assertEquals(subnets.path("subnets").size(), shares.size(), "a row a subnet");
            java.util.Map<String, JsonNode> byNetuid = new java.util.HashMap<>();
            subnets.path("subnets").forEach(s -> byNetuid.put(s.path("netuid").asText(), s));
            double sum = 0;
            for (JsonNode share : shares) {
                double x = share.path("share").asDouble();
                JsonNode listed = byNetuid.get(share.path("netuid").asText());
                assertTrue(listed != null, "subnet " + share.path("netuid") + " is listed by the CLI: " + subnets);
                assertTrue(x > 0 && x <= 1, "subnet " + share.path("netuid") + " emits: " + share);
                // the page read its table a few blocks before the CLI: the moving signals behind a share have moved
                // a little since, so shares agree to 0.02 and reasons word for word but for their numbers
                assertEquals(listed.path("emissionShare").asDouble(), x, 0.02, "subnet " + share.path("netuid") + "'s share");
                assertEquals(listed.path("emissionReason").asText().replaceAll("[0-9.,]+", "#"),
                        share.path("why").asText().replaceAll("[0-9.,]+", "#"), "subnet " + share.path("netuid") + "'s reason");
                sum += x;
            }
            assertTrue(sum <= 1 + 1e-9, "shares sum to at most 1: " + sum);
            assertEquals(Integer.toString(subnets.path("subnets").size()), attribute(browser, "emission-chart", "data-netuids", ""),
                    "every subnet's emission charted");
            shot(browser, shots.resolve("network.png"));
        } finally {
            browser.quit();
        }
    }

    /** The queries to subnet {@code netuid}'s miners that every node's /metrics has counted. */
    private static long queriesCounted(TestnetState state, int netuid) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        double total = 0;
        for (TestnetState.Node node : state.nodes()) {
            String ops = node.ops();
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + ops + "/metrics"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("cortex_queries_total{") && line.contains("netuid=\"" + netuid + "\"")) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return (long) total;
    }

    /** Headless Chromium through its driver, 1280 px wide. */
    static ChromeDriver browser() {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        return new ChromeDriver(service, options);
    }

    private static String attribute(ChromeDriver browser, String id, String name, String absent) {
        String value = browser.findElement(By.id(id)).getAttribute(name);
        return value == null ? absent : value;
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    /** The whole page, 1280 px wide. */
    static void shot(ChromeDriver browser, Path file) throws Exception {
        long height = ((Number) browser.executeScript("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new Dimension(1280, (int) Math.max(900, Math.min(height + 40, 8000))));
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    /** Debian's chromium and chromium-driver, which .ci/run installs; a skip elsewhere, a failure in CI. */
    static void browserOrSkip() {
        String missing = !Files.isExecutable(CHROMIUM) ? "no " + CHROMIUM + " (apt-get install chromium)"
                : !Files.isExecutable(DRIVER) ? "no " + DRIVER + " (apt-get install chromium-driver)" : null;
        if (missing != null) {
            assertNull(System.getenv("CORTEX_CI"), "DashboardTest cannot run in CI: " + missing);
            Assumptions.abort(missing);
        }
    }
}

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
        String ops = Testnet.opsAddress(state.nodes().get(0).log()).orElseThrow();
        Path shots = Path.of("target", "dashboard");
        Files.createDirectories(shots);

        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        ChromeDriver browser = new ChromeDriver(service, options);
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
            // epoch redraws it)
            JsonNode[] cli = new JsonNode[1];
            JsonNode[] page = new JsonNode[1];
            LiveTestnet.awaitUntil(Duration.ofSeconds(60), () -> "the page and the CLI on the same epoch", () -> {
                cli[0] = tree(CliRun.ok("metagraph", "--netuid", "1", "--json").out());
                page[0] = tree((String) js.executeScript("return JSON.stringify({epoch: document.getElementById('metagraph')"
                        + ".dataset.epoch, rows: [...document.querySelectorAll('#metagraph tbody tr')].map(tr => ({...tr.dataset}))})"));
                return page[0].path("epoch").asText().equals(cli[0].path("epochIndex").asText("0"));
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
                for (String field : List.of("stake", "validatorTrust", "consensus", "incentive", "dividends", "emission")) {
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

            // the block height the node pushes moves on, on the same page load
            long height = Long.parseLong(browser.findElement(By.id("height")).getText());
            LiveTestnet.awaitUntil(Duration.ofSeconds(30), () -> "the block feed advancing", () ->
                    Long.parseLong(browser.findElement(By.id("height")).getText()) > height + 3);
            assertEquals(pageLoad, js.executeScript("return window.cortexPageLoad"), "the page was not loaded again");
            browser.get("http://" + ops + "/");
            LiveTestnet.awaitUntil(Duration.ofSeconds(30), () -> "the subnets table",
                    () -> !browser.findElements(By.cssSelector("#subnets tbody tr")).isEmpty());
            shot(browser, shots.resolve("network.png"));
        } finally {
            browser.quit();
        }
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
    private static void shot(ChromeDriver browser, Path file) throws Exception {
        long height = ((Number) browser.executeScript("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new Dimension(1280, (int) Math.max(900, Math.min(height + 40, 8000))));
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    /** Debian's chromium and chromium-driver, which .ci/run installs; a skip elsewhere, a failure in CI. */
    private static void browserOrSkip() {
        String missing = !Files.isExecutable(CHROMIUM) ? "no " + CHROMIUM + " (apt-get install chromium)"
                : !Files.isExecutable(DRIVER) ? "no " + DRIVER + " (apt-get install chromium-driver)" : null;
        if (missing != null) {
            assertNull(System.getenv("CORTEX_CI"), "DashboardTest cannot run in CI: " + missing);
            Assumptions.abort(missing);
        }
    }
}

package io.cortex.deploy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.CortexCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cortex simulate}: progress, a summary, the CSV files and the HTML report; clear errors for bad scenarios. */
class SimulationReportTest {

    @TempDir
    Path dir;

    @Test
    void theCommandPrintsProgressAndWritesCsvAndAReportWithCharts() throws IOException {
        StringWriter out = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        int code = cli.execute("simulate", "../examples/scenarios/built-in-subnets.json", "--epochs", "6",
                "--out", dir.toString());

        assertEquals(0, code, out.toString());
        String text = out.toString();
        assertTrue(text.contains("epoch 6/6"), text);
        assertTrue(text.contains("policy net-tao-flow:") && text.contains("policy equal:"), text);
        assertTrue(text.contains("state-hash "), text);
        // the subnets open one a block, and their netuids put their epochs in different blocks (BENCHMARKS.md)
        assertTrue(text.contains("most epochs in one block: 1 of 3 subnets"), text);
        List<String> classes = Files.readAllLines(dir.resolve("classes.csv"));
        assertTrue(classes.get(0).startsWith("policy,epoch,netuid,mechanism,role,label,"));
        List<String> subnets = Files.readAllLines(dir.resolve("subnets.csv"));
        assertEquals(1 + 2 * 6 * 3, subnets.size(), "a row per policy, epoch and subnet");
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("<polyline"), "charts");
        assertTrue(html.contains("Emission policies compared"));
        assertTrue(html.contains("Dividends per stake by validator class"));
        assertTrue(html.contains("top miner against the baseline"));
    }

    @Test
    void aBadScenarioIsOneLineNamingTheField() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"subnets\": [{\"mechanism\": \"compute\", \"miners\": [{\"count\": 0}],"
                + " \"validators\": [{}]}]}");
        StringWriter err = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("simulate", bad.toString());

        assertTrue(code != 0);
        assertTrue(err.toString().contains("subnets[0].miners[0].count"), err.toString());
    }

    @Test
    void scenarioFieldsAreCheckedWithTheirPath() {
        String base = "{\"subnets\": [{\"mechanism\": \"compute\", \"miners\": [{}], \"validators\": [{}]}]";
        assertEquals("compute", Scenario.parse(base + "}", "x").subnets().get(0).mechanism());
        assertProblem(base + ", \"consensus\": \"pos\"}", "consensus");
        assertProblem(base + ", \"emission_policy\": \"fees\"}", "emission_policy");
        assertProblem(base + ", \"epochs\": 0}", "epochs");
        assertProblem(base + ", \"colour\": 1}", "colour: unknown field");
        assertProblem(base + ", \"hyperparameters\": {\"kappa\": 70000}}", "hyperparameters.kappa");
        assertProblem(base + ", \"hyperparameters\": {\"tempo\": 5}}", "hyperparameters.tempo");
        assertProblem("{\"subnets\": [{\"mechanism\": \"chess\", \"miners\": [{}], \"validators\": [{}]}]}",
                "subnets[0].mechanism");
        assertProblem("{\"subnets\": [{\"mechanism\": \"compute\", \"miners\": [{\"quality\": [0.9, 0.1]}], "
                + "\"validators\": [{}]}]}", "subnets[0].miners[0].quality");
        assertProblem("{\"subnets\": [{\"mechanism\": \"compute\", \"miners\": [{\"count\": 300}], "
                + "\"validators\": [{}]}]}", "uids");
        assertProblem("{\"subnets\": [{\"mechanism\": \"compute\", \"miners\": [{}], "
                + "\"validators\": [{\"class\": \"cabal\"}]}]}", "cabal miners");
        assertProblem(base + ", \"hyperparameters\": {\"weights_rate_limit\": 50}}", "the simulator sets it");
        assertProblem(base + ", \"warmup_epochs\": 0}", "warmup_epochs");
        assertProblem(base + ", \"pools\": {\"price\": 0}}", "pools.price");
        assertProblem(base + ", \"pools\": {\"depth\": 5}}", "pools.depth: unknown field");
        assertProblem(base + ", \"pools\": {\"flow_half_life\": 0.5}}", "pools.flow_half_life");
        assertProblem("{\"subnets\": [{\"mechanism\": \"compute\", \"demand\": [0.5, 0.1], \"miners\": [{}], "
                + "\"validators\": [{}]}]}", "subnets[0].demand");
        assertProblem("{\"subnets\": [{\"mechanism\": \"compute\", \"demand\": \"lots\", \"miners\": [{}], "
                + "\"validators\": [{}]}]}", "subnets[0].demand");
        Scenario paid = Scenario.parse("{\"pools\": {\"tao\": 5000, \"price\": 0.05}, \"subnets\": [{\"mechanism\": "
                + "\"compute\", \"repeat\": 3, \"demand\": [0, 1], \"miners\": [{}], \"validators\": [{}]}]}", "x");
        assertEquals(new Scenario.Pools(5000, 0.05, 216_000), paid.pools());
        assertEquals(List.of(0.0, 0.5, 1.0), paid.expandedSubnets().stream().map(Scenario.SubnetSpec::demandLow).toList(),
                "a demand range is spread over the repeats");
        // a pair checked together may move past each other, whatever the order they are listed in
        Scenario moved = Scenario.parse(base + ", \"hyperparameters\": {\"alpha_low\": 60000, \"alpha_high\": 62000}}", "x");
        assertEquals(60000, moved.subnetHyperparameters().alphaLow());
        assertProblem(base + ", \"hyperparameters\": {\"alpha_low\": 62000, \"alpha_high\": 60000}}",
                "alpha_low must not exceed alpha_high");
        assertProblem("{\"subnets\": [{\"mechanism\": \"compute\", \"repeat\": 64, \"miners\": [{}], "
                + "\"validators\": [{\"count\": 64, \"stake\": 1000000}]}]}", "past half the supply");
        Scenario ok = Scenario.parse(base + "}", "x");
        IllegalArgumentException policy = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ok.with(null, null, List.of("price-ema", "fees")));
        assertTrue(policy.getMessage().startsWith("--policy: "), policy.getMessage());
        assertEquals(1, ok.with(null, 2, null).warmupEpochs(), "the warm-up shrinks to fit fewer epochs");
        assertProblem("[1, 2]", "a JSON object");
        assertProblem("{", "not JSON");
    }

    private static void assertProblem(String json, String expected) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Scenario.parse(json, "x"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

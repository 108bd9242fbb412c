package io.cortex.ledger.yuma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random inputs, none of them in the repository, through two implementations that share no code: the
 * Java epoch and the plain Python one in {@code src/test/python/yuma_oracle.py}. Every output field of
 * every input must be equal.
 */
class OracleCrossCheckTest {
    /** Every output the epoch computes: the oracle must compute each of them too, so none goes unchecked. */
    private static final List<String> OUTPUTS = List.of("active", "stake_weight", "validator_permit", "consensus",
            "validator_trust", "incentive", "dividends", "server_emission", "validator_emission", "emission", "bonds");

    private static final Path ORACLE = Path.of("src", "test", "python", "yuma_oracle.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void vectorAndRandomInputsUpTo1024UidsMatchTheIndependentOracleBitForBit() throws Exception {
        if (!python3Available()) {
            // CI (.ci/run sets CORTEX_CI) installs python3: there every vector must be checked bit for bit
            assertNull(System.getenv("CORTEX_CI"), "python3 is missing in CI: the oracle cross-check must run");
            Assumptions.abort("python3 is not installed: the oracle cross-check needs it");
        }
        Random r = new Random(20261125L);
        List<EpochInput> inputs = new ArrayList<>();
        for (int k = 0; k < 400; k++) {
            inputs.add(RandomEpochInputs.random(r, 1 + r.nextInt(40)));
        }
        for (int k = 0; k < 12; k++) {
            inputs.add(RandomEpochInputs.random(r, 41 + r.nextInt(216)));
        }
        inputs.add(RandomEpochInputs.random(r, 1024));
        // 192 validators x 832 miners: enough entries for the epoch's parallel passes
        inputs.add(RandomEpochInputs.dense(r, 1024, 192));
        // every step's input of the conformance vectors: VectorConformanceTest holds them to subtensor's asserted
        // values (within the Yuma3 tests' tolerance), this to the oracle's, bit for bit
        int vectorSteps = 0;
        for (String file : VectorConformanceTest.FILES) {
            try (java.io.InputStream in = getClass().getResourceAsStream("/vectors/" + file)) {
                for (JsonNode step : JSON.readTree(in).get("steps")) {
                    inputs.add(VectorConformanceTest.parse(step.get("input")));
                    vectorSteps++;
                }
            }
        }
        assertTrue(vectorSteps >= VectorConformanceTest.FILES.size(), "the vectors' steps: " + vectorSteps);

        JsonNode expected = runOracle(inputs);

        assertEquals(inputs.size(), expected.size());
        int withIncentive = 0;
        int liquidAlphaInPlay = 0;
        int yumaWithDividends = 0;
        int commitReveal = 0;
        for (int k = 0; k < inputs.size(); k++) {
            EpochInput input = inputs.get(k);
            EpochOutput output = YumaEpoch.run(input);
            compare(k, input, expected.get(k), JSON.readTree(EpochJson.outputBytes(output)));
            boolean incentive = java.util.Arrays.stream(output.incentive()).anyMatch(x -> x > 0);
            boolean dividends = java.util.Arrays.stream(output.dividends()).anyMatch(x -> x > 0);
            withIncentive += incentive ? 1 : 0;
            liquidAlphaInPlay += input.hyper().liquidAlpha() && incentive ? 1 : 0;
            yumaWithDividends += !input.hyper().yuma3() && dividends ? 1 : 0;
            commitReveal += input.commitReveal() && incentive ? 1 : 0;
        }
        // The comparison only means something if the random inputs reach every branch with real payouts.
        assertTrue(withIncentive > inputs.size() / 3, "inputs with incentive: " + withIncentive);
        assertTrue(liquidAlphaInPlay >= 20, "liquid alpha with consensus: " + liquidAlphaInPlay);
        assertTrue(yumaWithDividends >= 40, "original Yuma with dividends: " + yumaWithDividends);
        assertTrue(commitReveal >= 20, "commit-reveal masks with incentive: " + commitReveal);
    }

    private JsonNode runOracle(List<EpochInput> inputs) throws IOException, InterruptedException {
        Path in = dir.resolve("inputs.json");
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        batch.write('[');
        for (int k = 0; k < inputs.size(); k++) {
            if (k > 0) {
                batch.write(',');
            }
            batch.write(EpochJson.inputBytes(inputs.get(k)));
        }
        batch.write(']');
        Files.write(in, batch.toByteArray());
        Path out = dir.resolve("outputs.json");
        Process p = new ProcessBuilder("python3", ORACLE.toString())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the Python oracle did not finish within 10 minutes");
        }
        assertEquals(0, p.exitValue(), "the Python oracle failed");
        return JSON.readTree(out.toFile());
    }

    private void compare(int k, EpochInput input, JsonNode expected, JsonNode actual) throws IOException {
        for (String field : OUTPUTS) {
            assertTrue(expected.has(field), "the oracle's output for input " + k + " lacks " + field);
        }
        Iterator<String> names = expected.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!expected.get(field).equals(actual.get(field))) {
                Path saved = dir.resolve("diverging-input-" + k + ".json");
                Files.write(saved, EpochJson.inputBytes(input));
                fail("input " + k + " (n = " + input.n() + ", yuma3 = " + input.hyper().yuma3() + ", liquid alpha = "
                        + input.hyper().liquidAlpha() + "): field " + field + " differs\n oracle: "
                        + abbreviate(expected.get(field)) + "\n java:   " + abbreviate(actual.get(field))
                        + "\n input saved to " + saved);
            }
        }
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    private static boolean python3Available() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

package io.cortex.ledger.yuma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every epoch case of {@code vectors/} (rebuilt from subtensor's own tests), under the rules of
 * {@code vectors/README.md}: u16 and rao fields exact, {@code null} not asserted, bonds as a map of
 * (row, column) to the stored u16, fractions within the step's tolerance; chained steps read the previous
 * step's bonds and permits after its events.
 */
class VectorConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FILES = List.of(
            "logs_two_distinct_servers.json", "logs_splits_weight.json", "logs_simple.json", "bonds.json",
            "graph_10.json", "graph_1.json", "yuma3_kappa_moves_first.json", "yuma3_stable_miner.json");

    @TestFactory
    Stream<DynamicContainer> everySharedVectorPassesExactly() throws IOException {
        List<DynamicContainer> files = new ArrayList<>();
        for (String file : FILES) {
            JsonNode scenario;
            try (InputStream in = getClass().getResourceAsStream("/vectors/" + file)) {
                scenario = JSON.readTree(in);
            }
            files.add(DynamicContainer.dynamicContainer(file, steps(scenario)));
        }
        return files.stream();
    }

    private static Stream<DynamicTest> steps(JsonNode scenario) {
        boolean chain = scenario.path("chain").asBoolean(false);
        List<JsonNode> steps = new ArrayList<>();
        scenario.get("steps").forEach(steps::add);
        // Steps of a chain depend on each other, so one test runs them in order and reports the step.
        if (chain) {
            return Stream.of(DynamicTest.dynamicTest("chain of " + steps.size() + " steps", () -> {
                EpochOutput previous = null;
                JsonNode previousStep = null;
                for (int k = 0; k < steps.size(); k++) {
                    JsonNode step = steps.get(k);
                    EpochInput input = parse(step.get("input"));
                    if (previous != null) {
                        input = chained(input, previous, previousStep.path("events"));
                    }
                    EpochOutput output = YumaEpoch.run(input);
                    assertExpected(step, output, "step " + k + " (" + step.path("label").asText() + ")");
                    previous = output;
                    previousStep = step;
                }
            }));
        }
        return steps.stream().map(step -> DynamicTest.dynamicTest(step.path("label").asText(),
                () -> assertExpected(step, YumaEpoch.run(parse(step.get("input"))), step.path("label").asText())));
    }

    static EpochInput parse(JsonNode input) throws IOException {
        return EpochJson.readInput(JSON.writeValueAsString(input).getBytes(StandardCharsets.UTF_8));
    }

    /** The next input reads the previous output's bonds and permits, after the step's events. */
    private static EpochInput chained(EpochInput in, EpochOutput previous, JsonNode events) {
        boolean[] permit = previous.validatorPermit().clone();
        StoredMatrix bonds = previous.bonds();
        for (JsonNode event : events) {
            if (event.has("replace_uid")) {
                int uid = event.get("replace_uid").asInt();
                permit[uid] = false;
                bonds = rewrite(bonds, (i, j) -> i != uid);
            } else if (event.has("reset_bond_column")) {
                int column = event.get("reset_bond_column").asInt();
                bonds = rewrite(bonds, (i, j) -> j != column);
            } else {
                throw new AssertionError("unknown event " + event);
            }
        }
        return new EpochInput(in.n(), in.block(), in.tempo(), in.emission(), in.lastMechanismStepBlock(), in.ownerUid(),
                in.hyper(), in.stake(), in.lastUpdate(), in.blockAtRegistration(), permit, in.weights(), bonds,
                in.earliestCommitBlock());
    }

    private interface Keep {
        boolean test(int row, int column);
    }

    private static StoredMatrix rewrite(StoredMatrix m, Keep keep) {
        StoredMatrix.Builder b = StoredMatrix.builder(m.rows(), m.nonZeros());
        for (int i = 0; i < m.rows(); i++) {
            for (int k = m.rowStart(i); k < m.rowEnd(i); k++) {
                if (keep.test(i, m.column(k))) {
                    b.add(m.column(k), m.value(k));
                }
            }
            b.endRow();
        }
        return b.build();
    }

    private static void assertExpected(JsonNode step, EpochOutput out, String where) {
        JsonNode expect = step.get("expect");
        Double tolerance = step.has("tolerance") ? step.get("tolerance").asDouble() : null;
        Iterator<Map.Entry<String, JsonNode>> fields = expect.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String name = f.getKey();
            JsonNode want = f.getValue();
            if (name.equals("bonds")) {
                want.fields().forEachRemaining(row -> row.getValue().fields().forEachRemaining(cell -> {
                    int i = Integer.parseInt(row.getKey());
                    int j = Integer.parseInt(cell.getKey());
                    assertField(where, "bonds[" + i + "][" + j + "]", cell.getValue(), out.bonds().get(i, j), tolerance);
                }));
                continue;
            }
            for (int uid = 0; uid < want.size(); uid++) {
                JsonNode w = want.get(uid);
                if (w.isNull()) {
                    continue;
                }
                String label = name + "[" + uid + "]";
                switch (name) {
                    case "active" -> assertEquals(w.asBoolean(), out.active()[uid], where + ": " + label);
                    case "validator_permit" -> assertEquals(w.asBoolean(), out.validatorPermit()[uid], where + ": " + label);
                    case "stake_weight" -> assertField(where, label, w, out.stakeWeight()[uid], tolerance);
                    case "consensus" -> assertField(where, label, w, out.consensus()[uid], tolerance);
                    case "validator_trust" -> assertField(where, label, w, out.validatorTrust()[uid], tolerance);
                    case "incentive" -> assertField(where, label, w, out.incentive()[uid], tolerance);
                    case "dividends" -> assertField(where, label, w, out.dividends()[uid], tolerance);
                    case "server_emission" -> assertEquals(w.asLong(), out.serverEmission()[uid], where + ": " + label);
                    case "validator_emission" -> assertEquals(w.asLong(), out.validatorEmission()[uid], where + ": " + label);
                    case "emission" -> assertEquals(w.asLong(), out.emission()[uid], where + ": " + label);
                    default -> throw new AssertionError("unknown expect field " + name);
                }
            }
        }
    }

    private static void assertField(String where, String label, JsonNode want, int actualU16, Double tolerance) {
        if (tolerance == null) {
            assertEquals(want.asInt(), actualU16, where + ": " + label);
        } else {
            double got = actualU16 / 65535.0;
            assertTrue(Math.abs(got - want.asDouble()) <= tolerance,
                    where + ": " + label + " expected " + want.asDouble() + " ± " + tolerance + ", got " + got);
        }
    }
}

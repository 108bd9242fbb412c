package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cortex simulate --record} then {@code cortex replay --recording}: a simulation's history re-run
 * under the recorded rule reproduces every epoch and the final state hash; under another emission policy
 * it reports what each subnet's pool would have received; a recording whose last state hash was altered
 * is a divergence at that block.
 */
class SimulationReplayTest {

    @TempDir
    Path dir;

    @Test
    void aRecordedSimulationReplaysToItsHashesAndUnderAnotherPolicy() throws Exception {
        Path record = dir.resolve("record");
        CliRun sim = CliRun.ok("simulate", "../examples/scenarios/built-in-subnets.json", "--epochs", "6",
                "--policy", "net-tao-flow", "--record", record.toString(), "--out", dir.resolve("sim").toString());
        Matcher simulated = Pattern.compile("state-hash ([0-9a-f]{64})").matcher(sim.out());
        assertTrue(simulated.find(), sim.out());
        Path recording = record.resolve("net-tao-flow");

        CliRun same = CliRun.ok("replay", "--recording", recording.toString(), "--report", dir.resolve("same").toString());
        assertTrue(same.out().contains("every state hash matches"), same.out());
        assertTrue(same.out().contains("state at block") && same.out().contains(simulated.group(1)), same.out());
        Matcher epochs = Pattern.compile("(\\d+) blocks, (\\d+) epochs").matcher(same.out());
        assertTrue(epochs.find() && Long.parseLong(epochs.group(2)) >= 18, same.out());
        assertTrue(same.out().contains("epochs with the same input (hash) " + epochs.group(2) + ", the same payout "
                + epochs.group(2) + ", unmatched 0"), same.out());
        assertTrue(same.out().contains("counterfactual state hash " + simulated.group(1)), same.out());

        // equal shares: every pool gets the same TAO, where net flow gave the most-staked subnet the most
        Path equal = dir.resolve("equal");
        CliRun counterfactual = CliRun.ok("replay", "--recording", recording.toString(), "--policy", "equal",
                "--report", equal.toString());
        assertTrue(counterfactual.out().contains("counterfactual: policy equal instead of policy net-tao-flow"),
                counterfactual.out());
        List<String> subnets = Files.readAllLines(equal.resolve("subnets.csv"));
        assertEquals(4, subnets.size(), subnets.toString());
        long[] recorded = new long[3];
        long[] replayed = new long[3];
        for (int i = 0; i < 3; i++) {
            String[] row = subnets.get(i + 1).split(",");
            recorded[i] = Long.parseLong(row[2]);
            replayed[i] = Long.parseLong(row[3]);
        }
        assertTrue(recorded[0] > recorded[1] && recorded[1] > recorded[2], subnets.toString());
        assertEquals(replayed[0], replayed[1], replayed[0] / 1000.0, subnets.toString());
        assertEquals(replayed[1], replayed[2], replayed[1] / 1000.0, subnets.toString());
        assertTrue(Files.readString(equal.resolve("report.html")).contains("policy equal instead of policy net-tao-flow"));

        // the last block's recorded state hash altered: a divergence there, exit code 1
        try (RandomAccessFile f = new RandomAccessFile(recording.resolve("blocks.bin").toFile(), "rw")) {
            f.seek(f.length() - 1);
            int last = f.read();
            f.seek(f.length() - 1);
            f.write(last ^ 0xff);
        }
        CliRun tampered = CliRun.of("replay", "--recording", recording.toString());
        assertEquals(1, tampered.exit(), tampered.out() + tampered.err());
        assertTrue(tampered.out().contains("DIVERGENCE at block " + epochs.group(1)), tampered.out());
    }
}

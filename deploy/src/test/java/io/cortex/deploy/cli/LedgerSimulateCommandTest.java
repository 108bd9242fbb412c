package io.cortex.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.CortexCli;
import io.cortex.ledger.sim.LedgerSimulation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cortex ledger simulate} prints a line per epoch and ends with the state hash of the seed. */
class LedgerSimulateCommandTest {

    @Test
    void printsEpochsAndEndsWithTheStateHash() {
        StringWriter out = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        int code = cli.execute("ledger", "simulate", "--blocks", "60", "--subnets", "2", "--neurons", "8", "--seed", "9");

        assertEquals(0, code);
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("block \\d+ netuid \\d+ epoch \\d+: .*")), out.toString());
        String last = lines.get(lines.size() - 1);
        String expected = new LedgerSimulation(new LedgerSimulation.Settings(60, 2, 8, 9)).run(e -> { }).stateHash();
        assertEquals("state-hash " + expected, last);
    }

    @Test
    void nonsenseSizesAreOneLineWithExitCode2() {
        StringWriter err = new StringWriter();
        var cli = CortexCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("ledger", "simulate", "--neurons", "1");

        assertEquals(2, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
    }
}

package io.cortex.deploy.cli;

import io.cortex.ledger.sim.LedgerSimulation;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cortex ledger}: the ledger state machine on its own. */
@Command(name = "ledger", description = "The ledger state machine on its own.",
        subcommands = {LedgerCommand.Simulate.class})
public final class LedgerCommand {

    /** {@code cortex ledger simulate}: seeded random honest activity, a line per epoch, the final state hash. */
    @Command(name = "simulate",
            description = {"Run the ledger alone on seeded random honest activity (registrations, stakes, "
                    + "commit-reveal weights, transfers).",
                "Prints a summary per epoch and, as the last line, state-hash <hex>: the same seed gives the "
                    + "same hash on any machine."})
    public static final class Simulate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--blocks", defaultValue = "200", description = "blocks to produce (default ${DEFAULT-VALUE})")
        long blocks;

        @Option(names = "--subnets", defaultValue = "2", description = "subnets to create (default ${DEFAULT-VALUE})")
        int subnets;

        @Option(names = "--neurons", defaultValue = "16",
                description = "neurons per subnet, the owner's included (default ${DEFAULT-VALUE})")
        int neurons;

        @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (subnets > 1024 || neurons > 4096) {
                throw new IllegalArgumentException("at most 1024 subnets and 4096 neurons per subnet");
            }
            LedgerSimulation.Settings settings = new LedgerSimulation.Settings(blocks, subnets, neurons, seed);
            out.printf(Locale.ROOT, "simulating %d blocks, %d subnets x %d neurons, seed %d%n", blocks, subnets, neurons,
                    seed);
            out.flush();
            long start = System.nanoTime();
            LedgerSimulation simulation = new LedgerSimulation(settings);
            LedgerSimulation.Outcome outcome = simulation.run(epoch -> {
                out.println(simulation.summary(epoch));
                out.flush();
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "%d blocks, %d transactions (%d rejected), %d epochs in %.1f s (%.0f blocks/s)%n",
                    outcome.blocks(), outcome.transactions(), outcome.rejected(), outcome.epochs(), seconds,
                    outcome.blocks() / seconds);
            if (!outcome.rejections().isEmpty()) {
                out.println("rejected by reason: " + outcome.rejections());
            }
            out.println("state-hash " + outcome.stateHash());
            out.flush();
            return 0;
        }
    }
}

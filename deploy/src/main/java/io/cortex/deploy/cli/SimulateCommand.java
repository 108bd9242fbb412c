package io.cortex.deploy.cli;

import io.cortex.deploy.sim.Scenario;
import io.cortex.deploy.sim.SimulationReport;
import io.cortex.deploy.sim.SimulationResult;
import io.cortex.deploy.sim.Simulator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cortex simulate SCENARIO.json}: a scenario in one JVM, as fast as it goes, with CSV and an HTML report. */
@Command(name = "simulate",
        description = {"Run a scenario (examples/scenarios/*.json; fields in SIMULATE.md) in this JVM as fast as it "
                + "goes: the real ledger and subnet mechanisms, seeded, honest and adversarial neurons.",
            "Prints progress per epoch and a summary; writes classes.csv, subnets.csv and report.html to --out."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "the scenario's JSON file")
    Path scenarioFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "where the CSV files and report.html go (default: simulation-<scenario name>)")
    Path out;

    @Option(names = "--seed", description = "the scenario's seed, replaced")
    Long seed;

    @Option(names = "--epochs", description = "the scenario's epoch count, replaced")
    Integer epochs;

    @Option(names = "--policy", paramLabel = "P[,P...]", split = ",",
            description = "emission policies to run, replacing the scenario's (price-ema, net-tao-flow, demand, equal, or one of your own on CORTEX_CLASSPATH)")
    String[] policies;

    @Option(names = "--commit-reveal", arity = "1", paramLabel = "true|false",
            description = "the scenario's commit_reveal, replaced (a weight copier's gain shows with false)")
    Boolean commitReveal;

    @Option(names = "--shared-tasks", arity = "1", paramLabel = "true|false",
            description = "the scenario's shared_tasks, replaced: false has each validator draw its own tasks")
    Boolean sharedTasks;

    @Option(names = "--consensus", paramLabel = "NAME",
            description = "the scenario's consensus, replaced: yuma, yuma3, liquid-alpha or mean")
    String consensus;

    @Option(names = "--scorer", paramLabel = "NAME",
            description = "the scenario's scorer, replaced: answer (each answer on its own) or leave-one-out (what the "
                    + "round's combined answer loses without it)")
    String scorer;

    @Option(names = "--record", paramLabel = "DIR",
            description = "record every block into DIR/POLICY, for cortex replay --recording (counterfactual replays)")
    Path record;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        Scenario scenario = Scenario.read(scenarioFile).with(seed, epochs, policies == null ? null : Arrays.asList(policies));
        if (commitReveal != null) {
            scenario = scenario.withCommitReveal(commitReveal);
        }
        if (sharedTasks != null) {
            scenario = scenario.withSharedTasks(sharedTasks);
        }
        if (consensus != null) {
            scenario = scenario.withConsensus(consensus);
        }
        if (scorer != null) {
            scenario = scenario.withScorer(scorer);
        }
        Path dir = out != null ? out : Path.of("simulation-" + scenario.name().replaceAll("[^A-Za-z0-9._-]", "_"));
        w.printf("simulating %s (seed %d) ...%n", scenario.name(), scenario.seed());
        w.flush();
        List<SimulationResult> results = Simulator.runAll(scenario, line -> {
            w.println(line);
            w.flush();
        }, record);
        w.print(SimulationReport.summary(results));
        SimulationReport.write(dir, results);
        w.println("wrote " + dir.resolve("report.html") + ", " + dir.resolve("classes.csv") + ", "
                + dir.resolve("subnets.csv"));
        if (record != null) {
            w.println("recorded the blocks of each policy under " + record + " (cortex replay --recording "
                    + record.resolve(scenario.emissionPolicies().get(0)) + " --policy P --report OUT)");
        }
        w.flush();
        return 0;
    }
}

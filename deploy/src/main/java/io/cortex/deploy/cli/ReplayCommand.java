package io.cortex.deploy.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.cortex.deploy.replay.Counterfactual;
import io.cortex.deploy.replay.CounterfactualReport;
import io.cortex.deploy.sim.Recording;
import io.cortex.deploy.support.CliFailure;
import io.cortex.deploy.testnet.Testnet;
import io.cortex.ledger.emission.EmissionPolicy;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.SubnetHyperparameters;
import io.cortex.subnets.SubnetMechanisms;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.actor.LedgerReplay;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.sharding.ledger.LedgerStore;
import io.cortex.sharding.node.CortexNode;
import io.cortex.sharding.node.NodeSettings;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cortex replay}: re-derive the whole chain from the ledger's journal and check every hash. */
@Command(name = "replay", description = {"Read the ledger's journal back: re-apply every block (from genesis, or from "
        + "the latest snapshot at or before --from-block), re-run every epoch, and check each block's state hash "
        + "against the one recorded when it was produced. Reports the first divergence, if any (exit code 1).",
        "It only reads, so it may run while the testnet does.",
        "With --policy or --consensus it also re-runs the same blocks under that rule from genesis (a counterfactual) "
        + "and reports per subnet and per neuron what would have been paid against what was (CSV and HTML in --report)."})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--data", paramLabel = "DIR", description = "a testnet's data directory (its n1.conf)")
        Path data;

        @Option(names = "--config", paramLabel = "FILE", description = "a node's configuration file")
        File config;

        @Option(names = "--recording", paramLabel = "DIR",
                description = "a simulation's recording (cortex simulate --record DIR writes DIR/POLICY)")
        Path recording;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--from-block", defaultValue = "0", paramLabel = "B",
            description = "start from the latest snapshot at or before block B (default: genesis)")
    long fromBlock;

    @Option(names = "--policy", paramLabel = "P",
            description = "counterfactual: re-run the history under this emission policy as well (price-ema, "
                    + "net-tao-flow, demand, equal, or one of your own on CORTEX_CLASSPATH)")
    String policy;

    @Option(names = "--consensus", paramLabel = "C",
            description = "counterfactual: every subnet's epochs under this consensus (yuma, yuma3, liquid-alpha, mean)")
    String consensus;

    @Option(names = "--report", paramLabel = "DIR",
            description = "where the counterfactual's subnets.csv, neurons.csv and report.html go (default: "
                    + "replay-report when --policy or --consensus is given; alone, it re-runs the recorded rule)")
    Path report;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (source != null && source.recording != null) {
            return replayRecording(out, source.recording);
        }
        return replayJournal(out, nodeConfig());
    }

    /** A node's journal, read by a local actor system, every block's state hash checked. */
    private int replayJournal(PrintWriter out, Config node) throws Exception {
        LedgerConfig ledger = journalSettings(node).chain().ledger();
        Counterfactual counterfactual = counterfactual(ledger);
        Config local = ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.loglevel = WARNING
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """).withFallback(node);
        CompletableFuture<Integer> result = new CompletableFuture<>();
        out.println("replaying " + LedgerActor.persistenceId(ledger).id() + " (" + LedgerStore.kind(node).name().toLowerCase()
                + ")" + (fromBlock > 0 ? " from the latest snapshot at or before block " + fromBlock : " from genesis"));
        out.flush();
        ActorSystem<LedgerReplay.Stop> system = ActorSystem.create(LedgerReplay.create(ledger, fromBlock,
                new Printing(out, counterfactual, ledger, result)), "cortex-replay", local);
        try {
            return result.get(24, TimeUnit.HOURS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CliFailure(e.getCause().toString(), e.getCause());
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** The node's settings, when its ledger has a journal to replay. */
    private static NodeSettings journalSettings(Config node) {
        if (LedgerStore.kind(node) == LedgerStore.Kind.MEMORY) {
            throw new IllegalArgumentException("this ledger is kept in memory: there is no journal to replay");
        }
        try {
            return NodeSettings.from(node);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Says how the replay goes, feeds the counterfactual, and completes {@code result} with the exit code. */
    private final class Printing implements LedgerReplay.Listener {
        private final PrintWriter out;
        private final Counterfactual counterfactual;
        private final LedgerConfig ledger;
        private final CompletableFuture<Integer> result;
        private final long started = System.nanoTime();

        Printing(PrintWriter out, Counterfactual counterfactual, LedgerConfig ledger, CompletableFuture<Integer> result) {
            this.out = out;
            this.counterfactual = counterfactual;
            this.ledger = ledger;
            this.result = result;
        }

        @Override
        public void start(long height, String stateHash) {
            if (height > 0) {
                out.println("  starting from the snapshot at block " + height + ", state " + stateHash);
                out.flush();
            }
        }

        @Override
        public void replayed(Block block, BlockResult blockResult, LedgerState after) {
            if (counterfactual != null) {
                counterfactual.apply(block, blockResult, after);
            }
        }

        @Override
        public void block(long height, int epochs) {
            if (height % 1000 == 0) {
                out.println("  block " + height + " verified");
                out.flush();
            }
        }

        @Override
        public void verified(long height, String stateHash, long blocks, long epochs) {
            verifiedAll(out, blocks, epochs, started, height, stateHash, counterfactual, ledger);
            result.complete(0);
        }

        @Override
        public void diverged(long height, String recorded, String replayed) {
            out.println("DIVERGENCE at block " + height + ": the journal recorded state " + recorded
                    + ", replaying gives " + replayed);
            out.flush();
            result.complete(1);
        }

        @Override
        public void failed(Throwable cause) {
            result.completeExceptionally(new CliFailure("cannot read the ledger's journal: " + cause.getMessage(), cause));
        }
    }

    /** A simulation's recording: every block re-applied from genesis, its state hash checked, and the counterfactual. */
    private int replayRecording(PrintWriter out, Path dir) throws IOException {
        LedgerConfig config = Recording.config(dir);
        Counterfactual counterfactual = counterfactual(config);
        if (fromBlock > 0) {
            throw new IllegalArgumentException("a recording replays from genesis: leave out --from-block");
        }
        long started = System.nanoTime();
        out.println("replaying the recording " + dir + " from genesis");
        out.flush();
        LedgerState recorded = LedgerState.genesis(config);
        long[] counted = new long[2];
        String[] divergence = new String[1];
        Recording.read(dir, (block, stateHash) -> {
            if (divergence[0] != null) {
                return;
            }
            BlockResult result = recorded.apply(block);
            if (!Arrays.equals(result.header().stateHash(), stateHash)) {
                divergence[0] = "DIVERGENCE at block " + block.height() + ": the recording has state "
                        + Canonical.hex(stateHash) + ", replaying gives " + recorded.stateHashHex();
                return;
            }
            counted[0]++;
            counted[1] += result.epochs().size();
            if (counterfactual != null) {
                counterfactual.apply(block, result, recorded);
            }
        });
        if (divergence[0] != null) {
            out.println(divergence[0]);
            out.flush();
            return 1;
        }
        verifiedAll(out, counted[0], counted[1], started, recorded.height(), recorded.stateHashHex(), counterfactual, config);
        return 0;
    }

    /**
     * The end of a replay that matched every hash, from a journal or a recording alike: the count, the last
     * state, and the counterfactual's report when there is one.
     */
    private void verifiedAll(PrintWriter out, long blocks, long epochs, long startedNanos, long height, String stateHash,
                             Counterfactual counterfactual, LedgerConfig recordedConfig) {
        out.printf("verified %d blocks and re-ran %d epochs in %.1f s: every state hash matches%n", blocks, epochs,
                (System.nanoTime() - startedNanos) / 1e9);
        out.println("state at block " + height + ": " + stateHash);
        if (counterfactual != null) {
            report(out, counterfactual, recordedConfig);
        }
        out.flush();
    }

    /** Prints and writes the counterfactual's report. */
    private void report(PrintWriter out, Counterfactual counterfactual, LedgerConfig recordedConfig) {
        Path dir = report != null ? report : Path.of("replay-report");
        String recorded = "policy " + recordedConfig.emissionPolicy().name() + ", each subnet's own consensus";
        out.print(CounterfactualReport.summary(counterfactual, recorded));
        CounterfactualReport.write(dir, counterfactual, recorded);
        out.println("wrote " + dir.resolve("report.html") + ", " + dir.resolve("subnets.csv") + ", " + dir.resolve("neurons.csv"));
    }

    /** The counterfactual ledger the options ask for, or null when they ask for none. */
    private Counterfactual counterfactual(LedgerConfig recorded) {
        if (policy == null && consensus == null && report == null) {
            return null;
        }
        if (fromBlock > 0) {
            throw new IllegalArgumentException("a counterfactual replays from genesis: leave out --from-block");
        }
        LedgerConfig config = recorded;
        List<String> rule = new ArrayList<>();
        if (policy != null) {
            config = config.withEmissionPolicy(EmissionPolicy.named(policy, SubnetMechanisms.loader()));
            rule.add("policy " + policy);
        }
        if (consensus != null) {
            config = config.withEpochOverrides(SubnetHyperparameters.consensusVariant(consensus));
            rule.add("consensus " + consensus);
        }
        return new Counterfactual(config, rule.isEmpty() ? "the recorded rule" : String.join(", ", rule));
    }

    /**
     * The node configuration that names the journal and the chain spec: --config, or --data's n1.conf and
     * chain.json, or the local testnet's.
     */
    private Config nodeConfig() {
        Path file;
        Config chain = ConfigFactory.empty();
        if (source != null && source.config != null) {
            file = source.config.toPath();
        } else {
            Path dir = source != null && source.data != null ? source.data : Home.testnet();
            file = dir.resolve("n1.conf");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no testnet configuration " + file + " (give --data DIR or --config FILE)");
            }
            if (Files.isRegularFile(dir.resolve(Testnet.CHAIN_FILE))) {
                chain = ConfigFactory.empty().withValue("cortex.chain.file",
                        ConfigValueFactory.fromAnyRef(dir.resolve(Testnet.CHAIN_FILE).toAbsolutePath().toString()));
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no configuration file " + file);
        }
        try {
            return CortexNode.configuration(chain.withFallback(ConfigFactory.parseFile(file.toFile())));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

}

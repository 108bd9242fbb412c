package io.cortex.deploy.cli;

import io.cortex.actors.neuron.ValidatorActor;
import io.cortex.deploy.support.CortexLogging;
import io.cortex.deploy.testnet.TestnetState;
import io.cortex.ledger.state.Metagraph;
import io.cortex.core.identity.Keypair;
import io.cortex.sdk.NodeClient;
import io.cortex.sdk.OutsideNeuron;
import io.cortex.sdk.Tls;
import io.cortex.sharding.ops.NodeMetrics;
import io.cortex.sharding.ops.OpsServer;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortex miner run} and {@code cortex validator run}: a neuron in this process, outside the cluster,
 * with the wallet's own keys (ARCHITECTURE.md, outside neurons). The password is asked once at start; the
 * keys stay in this process, which signs every transaction and sends only signed bytes to a node. It runs
 * until SIGTERM or Ctrl-C, printing a line whenever its standing on the ledger changes.
 */
public final class OutsideNeuronCommands {

    private OutsideNeuronCommands() {
    }

    /** Where the neuron reaches the ledger and where its axon listens. */
    static final class Endpoints {
        @Option(names = "--node", paramLabel = "HOST:PORT", split = ",",
                description = "nodes' gRPC APIs, tried in order when one cannot be reached (default: CORTEX_NODE, "
                        + "else every node of the local testnet)")
        List<String> nodes;

        @Option(names = "--tls-cert", paramLabel = "PEM",
                description = "verify the nodes' TLS certificate against this one (default: $CORTEX_TLS_CERT, else the "
                        + "local testnet's own for its nodes, else plain text)")
        Path tlsCert;

        @Option(names = "--axon-bind", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
                description = "where the axon's UDP socket binds (default ${DEFAULT-VALUE}: loopback, any free port)")
        String axonBind;

        @Option(names = "--axon-advertise", paramLabel = "HOST[:PORT]",
                description = "the address peers reach the axon at, announced on the ledger (default: the bound one; "
                        + "required when binding 0.0.0.0)")
        String axonAdvertise;

        @Option(names = "--metrics-bind", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
                description = "where /metrics (Prometheus's text format: queries, axon and dendrite counters, the JVM) "
                        + "is served (default ${DEFAULT-VALUE}: loopback, any free port)")
        String metricsBind;

        OutsideNeuron.Options options() {
            List<String> nodes = nodes();
            return new OutsideNeuron.Options(nodes, tlsCert == null ? Connection.tls(nodes.get(0)) : Tls.trusting(tlsCert),
                    axonBind, axonAdvertise);
        }

        List<String> nodes() {
            if (nodes != null && !nodes.isEmpty()) {
                return nodes.stream().map(Connection::checked).toList();
            }
            String env = System.getenv("CORTEX_NODE");
            if (env != null && !env.isBlank()) {
                return List.of(Connection.checked(env.trim()));
            }
            return TestnetState.read(Home.testnet()).map(t -> t.nodes().stream().map(TestnetState.Node::grpc).toList())
                    .orElse(List.of(Connection.DEFAULT_NODE));
        }
    }

    /** What a miner's and a validator's run share: the wallet and hotkey it acts with, where it connects, its subnet. */
    abstract static class NeuronRun implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        WalletOptions.WithHotkey signer;

        @Mixin
        Endpoints endpoints;

        @Mixin
        LogFormatOption logFormat;

        @Option(names = "--netuid", required = true)
        int netuid;

        /** Starts the neuron, prints its standing as it changes, and stops it cleanly on SIGTERM. */
        int run(String kind, Keypair hotkey, OutsideNeuron.Options options, Supplier<OutsideNeuron> start) {
            PrintWriter out = spec.commandLine().getOut();
            String metricsBind = endpoints.metricsBind;
            if (!metricsBind.matches("[\\w.\\-]+:\\d{1,5}")) {
                throw new IllegalArgumentException("--metrics-bind wants HOST:PORT, got '" + metricsBind + "'");
            }
            OutsideNeuron neuron = start.get();
            int colon = metricsBind.lastIndexOf(':');
            String metrics;
            try {
                metrics = OpsServer.address(OpsServer.start(neuron.system(), metricsBind.substring(0, colon),
                        Integer.parseInt(metricsBind.substring(colon + 1)), new NodeMetrics().observe(neuron.transport())));
            } catch (RuntimeException e) {
                neuron.close(); // not yet in the shutdown hook
                throw e;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                neuron.close();
                stopped.countDown();
            }, "cortex-" + kind + "-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf("%s %s on subnet %d: axon %s (bound %s), ledger via %s (%s), metrics http://%s/metrics%n", kind,
                    hotkey.address(), netuid, neuron.axonChannel(), neuron.axonBound(), String.join(",", options.nodes()),
                    options.tls(), metrics);
            out.flush();
            Standing last = null;
            try {
                while (!stopped.await(2, TimeUnit.SECONDS)) {
                    Standing now = standing(neuron.ledger(), netuid, hotkey);
                    if (now != null && !now.equals(last)) {
                        out.println(now.line(kind));
                        out.flush();
                        last = now;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }

    @Command(name = "miner", description = "A miner in its own process, with its own keys.",
            subcommands = MinerRun.class, mixinStandardHelpOptions = true)
    public static final class Miner {
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a miner: register the wallet's hotkey on the subnet (the coldkey pays the burn) unless it "
                    + "is registered, announce the axon, and answer validators' queries until SIGTERM.")
    static final class MinerRun extends NeuronRun {
        @Option(names = "--mechanism", required = true, paramLabel = "NAME",
                description = "the subnet's mechanism, whose miner model answers (e.g. compute)")
        String mechanism;

        @Option(names = "--quality", defaultValue = "1.0", paramLabel = "Q",
                description = "the model's quality, 0 (noise) to 1 (the best honest miner) (default ${DEFAULT-VALUE})")
        double quality;

        @Override
        public Integer call() {
            if (quality < 0 || quality > 1) {
                throw new IllegalArgumentException("--quality is between 0 and 1, not " + quality);
            }
            SubnetMechanism m = SubnetMechanisms.named(mechanism);
            Keypair hotkey = signer.hotkeyKeys();
            Keypair coldkey = signer.coldkey();
            OutsideNeuron.Options options = endpoints.options();
            logFormat.apply();
            CortexLogging.name("miner " + signer.wallet);
            return run("miner", hotkey, options,
                    () -> OutsideNeuron.miner(netuid, hotkey, coldkey, m.miner(quality), options));
        }
    }

    @Command(name = "validator", description = "A validator in its own process, with its own keys.",
            subcommands = ValidatorRun.class, mixinStandardHelpOptions = true)
    public static final class Validator {
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a validator: register the wallet's hotkey on the subnet unless it is registered, stake "
                    + "(--stake), announce its axon, query the subnet's miners over Aeron, score them with the subnet's "
                    + "mechanism and set (or commit and reveal) weights every epoch, until SIGTERM.")
    static final class ValidatorRun extends NeuronRun {
        @Option(names = "--mechanism", paramLabel = "NAME",
                description = "the subnet's mechanism (default: as the node names it)")
        String mechanism;

        @Option(names = "--stake", defaultValue = "0", paramLabel = "TAO",
                description = "TAO the coldkey stakes on the hotkey once, if it has no stake (default ${DEFAULT-VALUE})")
        String stake;

        @Option(names = "--round-interval", defaultValue = "500", paramLabel = "MS",
                description = "time between query rounds (default ${DEFAULT-VALUE} ms)")
        long roundMillis;

        @Option(names = "--query-timeout", defaultValue = "800", paramLabel = "MS",
                description = "a miner's deadline to answer (default ${DEFAULT-VALUE} ms)")
        long timeoutMillis;

        @Override
        public Integer call() {
            logFormat.apply();
            CortexLogging.name("validator " + signer.wallet);
            long rao = stake.equals("0") ? 0 : Values.positiveTao(stake);
            OutsideNeuron.Options options = endpoints.options();
            SubnetMechanism m = SubnetMechanisms.named(mechanism != null ? mechanism : mechanismOf(options, netuid));
            ValidatorActor.Settings defaults = ValidatorActor.Settings.defaults();
            ValidatorActor.Settings settings = new ValidatorActor.Settings(Duration.ofMillis(roundMillis),
                    Duration.ofMillis(timeoutMillis), defaults.scoreAlpha(), defaults.weighting());
            Keypair hotkey = signer.hotkeyKeys();
            Keypair coldkey = signer.coldkey();
            return run("validator", hotkey, options,
                    () -> OutsideNeuron.validator(netuid, hotkey, coldkey, rao, m, settings, options));
        }

        /** The subnet's mechanism as the node names it (from its network plan), or a clear error. */
        private static String mechanismOf(OutsideNeuron.Options options, int netuid) {
            try (Api api = new Api(options.nodes().get(0), options.tls())) {
                String name = api.call(api.ledger().subnet(io.cortex.protocol.api.NetuidRequest.newBuilder()
                        .setNetuid(netuid).build())).getSummary().getMechanism();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("the node does not name subnet " + netuid
                            + "'s mechanism: give --mechanism NAME (there are: " + String.join(", ",
                            SubnetMechanisms.all().keySet()) + ")");
                }
                return name;
            }
        }
    }

    /** What the neuron's user watches: its uid, axon and last epoch's outputs. */
    private record Standing(long epoch, int uid, String axon, long stake, int incentive, int dividends, long emission) {
        String line(String kind) {
            if (uid < 0) {
                return kind + " not registered yet (epoch " + epoch + ")";
            }
            return String.format("epoch %d: uid %d, axon %s, stake %s, incentive %.4f, dividends %.4f, emission %s TAO",
                    epoch, uid, axon.isEmpty() ? "(not served yet)" : axon, Output.tao(stake), incentive / 65535.0,
                    dividends / 65535.0, Output.tao(emission));
        }
    }

    private static Standing standing(NodeClient ledger, int netuid, Keypair hotkey) {
        try {
            Metagraph m = ledger.metagraph(netuid).toCompletableFuture().get(5, TimeUnit.SECONDS);
            Metagraph.Neuron me = m.neuron(hotkey.address());
            return me == null ? new Standing(m.epochIndex(), -1, "", 0, 0, 0, 0)
                    : new Standing(m.epochIndex(), me.uid(), me.axon(), me.stake(), me.incentive(), me.dividends(),
                    me.emission());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null; // the node is away; the neuron moves to the next one by itself
        }
    }
}

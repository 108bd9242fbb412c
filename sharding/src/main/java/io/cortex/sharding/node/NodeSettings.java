package io.cortex.sharding.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.cortex.actors.neuron.ValidatorActor;
import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.state.SubnetHyperparameters;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.sharding.ledger.Genesis;
import io.cortex.subnets.SubnetMechanisms;
import io.cortex.subnets.Weighting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's settings, read from the {@code cortex} section of its configuration (defaults in the sharding
 * module's reference.conf): its Aeron transport, the chain spec it starts from, and the network plan of its
 * hosted neurons, which every node shares. Every value is checked here, so a bad file fails at start with the
 * path of the bad value, not later in an actor.
 *
 * <p>The chain spec is the file at {@code cortex.chain.file}, or else the plan's dev spec
 * ({@link Genesis#devSpec}). Hosted neurons derive their keys from the plan's seed, so they run only on a dev
 * spec, whose genesis creates the plan's subnets; outside dev mode the plan has no subnets and no key is derived.
 */
public record NodeSettings(String name, Duration ledgerTimeout, String grpcHost, int grpcPort, Path grpcTlsCert,
                           Path grpcTlsKey, QueryTransport.Context transport, NetworkPlan plan, ChainSpec chain, String chainSource,
                           Duration blockTime, ValidatorActor.Settings validator, int minNodes,
                           Duration minNodesPatience) {

    // long on purpose: one setting per line, in reference.conf's order
    public static NodeSettings from(Config root) {
        Config node = root.getConfig("cortex.node");
        Config aeron = node.getConfig("aeron");
        String name = node.getString("name");
        QueryTransport.Context transport = new QueryTransport.Context()
                .name(name)
                .host(aeron.getString("host"))
                .advertise(aeron.getString("advertise").isEmpty() ? null : aeron.getString("advertise"))
                .port(aeron.getInt("port"))
                .driverIdle(checked(aeron, "driver-idle"))
                .clientIdle(checked(aeron, "client-idle"))
                .maxBodyBytes((int) aeron.getBytes("max-body").longValue())
                .freshnessMillis(aeron.getDuration("freshness").toMillis())
                .maxInFlight(aeron.getInt("max-in-flight"));
        try {
            transport.imageLivenessMillis(aeron.getDuration("image-liveness").toMillis());
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(aeron.origin(), "image-liveness", e.getMessage());
        }
        if (!aeron.getString("directory").isEmpty()) {
            transport.aeronDirectory(Path.of(aeron.getString("directory")));
        }
        Config network = root.getConfig("cortex.network");
        Config v = network.getConfig("validator");
        Weighting weighting;
        try {
            weighting = new Weighting(v.getBoolean("over-baseline"), v.getDouble("sharpness"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(v.origin(), "sharpness", e.getMessage());
        }
        ValidatorActor.Settings validator = new ValidatorActor.Settings(v.getDuration("round-interval"),
                v.getDuration("query-timeout"), v.getDouble("score-alpha"), weighting);
        if (validator.scoreAlpha() <= 0 || validator.scoreAlpha() > 1) {
            throw new ConfigException.BadValue(v.origin(), "score-alpha", "must be in (0, 1]");
        }
        Duration blockTime = network.getDuration("block-time");
        if (blockTime.isNegative()) {
            throw new ConfigException.BadValue(network.origin(), "block-time", "must not be negative");
        }
        int minNodes = node.getInt("min-nodes");
        if (minNodes < 1) {
            throw new ConfigException.BadValue(node.origin(), "cortex.node.min-nodes", "must be at least 1");
        }
        if (root.hasPath("pekko.cluster.min-nr-of-members") && root.getInt("pekko.cluster.min-nr-of-members") > 1) {
            // Pekko's ShardCoordinator answers no GetShardHome until that many regions registered with it; the
            // coordinator that takes over from a lost oldest node may never see them (FirstSpread)
            throw new ConfigException.BadValue(root.origin(), "pekko.cluster.min-nr-of-members",
                    "must stay 1: above it, the neurons of a lost oldest node never start again; "
                            + "use cortex.node.min-nodes to start the network once that many nodes are up");
        }
        int grpcPort = node.getInt("grpc.port");
        if (grpcPort < 0 || grpcPort > 65_535) {
            throw new ConfigException.BadValue(node.origin(), "cortex.node.grpc.port", "must be 0 to 65535");
        }
        Path tlsCert = optionalFile(node, "grpc.tls.cert");
        Path tlsKey = optionalFile(node, "grpc.tls.key");
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ConfigException.BadValue(node.origin(), "cortex.node.grpc.tls", "give both the certificate and its "
                    + "key (--tls-cert and --tls-key), or neither for plain text");
        }
        String chainFile = root.getString("cortex.chain.file");
        ChainSpec chain;
        NetworkPlan plan;
        if (chainFile.isEmpty()) {
            plan = plan(network);
            chain = Genesis.devSpec(plan);
        } else {
            chain = chainSpec(root, chainFile);
            plan = hostedNeurons(network, chain);
        }
        return new NodeSettings(name, node.getDuration("ledger-timeout"), node.getString("grpc.host"), grpcPort, tlsCert,
                tlsKey, transport,
                plan, chain, chainFile.isEmpty() ? "the dev spec of cortex.network" : chainFile, blockTime, validator,
                minNodes, node.getDuration("min-nodes-patience"));
    }

    /** A file named at {@code path} (null when empty); a name that is no file is refused at start. */
    private static Path optionalFile(Config node, String path) {
        String value = node.getString(path);
        if (value.isEmpty()) {
            return null;
        }
        Path file = Path.of(value);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new ConfigException.BadValue(node.origin(), "cortex.node." + path, "no file " + file);
        }
        return file;
    }

    private static ChainSpec chainSpec(Config root, String file) {
        try {
            return ChainSpec.read(Path.of(file));
        } catch (java.io.IOException e) {
            throw new ConfigException.BadValue(root.origin(), "cortex.chain.file", "cannot read the chain spec " + file
                    + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(root.origin(), "cortex.chain.file", e.getMessage());
        }
    }

    /**
     * The plan of the neurons this cluster hosts under {@code chain}: none outside dev mode (read without
     * deriving a key); in dev mode the plan's subnets must be the spec's genesis subnets, their keys funded.
     */
    private static NetworkPlan hostedNeurons(Config network, ChainSpec chain) {
        if (!chain.ledger().devMode()) {
            if (!network.getConfigList("subnets").isEmpty()) {
                throw new ConfigException.BadValue(network.origin(), "cortex.network.subnets", "hosted neurons need a "
                        + "dev chain spec (their keys derive from cortex.network.seed, which every node can do), and "
                        + chain + " is not one: set cortex.network.subnets = [] or start from a spec made with --dev");
            }
            return new NetworkPlan(network.getLong("seed"), List.of());
        }
        NetworkPlan plan = plan(network);
        try {
            Genesis.transactions(chain, plan);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(network.origin(), "cortex.chain.file", e.getMessage());
        }
        if (plan.subnets().isEmpty()) {
            return plan;
        }
        ChainSpec planned = Genesis.devSpec(plan);
        if (!planned.subnets().equals(chain.subnets())) {
            throw new ConfigException.BadValue(network.origin(), "cortex.network.subnets", "the network plan's "
                    + plan.subnets().size() + " subnets are not the genesis subnets of " + chain + " ("
                    + chain.subnets().size() + "): hosted neurons need their subnets created at genesis as the plan has "
                    + "them (testnet up writes both), or set cortex.network.subnets = [] to host none");
        }
        for (var e : plan.genesisBalances().entrySet()) {
            if (chain.ledger().balances().getOrDefault(e.getKey(), 0L) < e.getValue()) {
                throw new ConfigException.BadValue(network.origin(), "cortex.network.subnets", chain + " does not fund "
                        + "the network plan's key " + e.getKey() + " with " + Rao.format(e.getValue())
                        + " TAO: its neurons could not register");
            }
        }
        return plan;
    }

    private static String checked(Config c, String path) {
        String value = c.getString(path);
        try {
            QueryTransport.idle(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(c.origin(), path, e.getMessage());
        }
        return value;
    }

    /**
     * The plan of a {@code cortex.network} section: the subnets in order, netuid 1 first; neuron names are
     * {@code sn<netuid>-miner-<i>} and so on.
     */
    public static NetworkPlan plan(Config network) {
        List<NetworkPlan.SubnetPlan> subnets = new ArrayList<>();
        List<? extends Config> list = network.getConfigList("subnets");
        for (int i = 0; i < list.size(); i++) {
            Config s = list.get(i);
            int netuid = i + 1;
            String where = "cortex.network.subnets[" + i + "]";
            String mechanism = s.getString("mechanism");
            if (!SubnetMechanisms.all().containsKey(mechanism)) {
                throw new ConfigException.BadValue(s.origin(), where + ".mechanism",
                        "unknown mechanism '" + mechanism + "' (known: " + SubnetMechanisms.all().keySet() + ")");
            }
            Map<String, Long> hyper = new TreeMap<>();
            if (s.hasPath("hyperparameters")) {
                SubnetHyperparameters defaults = SubnetHyperparameters.defaults();
                for (var e : s.getConfig("hyperparameters").entrySet()) {
                    long value = s.getConfig("hyperparameters").getLong(e.getKey());
                    String problem = defaults.problem(e.getKey(), value);
                    if (problem == null && SubnetHyperparameters.parameter(e.getKey()).rootOnly()) {
                        problem = e.getKey() + " is the root's to set, not the owner's";
                    }
                    if (problem != null) {
                        throw new ConfigException.BadValue(s.origin(), where + ".hyperparameters." + e.getKey(), problem);
                    }
                    hyper.put(e.getKey(), value);
                }
            }
            List<NetworkPlan.NeuronPlan> neurons = new ArrayList<>();
            int miners = s.getInt("miners.count");
            double low = s.getDouble("miners.quality-low");
            double high = s.getDouble("miners.quality-high");
            if (miners < 0 || low < 0 || high > 1 || low > high) {
                throw new ConfigException.BadValue(s.origin(), where + ".miners",
                        "need count >= 0 and 0 <= quality-low <= quality-high <= 1");
            }
            for (int m = 0; m < miners; m++) {
                double quality = miners == 1 ? high : low + (high - low) * m / (miners - 1);
                neurons.add(new NetworkPlan.NeuronPlan(String.format("sn%d-miner-%02d", netuid, m + 1),
                        NetworkPlan.Role.MINER, quality, 0));
            }
            int validators = s.getInt("validators.count");
            long stake = Rao.tao(s.getLong("validators.stake-tao"));
            if (validators < 0 || stake <= 0) {
                throw new ConfigException.BadValue(s.origin(), where + ".validators", "need count >= 0 and stake-tao > 0");
            }
            for (int k = 0; k < validators; k++) {
                neurons.add(new NetworkPlan.NeuronPlan(String.format("sn%d-validator-%d", netuid, k + 1),
                        NetworkPlan.Role.VALIDATOR, 0, stake));
            }
            subnets.add(new NetworkPlan.SubnetPlan(netuid, mechanism, s.getString("owner"), hyper, neurons));
        }
        return new NetworkPlan(network.getLong("seed"), subnets);
    }
}

package io.cortex.sharding.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.cortex.actors.neuron.ValidatorActor;
import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.Rao;
import io.cortex.ledger.state.SubnetHyperparameters;
import io.cortex.protocol.aeron.QueryTransport;
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
 * module's reference.conf): its Aeron transport, and the network plan every node shares. Every value is
 * checked here, so a bad file fails at start with the path of the bad value, not later in an actor.
 */
public record NodeSettings(String name, Duration ledgerTimeout, String grpcHost, int grpcPort,
                           QueryTransport.Context transport, NetworkPlan plan, Duration blockTime,
                           ValidatorActor.Settings validator, int minNodes, Duration minNodesPatience) {

    public static NodeSettings from(Config root) {
        Config node = root.getConfig("cortex.node");
        Config aeron = node.getConfig("aeron");
        String name = node.getString("name");
        QueryTransport.Context transport = new QueryTransport.Context()
                .name(name)
                .host(aeron.getString("host"))
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
        return new NodeSettings(name, node.getDuration("ledger-timeout"), node.getString("grpc.host"), grpcPort, transport,
                plan(network), blockTime, validator, minNodes, node.getDuration("min-nodes-patience"));
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

    /** The subnets in order, netuid 1 first; neuron names are {@code sn<netuid>-miner-<i>} and so on. */
    static NetworkPlan plan(Config network) {
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

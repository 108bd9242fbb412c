package io.cortex.deploy.testnet;

import io.cortex.core.identity.DevKeys;
import java.time.Duration;
import java.util.Locale;

/**
 * What {@code testnet up} is asked for, and the node configuration it becomes: every node gets the same
 * {@code cortex.network} (subnet k owned by the k-th dev account, running the k-th of the mechanisms named,
 * round robin, with miners of graded quality and staked validators) and its own ports.
 *
 * <p>With {@code outside} > 0, that many of each subnet's miners (the best graded) and one of its validators
 * are not hosted: they run as processes of their own with wallets of their own ({@link OutsideProcesses}), and
 * the nodes host the rest.
 */
public record TestnetPlan(int nodes, int subnets, int miners, int validators, Duration blockTime, int tempo, long seed,
                          long validatorStakeTao, Duration roundInterval, double scoreAlpha,
                          io.cortex.subnets.Weighting weighting, Store store,
                          java.util.List<String> mechanisms, int outside, Duration heartbeatPause, String aeronIdle) {

    /** Where the ledger is kept: {@code h2} (a file under the data directory), {@code postgres}, {@code memory}. */
    public record Store(String kind, String postgresUrl, String postgresUser, String postgresPassword) {
        public Store {
            if (!kind.equals("h2") && !kind.equals("postgres") && !kind.equals("memory")) {
                throw new IllegalArgumentException("--store must be h2, postgres or memory");
            }
        }

        public static Store h2() {
            return new Store("h2", "", "", "");
        }
    }

    public TestnetPlan {
        if (nodes < 1 || nodes > 16) {
            throw new IllegalArgumentException("--nodes must be 1 to 16");
        }
        if (subnets < 1 || subnets > 128) {
            throw new IllegalArgumentException("--subnets must be 1 to 128");
        }
        try {
            io.cortex.protocol.aeron.QueryTransport.idle(aeronIdle); // the names a node's configuration takes
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--aeron-idle: " + e.getMessage(), e);
        }
        if (heartbeatPause.toMillis() < 1000 || heartbeatPause.toMillis() > 60_000) {
            throw new IllegalArgumentException("--heartbeat-pause must be 1 to 60 s");
        }
        if (miners < 1 || validators < 1 || miners + validators > 255) {
            throw new IllegalArgumentException("--miners and --validators must be at least 1, together at most 255");
        }
        if (blockTime.isNegative() || blockTime.toMillis() > 60_000) {
            throw new IllegalArgumentException("--block-time must be 0 to 60 s");
        }
        if (tempo < 1 || tempo > 50_400) {
            throw new IllegalArgumentException("--tempo must be 1 to 50400 blocks");
        }
        if (roundInterval.toMillis() < 10) {
            throw new IllegalArgumentException("--round-interval must be at least 10 ms");
        }
        if (!(scoreAlpha > 0 && scoreAlpha <= 1)) {
            throw new IllegalArgumentException("--score-alpha must be in (0, 1]");
        }
        if (outside < 0 || outside > miners) {
            throw new IllegalArgumentException("--outside must be 0 to --miners (" + miners + ")");
        }
        mechanisms = java.util.List.copyOf(mechanisms);
        if (mechanisms.isEmpty()) {
            throw new IllegalArgumentException("--mechanism needs at least one name");
        }
        if (mechanisms.size() > subnets) {
            throw new IllegalArgumentException("--mechanism names " + mechanisms.size() + " mechanisms for " + subnets
                    + " subnets (add --subnets " + mechanisms.size() + ")");
        }
        for (String m : mechanisms) {
            try {
                io.cortex.subnets.SubnetMechanisms.named(m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--mechanism: " + e.getMessage(), e);
            }
        }
    }

    /** Miners per subnet the nodes host. */
    public int hostedMiners() {
        return miners - outside;
    }

    /** Validators per subnet the nodes host: one runs outside when any miner does. */
    public int hostedValidators() {
        return outside > 0 ? validators - 1 : validators;
    }

    /** The quality of the {@code i}-th miner of a subnet (0-based) when all are graded from 0.1 to 1.0. */
    public double minerQuality(int i) {
        return miners == 1 ? 1.0 : 0.1 + 0.9 * i / (miners - 1);
    }

    /** The mechanism subnet {@code netuid} runs. */
    public String mechanism(int netuid) {
        return mechanisms.get((netuid - 1) % mechanisms.size());
    }

    /** The {@code cortex.network} section shared by every node. */
    public String network() {
        StringBuilder s = new StringBuilder();
        s.append("cortex.network {\n");
        s.append("  seed = ").append(seed).append('\n');
        s.append("  block-time = ").append(blockTime.toMillis()).append("ms\n");
        s.append(String.format(Locale.ROOT, "  validator { round-interval = %dms, query-timeout = 800ms, score-alpha = %s, "
                        + "over-baseline = %s, sharpness = %s }%n", roundInterval.toMillis(), Double.toString(scoreAlpha),
                weighting.overBaseline(), Double.toString(weighting.sharpness())));
        s.append("  subnets = [\n");
        for (int k = 0; k < subnets; k++) {
            String owner = DevKeys.NAMES.get(k % DevKeys.NAMES.size());
            s.append(String.format(Locale.ROOT, "    { mechanism = \"%s\", owner = %s, hyperparameters { tempo = %d }, "
                            + "miners { count = %d, quality-low = 0.1, quality-high = %s }, "
                            + "validators { count = %d, stake-tao = %d } }%n",
                    mechanism(k + 1), owner, tempo, hostedMiners(), Double.toString(minerQuality(Math.max(0, hostedMiners() - 1))),
                    hostedValidators(), validatorStakeTao));
        }
        s.append("  ]\n}\n");
        return s.toString();
    }

    /** One node's configuration file; an H2 ledger lives in {@code ledgerDir}. */
    public String nodeConfig(String name, int clusterPort, int grpcPort, int seedPort, java.nio.file.Path ledgerDir) {
        StringBuilder ledger = new StringBuilder("cortex.ledger.store = " + store.kind() + "\n");
        if (store.kind().equals("h2")) {
            ledger.append("cortex.ledger.h2.directory = \"").append(ledgerDir.toString().replace('\\', '/')).append("\"\n");
        } else if (store.kind().equals("postgres")) {
            ledger.append("cortex.ledger.postgres { url = \"").append(store.postgresUrl()).append("\", user = \"")
                    .append(store.postgresUser()).append("\", password = \"").append(store.postgresPassword()).append("\" }\n");
        }
        return "# written by ./cortex testnet up\n"
                + ledger
                + "cortex.node.name = \"" + name + "\"\n"
                + "cortex.node.grpc.port = " + grpcPort + "\n"
                + "pekko.remote.artery.canonical.port = " + clusterPort + "\n"
                + "pekko.cluster.seed-nodes = [\"pekko://cortex@127.0.0.1:" + seedPort + "\"]\n"
                // the neurons wait for every node once, so that they start spread over all of them
                + "cortex.node.min-nodes = " + nodes + "\n"
                // one machine, no network in between: a node silent for two seconds (by default) is gone (kill -9, a
                // crash), so find it, down it and move the ledger quickly (BENCHMARKS.md, failover); a node wrongly
                // downed stops, and its neurons start again on the others. One second was too little on two cores
                // running four nodes under load (ChaosTest saw live nodes downed, twice on 2026-12-06); two costs a
                // second of failover. Five nodes starting 512 neurons on two cores went silent for longer and were
                // all downed (2026-12-07): --heartbeat-pause raises it for such a testnet
                + "pekko.cluster.failure-detector.heartbeat-interval = 200ms\n"
                + "pekko.cluster.failure-detector.acceptable-heartbeat-pause = " + heartbeatPause.toMillis() + "ms\n"
                + "pekko.cluster.unreachable-nodes-reaper-interval = 200ms\n"
                + "pekko.cluster.gossip-interval = 250ms\n"
                + "pekko.cluster.leader-actions-interval = 250ms\n"
                + "pekko.cluster.split-brain-resolver.stable-after = 500ms\n"
                + "pekko.cluster.down-removal-margin = 300ms\n"
                // how each node's Aeron driver and query poller wait for work (reference.conf)
                + "cortex.node.aeron.driver-idle = " + aeronIdle + "\n"
                + "cortex.node.aeron.client-idle = " + aeronIdle + "\n"
                // a node taking the ledger over loads the latest snapshot and re-applies at most 19 blocks
                + "cortex.ledger.snapshot-every = 20\n"
                + network();
    }
}

package io.cortex.deploy.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.cortex.deploy.support.CliFailure;
import io.cortex.deploy.support.CortexLogging;
import io.cortex.sharding.node.CortexNode;
import java.io.File;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cortex node}: one node of a Cortex cluster, running until it is stopped (Ctrl-C or SIGTERM leave the
 * cluster cleanly: coordinated shutdown, then the Aeron transport closes and its directory is deleted).
 */
@Command(name = "node",
        description = {"Run one node of a Cortex cluster: Pekko cluster member, Aeron axon and dendrite, sharded "
                + "neurons, and the ledger singleton on the oldest node.",
            "Settings come from --config (HOCON; every key and default is in sharding's reference.conf), "
                + "then the flags. Ctrl-C leaves the cluster and cleans up.",
            "--chain FILE starts it from a chain spec (cortex network init writes one): every node of a cluster must "
                + "run the same, and a node with another is refused (exit code 1). Given a spec, the node hosts neurons "
                + "only if --config lists cortex.network.subnets, and only on a dev spec whose genesis creates them. "
                + "Without --chain, the node runs the dev spec of its configuration's network plan."})
public final class NodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "node configuration file (HOCON)")
    File config;

    @Option(names = "--name", description = "node name, for logs and the Aeron directory")
    String name;

    @Option(names = "--port", description = "cluster (Artery TCP) port (default 25520)")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "the address every listener binds: cluster, gRPC, "
            + "operations and the Aeron axon (default 127.0.0.1; 0.0.0.0 for all interfaces, with --advertise)")
    String host;

    @Option(names = "--advertise", paramLabel = "ADDRESS", description = "the address other nodes and neurons reach "
            + "this node at: the cluster's canonical host and the axon announced on the ledger (default: --host)")
    String advertise;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "serve the gRPC API over TLS with this certificate "
            + "chain (with --tls-key; clients verify it, e.g. cortex --tls-cert)")
    File tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "the certificate's private key, unencrypted PEM "
            + "(keep it 0600)")
    File tlsKey;

    @Option(names = "--seed-node", paramLabel = "HOST:PORT",
            description = "a seed node to join (repeatable); default 127.0.0.1:25520")
    List<String> seeds;

    @Option(names = "--cluster-bootstrap", description = "no seed nodes: find the other nodes through discovery and form "
            + "the cluster with them (Pekko Management's cluster bootstrap; on Kubernetes the pods the API lists, "
            + "deploy/kubernetes); needs --ops-port, the same on every node")
    boolean clusterBootstrap;

    @Option(names = "--min-nodes", description = "nodes up before the neurons start, so that they spread over all "
            + "(default 1; once only: a node lost later never stops them)")
    Integer minNodes;

    @Option(names = "--grpc-port", description = "port of the gRPC API (default 50051; 0 picks a free one)")
    Integer grpcPort;

    @Option(names = "--ops-port", description = "port of the operations endpoint over HTTP: /alive, /ready, /metrics "
            + "(default: a free one, which the node logs)")
    Integer opsPort;

    @Option(names = "--chain", paramLabel = "FILE", description = "the chain spec to start from (cortex network init "
            + "writes one); default: the dev spec of the configuration's network plan")
    File chain;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Mixin
    LogFormatOption logFormat;

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        PrintWriter out = spec.commandLine().getOut();
        Config settings = settings();
        CortexLogging.name(settings.getString("cortex.node.name"));
        CortexNode node;
        try {
            node = CortexNode.start(settings);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        out.printf("node %s up: cluster port %d, gRPC %s%s, axon %s, dashboard, health and metrics http://%s, %s (Ctrl-C stops it)%n",
                node.settings().name(), settings.getInt("pekko.remote.artery.canonical.port"), node.grpcAddress(),
                node.settings().grpcTlsCert() == null ? "" : " (TLS)", node.transport().axonChannel(), node.opsAddress(),
                node.settings().chain());
        out.flush();
        node.system().getWhenTerminated().toCompletableFuture().join();
        if (CortexNode.refused(node.system())) {
            throw new CliFailure("node " + node.settings().name() + " stopped: the cluster refused it for an incompatible "
                    + "configuration, most likely another chain spec (this node runs " + node.settings().chain()
                    + "; the log above and the refusing member's log say more)");
        }
        return 0;
    }

    /** The file over the defaults, then the flags over both. */
    // long on purpose: one flag per block, each laid over the file's value
    Config settings() {
        Config overrides = ConfigFactory.empty();
        if (name != null) {
            overrides = overrides.withValue("cortex.node.name", ConfigValueFactory.fromAnyRef(name));
        }
        if (port != null) {
            overrides = overrides.withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port));
        }
        if (clusterBootstrap) {
            if (seeds != null) {
                throw new IllegalArgumentException("--cluster-bootstrap finds the nodes itself: give no --seed-node");
            }
            overrides = overrides.withValue("cortex.node.cluster-bootstrap", ConfigValueFactory.fromAnyRef(true));
        }
        if (seeds != null) {
            overrides = overrides.withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(
                    seeds.stream().map(NodeCommand::seedAddress).toList()));
        }
        if (host != null) {
            String visible = advertise != null ? advertise : host;
            overrides = overrides
                    .withValue("pekko.remote.artery.bind.hostname", ConfigValueFactory.fromAnyRef(host))
                    .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(visible))
                    .withValue("cortex.node.grpc.host", ConfigValueFactory.fromAnyRef(host))
                    .withValue("cortex.node.ops.host", ConfigValueFactory.fromAnyRef(host))
                    .withValue("cortex.node.aeron.host", ConfigValueFactory.fromAnyRef(host))
                    .withValue("cortex.node.aeron.advertise", ConfigValueFactory.fromAnyRef(visible));
        } else if (advertise != null) {
            overrides = overrides // Artery would bind the canonical (advertised) host: bind loopback, as gRPC and Aeron do
                    .withValue("pekko.remote.artery.bind.hostname", ConfigValueFactory.fromAnyRef("127.0.0.1"))
                    .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(advertise))
                    .withValue("cortex.node.aeron.advertise", ConfigValueFactory.fromAnyRef(advertise));
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (tlsCert != null) {
            overrides = overrides
                    .withValue("cortex.node.grpc.tls.cert", ConfigValueFactory.fromAnyRef(tlsCert.getAbsolutePath()))
                    .withValue("cortex.node.grpc.tls.key", ConfigValueFactory.fromAnyRef(tlsKey.getAbsolutePath()));
        }
        if (opsPort != null) {
            overrides = overrides.withValue("cortex.node.ops.port", ConfigValueFactory.fromAnyRef(opsPort));
        }
        if (grpcPort != null) {
            overrides = overrides.withValue("cortex.node.grpc.port", ConfigValueFactory.fromAnyRef(grpcPort));
        }
        if (minNodes != null) {
            overrides = overrides.withValue("cortex.node.min-nodes", ConfigValueFactory.fromAnyRef(minNodes));
        }
        Config file = ConfigFactory.empty();
        if (config != null) {
            if (!config.isFile()) {
                throw new IllegalArgumentException("no configuration file " + config);
            }
            try {
                file = ConfigFactory.parseFile(config);
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        if (chain != null) {
            if (!chain.isFile()) {
                throw new IllegalArgumentException("no chain spec file " + chain);
            }
            overrides = overrides.withValue("cortex.chain.file", ConfigValueFactory.fromAnyRef(
                    chain.getAbsolutePath()));
            if (!file.hasPath("cortex.network.subnets")) {
                // the default plan's subnets are not in a given spec's genesis: host neurons only when asked to
                overrides = overrides.withValue("cortex.network.subnets", ConfigValueFactory.fromIterable(List.of()));
            }
        }
        try {
            return CortexNode.configuration(overrides.withFallback(file));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static String seedAddress(String hostPort) {
        if (hostPort.startsWith("pekko://")) {
            return hostPort;
        }
        if (!hostPort.matches("[\\w.-]+:\\d{1,5}")) {
            throw new IllegalArgumentException("--seed-node wants HOST:PORT, got '" + hostPort + "'");
        }
        return "pekko://" + CortexNode.SYSTEM_NAME + "@" + hostPort;
    }
}

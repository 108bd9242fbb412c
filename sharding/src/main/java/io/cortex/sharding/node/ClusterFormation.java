package io.cortex.sharding.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;

/**
 * How a node finds its cluster. By default it joins {@code pekko.cluster.seed-nodes}. With
 * {@code cortex.node.cluster-bootstrap = on} it has no seed nodes: Pekko Management's cluster bootstrap lists
 * the nodes through discovery (on Kubernetes, the pods the API server lists), probes their
 * {@code /bootstrap/seed-nodes} on the operations endpoint, and joins the cluster they report, or, when there is
 * none yet and enough of them agree, the node with the lowest address forms it.
 */
final class ClusterFormation {
    static final String BOOTSTRAP = "cortex.node.cluster-bootstrap";

    private ClusterFormation() {
    }

    /**
     * The actor system's configuration: unchanged without bootstrap; with it, no seed nodes, and Pekko
     * Management's own address (the contact point the others probe, and by which a node knows itself among the
     * discovered ones) set to the operations endpoint, at the address the cluster sees.
     */
    static Config prepare(Config config) {
        if (!config.getBoolean(BOOTSTRAP)) {
            return config;
        }
        int opsPort = config.getInt("cortex.node.ops.port");
        if (opsPort == 0) {
            throw new IllegalArgumentException(BOOTSTRAP + " needs a fixed cortex.node.ops.port (cortex node --ops-port): "
                    + "the other nodes probe it, by the port the pods name "
                    + config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name"));
        }
        String self = config.getString("pekko.remote.artery.canonical.hostname");
        if (self.equals("0.0.0.0") || self.equals("::") || self.isEmpty()) {
            // the node would not know itself among the discovered nodes, and the cluster would never form
            throw new IllegalArgumentException(BOOTSTRAP + " needs the address the other nodes reach this one at: "
                    + "give --advertise (on Kubernetes the pod's IP, $(POD_IP)) with --host " + self);
        }
        return config
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of()))
                .withValue("pekko.management.http.hostname", ConfigValueFactory.fromAnyRef(self))
                .withValue("pekko.management.http.port", ConfigValueFactory.fromAnyRef(opsPort));
    }

    /** Starts the bootstrap, once the operations endpoint serves its routes; nothing without it. */
    static void start(ActorSystem<?> system) {
        if (system.settings().config().getBoolean(BOOTSTRAP)) {
            ClusterBootstrap.get(system).start();
        }
    }
}

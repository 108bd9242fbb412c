package io.cortex.sharding.node;

import com.typesafe.config.Config;
import java.util.List;
import org.apache.pekko.cluster.ConfigValidation;
import org.apache.pekko.cluster.Invalid;
import org.apache.pekko.cluster.JoinConfigCompatChecker;
import org.apache.pekko.cluster.Valid;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Pekko's join check for the chain spec: a node joins a cluster only when both run the same spec, as
 * {@link CortexNode} records it at {@value #HASH}. A member runs the check when a node asks to join and logs
 * the refusal with both hashes; the refused node is told only that its configuration is incompatible, shuts
 * down, and {@link CortexNode} logs why with its own hash. Registered in {@code cortex-node.conf} under
 * {@code pekko.cluster.configuration-compatibility-check.checkers}.
 */
public final class SameChainSpec extends JoinConfigCompatChecker {

    /** The spec's hash, hex. */
    public static final String HASH = "cortex.chain.hash";
    /** The spec's network id, for the message. */
    public static final String NETWORK_ID = "cortex.chain.network-id";

    @Override
    public Seq<String> requiredKeys() {
        return CollectionConverters.asScala(List.of(HASH, NETWORK_ID)).toList();
    }

    /** {@code toCheck}: the joining node's values (on the member's side); {@code actualConfig}: this node's. */
    @Override
    public ConfigValidation check(Config toCheck, Config actualConfig) {
        if (!toCheck.hasPath(HASH) || !toCheck.hasPath(NETWORK_ID)) {
            return invalid("the joining node sent no chain spec hash (" + HASH + "): it is not a Cortex node that "
                    + "starts from a chain spec");
        }
        if (!actualConfig.hasPath(HASH) || !actualConfig.hasPath(NETWORK_ID)) {
            return invalid("this node has no chain spec hash (" + HASH + "): it was not started as a Cortex node");
        }
        String theirs = toCheck.getString(HASH);
        String ours = actualConfig.getString(HASH);
        if (theirs.equals(ours)) {
            return Valid.getInstance();
        }
        return invalid("chain spec hash " + shortHash(theirs) + " (network " + toCheck.getString(NETWORK_ID)
                + ") differs from the cluster's " + shortHash(ours) + " (network " + actualConfig.getString(NETWORK_ID)
                + "); the joining node was started with a different chain.json");
    }

    static String shortHash(String hex) {
        return hex.length() > 16 ? hex.substring(0, 16) + "…" : hex;
    }

    private static Invalid invalid(String message) {
        return new Invalid(CollectionConverters.asScala(List.of(message)).toList());
    }
}

package io.cortex.actors.neuron;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.core.identity.Address;
import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What the miner and validator entities share: their id ({@code netuid/hotkey}), their place in the network
 * plan that every node holds, and their restarts after a failure, with a back-off.
 */
public final class NeuronEntity {
    private NeuronEntity() {
    }

    public static String id(int netuid, Address hotkey) {
        return netuid + "/" + hotkey;
    }

    /** The neuron of the plan an entity id names. */
    static NetworkPlan.Placement placement(NetworkPlan plan, String entityId) {
        int slash = entityId.indexOf('/');
        NetworkPlan.Placement p = slash < 0 ? null : plan.placement(Address.parse(entityId.substring(slash + 1)));
        if (p == null || p.subnet().netuid() != Integer.parseInt(entityId.substring(0, slash))) {
            throw new IllegalArgumentException("entity " + entityId + " is not a neuron of the network plan");
        }
        return p;
    }

    static <T> Behavior<T> restarting(Behavior<T> behavior) {
        return Behaviors.supervise(behavior)
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    }
}

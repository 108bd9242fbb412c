package io.cortex.sharding.neurons;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Holds a new network's neurons back until its nodes are there, once. The ledger's ticks start the subnet
 * actors, and they every neuron; passed through this gate, the ticks go on only after {@code minNodes} members
 * have been Up at the same time (as this node sees the cluster), so the first allocation spreads each
 * subnet's neurons over every node instead of piling them on the first one up. The gate opens for good: a
 * node lost later never closes it, and a node that has waited {@code patience} (one that joined a cluster
 * already short of nodes) opens it anyway.
 *
 * <p>It replaces {@code pekko.cluster.min-nr-of-members}, which holds the first allocation back as well but
 * also binds every shard coordinator Pekko starts later: a coordinator answers no request for a shard's home
 * until that many regions have registered with it, and after the oldest node (the coordinators' host) is
 * lost, its successor never sees that many again, so the lost node's neurons never start anywhere.
 */
public final class FirstSpread {
    private static final Duration WATCH_EVERY = Duration.ofMillis(200);

    private final ActorSystem<?> system;
    private final int minNodes;
    private final long deadline;
    private final AtomicBoolean open = new AtomicBoolean();

    /**
     * A gate on this node, its patience counted from now. It watches the cluster from now on (every node, not
     * only the one holding the ledger: the node that takes the ledger over must have seen the nodes up).
     */
    public FirstSpread(ActorSystem<?> system, int minNodes, Duration patience) {
        if (minNodes < 1) {
            throw new IllegalArgumentException("min-nodes must be at least 1");
        }
        this.system = system;
        this.minNodes = minNodes;
        this.deadline = System.nanoTime() + patience.toNanos();
        if (!open()) {
            Cancellable[] watch = new Cancellable[1];
            watch[0] = system.scheduler().scheduleAtFixedRate(WATCH_EVERY, WATCH_EVERY, () -> {
                if (open() && watch[0] != null) {
                    watch[0].cancel();
                }
            }, system.executionContext());
        }
    }

    /** Whether the neurons may run: true once enough nodes have been Up, or patience ran out. */
    public boolean open() {
        if (open.get()) {
            return true;
        }
        long up = 0;
        for (var m : Cluster.get(system).state().getMembers()) {
            if (m.status() == MemberStatus.up()) {
                up++;
            }
        }
        boolean waitedEnough = System.nanoTime() - deadline >= 0;
        if ((up >= minNodes || waitedEnough) && open.compareAndSet(false, true)) {
            system.log().info("{} of {} nodes up{}: the ledger's ticks start the neurons from now on", up, minNodes,
                    up >= minNodes ? "" : " (waited long enough for the others)");
        }
        return open.get();
    }
}

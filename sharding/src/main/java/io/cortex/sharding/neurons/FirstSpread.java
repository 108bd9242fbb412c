package io.cortex.sharding.neurons;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;

/**
 * Holds a new network's neurons back until its nodes are there, once. The ledger's ticks start the subnet
 * actors, and they every neuron; passed through this gate, the ticks go on only after {@code minNodes} members
 * are Up and the coordinator of each entity type knows a shard region on that many nodes (as this node sees
 * it), so the first allocation spreads each subnet's neurons over every node instead of piling them on the
 * first ones up and moving them after. The gate opens for good: a node lost later never closes it, and a node
 * that has waited {@code patience} (one that joined a cluster already short of nodes) opens it anyway. Every
 * node watches from its start, since any of them may take the ledger over.
 *
 * <p>It replaces {@code pekko.cluster.min-nr-of-members}, which holds the first allocation back as well but
 * also binds every shard coordinator Pekko starts later: a coordinator answers no request for a shard's home
 * until that many regions have registered with it, and after the oldest node (the coordinators' host) is
 * lost, its successor never sees that many again, so the lost node's neurons never start anywhere.
 */
public final class FirstSpread {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FirstSpread.class);
    private static final Duration WATCH_EVERY = Duration.ofMillis(200);
    private static final Duration ASK = Duration.ofSeconds(1);

    private final ActorSystem<?> system;
    private final int minNodes;
    private final List<String> entityTypes;
    private final long deadline;
    private final AtomicBoolean open = new AtomicBoolean();
    private final AtomicBoolean asking = new AtomicBoolean();
    private final Cancellable watch;

    /** A gate on this node for the sharded {@code entityTypes}, its patience counted from now. */
    public FirstSpread(ActorSystem<?> system, int minNodes, Duration patience, List<String> entityTypes) {
        if (minNodes < 1) {
            throw new IllegalArgumentException("min-nodes must be at least 1");
        }
        this.system = system;
        this.minNodes = minNodes;
        this.entityTypes = List.copyOf(entityTypes);
        this.deadline = System.nanoTime() + patience.toNanos();
        this.watch = system.scheduler().scheduleAtFixedRate(WATCH_EVERY, WATCH_EVERY, this::check,
                system.executionContext());
    }

    /** Whether the neurons may run: true once enough nodes have been there, or patience ran out. */
    public boolean open() {
        if (!open.get() && System.nanoTime() - deadline >= 0) {
            opened(upMembers() + " of " + minNodes + " nodes up, waited long enough for the others");
        }
        return open.get();
    }

    private void check() {
        if (open() || upMembers() < minNodes || !asking.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<?>[] asked = new CompletableFuture<?>[entityTypes.size()];
        for (int i = 0; i < asked.length; i++) {
            asked[i] = regions(entityTypes.get(i));
        }
        CompletableFuture.allOf(asked).whenComplete((done, failure) -> {
            asking.set(false);
            if (failure == null && java.util.Arrays.stream(asked).allMatch(a -> (Integer) a.join() >= minNodes)) {
                opened(minNodes + " nodes up, each with its shard regions");
            }
        });
    }

    /** How many nodes' regions of an entity type its coordinator knows (0 while it knows of none). */
    private CompletableFuture<Integer> regions(String entityType) {
        try {
            return Patterns.ask(ClusterSharding.get(system).shardRegion(entityType), ShardRegion.getCurrentRegionsInstance(),
                    ASK).toCompletableFuture().thenApply(r -> ((ShardRegion.CurrentRegions) r).getRegions().size());
        } catch (IllegalStateException | IllegalArgumentException notStartedYet) {
            return CompletableFuture.completedFuture(0);
        }
    }

    private long upMembers() {
        long up = 0;
        for (var m : Cluster.get(system).state().getMembers()) {
            if (m.status() == MemberStatus.up()) {
                up++;
            }
        }
        return up;
    }

    private void opened(String why) {
        if (open.compareAndSet(false, true)) {
            watch.cancel();
            LOG.info("{}: the ledger's ticks start the neurons from now on", why);
        }
    }
}

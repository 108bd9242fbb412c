package io.cortex.sharding.ops;

import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerViews;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The node's readiness check (Pekko Management's {@code /ready}, set in cortex-node.conf): ready when it is an
 * Up member of the cluster, the ledger singleton answers it within 2 s, and then it can write to the
 * ledger's database within 2 s ({@link JournalProbe}). Liveness ({@code /alive}) is Pekko Management's own: the actor system runs.
 */
public final class Readiness implements Supplier<CompletionStage<Boolean>> {
    /** Within Pekko Management's check-timeout (5 s, cortex-node.conf), with the journal probe's 2 s after it. */
    static final Duration LEDGER_PATIENCE = Duration.ofSeconds(2);

    private final ActorSystem<?> system;

    public Readiness(org.apache.pekko.actor.ActorSystem system) {
        this.system = Adapter.toTyped(system);
    }

    @Override
    public CompletionStage<Boolean> get() {
        NodeOps ops = NodeOps.get(system);
        if (ops.ledger() == null || Cluster.get(system).selfMember().status() != MemberStatus.up()) {
            return CompletableFuture.completedFuture(false);
        }
        // the journal only once the ledger has answered: on H2 the first process to open the file serves it to
        // the others (AUTO_SERVER), and that must stay the ledger's node
        return ops.ledger().<LedgerViews.Status>ask(LedgerActor.GetStatus::new, LEDGER_PATIENCE)
                .handle((status, failure) -> failure == null)
                .thenCompose(answers -> answers ? ops.journal().writable() : CompletableFuture.completedFuture(false));
    }
}

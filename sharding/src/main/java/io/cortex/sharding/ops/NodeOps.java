package io.cortex.sharding.ops;

import io.cortex.sharding.ledger.LedgerProxy;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * What the health checks and the operations endpoint read of a node ({@link Readiness}, {@link OpsServer}):
 * its ledger, its journal probe and its metrics, set once when the node starts.
 */
public final class NodeOps implements Extension {
    private static final Id ID = new Id();

    private volatile LedgerProxy ledger;
    private volatile JournalProbe journal;
    private volatile NodeMetrics metrics;

    public static NodeOps get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public void set(LedgerProxy ledger, JournalProbe journal, NodeMetrics metrics) {
        this.ledger = ledger;
        this.journal = journal;
        this.metrics = metrics;
    }

    LedgerProxy ledger() {
        return ledger;
    }

    JournalProbe journal() {
        return journal;
    }

    NodeMetrics metrics() {
        return metrics;
    }

    private static final class Id extends ExtensionId<NodeOps> {
        @Override
        public NodeOps createExtension(ActorSystem<?> system) {
            return new NodeOps();
        }
    }
}

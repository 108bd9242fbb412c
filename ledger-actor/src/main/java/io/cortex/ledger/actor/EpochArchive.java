package io.cortex.ledger.actor;

import io.cortex.ledger.audit.EpochRecord;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the ledger keeps every epoch it ran, beyond the {@link LedgerActor#EPOCHS_KEPT} it holds in memory
 * since its last start, so that {@code explain} and {@code epoch} answer for any epoch of the chain, from
 * before a restart or a failover too. The ledger hands each epoch over when its block is persisted, and
 * again when recovery re-applies a block (keeping one already kept changes nothing); both run off the
 * ledger's thread.
 */
public interface EpochArchive {
    /** Keeps {@code epoch}, unless it is kept already. Returns at once; a failure is the archive's to log. */
    void keep(EpochRecord epoch);

    /** The epoch {@code epochIndex} of subnet {@code netuid} (-1: its latest), if kept. */
    CompletionStage<Optional<LedgerViews.EpochView>> find(int netuid, long epochIndex);

    /** Keeps nothing: a ledger whose journal is not kept either (a memory store). */
    EpochArchive NONE = new EpochArchive() {
        @Override
        public void keep(EpochRecord epoch) {
        }

        @Override
        public CompletionStage<Optional<LedgerViews.EpochView>> find(int netuid, long epochIndex) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
    };
}

package io.cortex.ledger.actor;

import io.cortex.ledger.actor.LedgerViews.EpochView;
import io.cortex.ledger.actor.LedgerViews.Missing;
import io.cortex.ledger.actor.LedgerViews.SubnetAnswer;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.state.LedgerState;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The epochs the ledger ran: the last {@link LedgerActor#EPOCHS_KEPT} of each subnet in memory (those since
 * this incarnation started), every one handed to the archive, and how many ran.
 */
final class EpochRecords {
    private final Map<Integer, ArrayDeque<EpochRecord>> records = new HashMap<>();
    private final EpochArchive archive;
    private long run;

    EpochRecords(EpochArchive archive) {
        this.archive = archive;
    }

    void keep(List<EpochRecord> epochs) {
        for (EpochRecord e : epochs) {
            run++;
            ArrayDeque<EpochRecord> kept = records.computeIfAbsent(e.netuid(), n -> new ArrayDeque<>());
            kept.addLast(e);
            archive.keep(e);
            if (kept.size() > LedgerActor.EPOCHS_KEPT) {
                kept.removeFirst();
            }
        }
    }

    long run() {
        return run;
    }

    void clear() {
        records.clear();
        run = 0;
    }

    /** Answers with the epoch from memory, else (for an existing subnet) from the archive, else why not. */
    void answer(LedgerState state, int netuid, long epochIndex, ActorRef<SubnetAnswer> replyTo) {
        SubnetAnswer inMemory = inMemory(state, netuid, epochIndex);
        if (inMemory instanceof Missing && state.subnet(netuid) != null) {
            // older than this incarnation's records, or from before its start: the archive's
            archive.find(netuid, epochIndex).whenComplete((kept, failure) ->
                    replyTo.tell(kept != null && kept.isPresent() ? kept.get() : inMemory));
        } else {
            replyTo.tell(inMemory);
        }
    }

    private SubnetAnswer inMemory(LedgerState state, int netuid, long epochIndex) {
        ArrayDeque<EpochRecord> kept = records.get(netuid);
        if (kept == null || kept.isEmpty()) {
            return new Missing(state.subnet(netuid) == null ? "no subnet " + netuid
                    : "subnet " + netuid + " has run no epoch since the ledger started");
        }
        if (epochIndex < 0) {
            return EpochView.of(kept.peekLast());
        }
        for (EpochRecord r : kept) {
            if (r.epochIndex() == epochIndex) {
                return EpochView.of(r);
            }
        }
        return new Missing("epoch " + epochIndex + " of subnet " + netuid + " is not kept (epochs "
                + kept.peekFirst().epochIndex() + " to " + kept.peekLast().epochIndex() + " are in memory, and the "
                + "archive has not got it)");
    }
}

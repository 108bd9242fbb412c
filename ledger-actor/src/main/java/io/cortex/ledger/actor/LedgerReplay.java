package io.cortex.ledger.actor;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.StateCodec;
import java.util.Arrays;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * {@code cortex replay}: the ledger's journal read back, from genesis or from the latest snapshot at or
 * before a block, every block re-applied to the state machine (its epochs run again) and its state hash
 * checked against the one recorded when it was produced. It only reads: it takes the ledger's persistence
 * id but never writes, so it may run beside the live ledger. It stops at the end of the journal or at the
 * first block whose hash differs, and tells its {@link Listener}.
 */
public final class LedgerReplay extends EventSourcedBehavior<LedgerReplay.Stop, Journal.BlockPersisted, LedgerState> {

    /** Where a replay reports; called on the replaying actor's thread. */
    public interface Listener {
        /** The state it starts from: genesis (height 0) or a snapshot. */
        void start(long height, String stateHash);

        void block(long height, int epochs);

        /**
         * A block replayed to its recorded hash: the block, what applying it gave, and the state after it
         * (read it here, on the replaying thread; it changes with the next block).
         */
        default void replayed(io.cortex.ledger.state.Block block, BlockResult result, LedgerState after) {
        }

        /** Every block replayed matched its recorded hash. */
        void verified(long height, String stateHash, long blocks, long epochs);

        /** The first block whose replayed state differs from the recorded one. */
        void diverged(long height, String recorded, String replayed);

        /** The journal could not be read. */
        void failed(Throwable cause);
    }

    /** Sent to itself once the replay is over. */
    public enum Stop { INSTANCE }

    /** A block that did not replay to its recorded hash: ends the replay. */
    static final class Divergence extends RuntimeException {
        Divergence(String message) {
            super(message, null, false, false);
        }
    }

    private final ActorContext<Stop> context;
    private final LedgerConfig config;
    private final long fromBlock;
    private final Listener listener;
    private boolean started;
    private long blocks;
    private long epochs;
    private boolean diverged;

    private LedgerReplay(ActorContext<Stop> context, LedgerConfig config, long fromBlock, Listener listener) {
        super(LedgerActor.persistenceId(config));
        this.context = context;
        this.config = config;
        this.fromBlock = fromBlock;
        this.listener = listener;
    }

    /** @param fromBlock start from the latest snapshot at or before this block; 0 replays from genesis */
    public static Behavior<Stop> create(LedgerConfig config, long fromBlock, Listener listener) {
        return Behaviors.setup(context -> new LedgerReplay(context, config, fromBlock, listener));
    }

    @Override
    public LedgerState emptyState() {
        return LedgerState.genesis(config);
    }

    @Override
    public Recovery recovery() {
        return Recovery.withSnapshotSelectionCriteria(fromBlock <= 0 ? SnapshotSelectionCriteria.none()
                : SnapshotSelectionCriteria.latest().withMaxSequenceNr(fromBlock));
    }

    @Override
    public SnapshotAdapter<LedgerState> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(LedgerState state) {
                return new Journal.LedgerSnapshot(StateCodec.encode(state));
            }

            @Override
            public LedgerState fromJournal(Object from) {
                return StateCodec.decode(((Journal.LedgerSnapshot) from).state(), config);
            }
        };
    }

    @Override
    public EventHandler<LedgerState, Journal.BlockPersisted> eventHandler() {
        return (state, event) -> {
            if (!started) {
                started = true;
                listener.start(state.height(), state.stateHashHex());
            }
            if (diverged) {
                return state;
            }
            BlockResult result = state.apply(event.block());
            if (!Arrays.equals(result.header().stateHash(), event.stateHash())) {
                diverged = true;
                listener.diverged(event.height(), Canonical.hex(event.stateHash()), Canonical.hex(result.header().stateHash()));
                throw new Divergence("block " + event.height() + " replays to another state");
            }
            blocks++;
            epochs += result.epochs().size();
            listener.replayed(event.block(), result, state);
            listener.block(event.height(), result.epochs().size());
            return state;
        };
    }

    @Override
    public SignalHandler<LedgerState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (!started) {
                        listener.start(state.height(), state.stateHashHex());
                    }
                    listener.verified(state.height(), state.stateHashHex(), blocks, epochs);
                    context.getSelf().tell(Stop.INSTANCE);
                })
                .onSignal(RecoveryFailed.class, (state, failed) -> {
                    if (!diverged) {
                        listener.failed(failed.getFailure());
                    }
                })
                .build();
    }

    @Override
    public CommandHandler<Stop, Journal.BlockPersisted, LedgerState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState().onAnyCommand(stop -> Effect().stop());
    }
}

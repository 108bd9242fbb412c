package io.cortex.ledger.actor;

import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.core.identity.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The ledger actor's transactions waiting for the next block, each with whom to answer, and the nonce each
 * account's next transaction takes: the ledger's, past the ones already waiting.
 */
final class TransactionQueue {
    /** A submitted transaction and its sender (none for the genesis transactions). */
    record Pending(SignedTransaction transaction, ActorRef<Receipt> replyTo) {
    }

    private final List<Pending> pending = new ArrayList<>();
    private final Map<Address, Long> queuedNonce = new HashMap<>();

    void add(SignedTransaction tx, ActorRef<Receipt> replyTo) {
        pending.add(new Pending(tx, replyTo));
        queuedNonce.merge(tx.signer(), tx.nonce() + 1, Math::max);
    }

    /** The nonce {@code account}'s next transaction takes. */
    long nextNonce(LedgerState state, Address account) {
        return queuedNonce.getOrDefault(account, state.nonce(account));
    }

    /** Everything waiting, in the order it came: the next block's; the queue is empty after. */
    List<Pending> drain() {
        List<Pending> batch = new ArrayList<>(pending);
        clear();
        return batch;
    }

    void clear() {
        pending.clear();
        queuedNonce.clear();
    }
}

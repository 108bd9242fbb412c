package io.cortex.ledger.state;

import io.cortex.ledger.tx.SignedTransaction;
import java.util.List;

/**
 * What the block producer proposes: the next height, its time (informational; nothing economic reads it)
 * and the transactions received since the last block, in arrival order.
 */
public record Block(long height, long timestamp, List<SignedTransaction> transactions) {
    public Block {
        transactions = List.copyOf(transactions);
    }
}

package io.cortex.ledger.state;

import io.cortex.ledger.audit.BlockHeader;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.tx.Receipt;
import java.util.List;
import java.util.Map;

/**
 * What applying one block gave: its header, one receipt per transaction in order, the epochs it ran, and
 * the TAO rao the block's coinbase put into each subnet's pool by netuid (what the emission policy decided;
 * subnets given nothing are left out), and how long each epoch took to run, in nanoseconds of this process's
 * clock (for metrics: it is not part of the state, and another node's differs).
 */
public record BlockResult(BlockHeader header, List<Receipt> receipts, List<EpochRecord> epochs, Map<Integer, Long> taoIn,
                          List<Long> epochNanos) {
    public BlockResult {
        taoIn = Map.copyOf(taoIn);
        epochNanos = List.copyOf(epochNanos);
        if (epochNanos.size() != epochs.size()) {
            throw new IllegalArgumentException(epochNanos.size() + " epoch times for " + epochs.size() + " epochs");
        }
    }
}

package io.cortex.ledger.state;

import io.cortex.ledger.audit.BlockHeader;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.tx.Receipt;
import java.util.List;
import java.util.Map;

/**
 * What applying one block gave: its header, one receipt per transaction in order, the epochs it ran, and
 * the TAO rao the block's coinbase put into each subnet's pool by netuid (what the emission policy decided;
 * subnets given nothing are left out).
 */
public record BlockResult(BlockHeader header, List<Receipt> receipts, List<EpochRecord> epochs, Map<Integer, Long> taoIn) {
    public BlockResult {
        taoIn = Map.copyOf(taoIn);
    }
}

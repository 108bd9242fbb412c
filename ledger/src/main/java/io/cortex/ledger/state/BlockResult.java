package io.cortex.ledger.state;

import io.cortex.ledger.audit.BlockHeader;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.tx.Receipt;
import java.util.List;

/** What applying one block gave: its header, one receipt per transaction in order, and the epochs it ran. */
public record BlockResult(BlockHeader header, List<Receipt> receipts, List<EpochRecord> epochs) {
}

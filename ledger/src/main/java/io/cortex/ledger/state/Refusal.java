package io.cortex.ledger.state;

import io.cortex.ledger.tx.RejectReason;

/** Why a transaction is refused; the rule methods return null when every check passes. */
record Refusal(RejectReason reason, String detail) {
}

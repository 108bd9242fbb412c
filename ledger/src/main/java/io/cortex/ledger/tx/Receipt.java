package io.cortex.ledger.tx;

import io.cortex.ledger.audit.Canonical;
import io.cortex.core.message.CortexMessage;

/** What became of one transaction in a block: accepted, or rejected with a reason and nothing changed. */
public sealed interface Receipt extends CortexMessage {
    /** The transaction's hash. */
    byte[] transaction();

    boolean accepted();

    record Accepted(byte[] transaction) implements Receipt {
        public boolean accepted() {
            return true;
        }

        @Override
        public String toString() {
            return "Accepted[" + Canonical.hex(transaction).substring(0, 12) + "]";
        }
    }

    record Rejected(byte[] transaction, RejectReason reason, String detail) implements Receipt {
        public boolean accepted() {
            return false;
        }

        /** One line a user can read: the reason and what exactly was wrong. */
        public String message() {
            return reason.description() + (detail.isEmpty() ? "" : ": " + detail);
        }

        @Override
        public String toString() {
            return "Rejected[" + reason + ": " + detail + "]";
        }
    }
}

package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;

/**
 * Alpha emitted into a subnet and not yet paid (yuma.md section 5.5): the miners' and validators' halves and
 * the owner cut, filled every block and emptied by the epoch. Immutable: the subnet holds the latest.
 */
record EmissionBuckets(long server, long validator, long ownerCut) {
    static final EmissionBuckets EMPTY = new EmissionBuckets(0, 0, 0);

    void write(Canonical c) {
        c.i64(server).i64(validator).i64(ownerCut);
    }

    static EmissionBuckets read(StateReader r) {
        return new EmissionBuckets(r.i64(), r.i64(), r.i64());
    }

    EmissionBuckets filled(long ownerCut, long server, long validator) {
        return new EmissionBuckets(this.server + server, this.validator + validator, this.ownerCut + ownerCut);
    }

    /** What the miners' and validators' halves hold: the epoch's emission. */
    long emission() {
        return server + validator;
    }

    long total() {
        return server + validator + ownerCut;
    }
}

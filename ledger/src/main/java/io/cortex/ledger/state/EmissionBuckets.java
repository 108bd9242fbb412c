package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;

/**
 * Alpha emitted into a subnet and not yet paid (yuma.md section 5.5): the miners' and validators' halves and
 * the owner cut, filled every block and emptied by the epoch.
 */
final class EmissionBuckets {
    private long server;
    private long validator;
    private long ownerCut;

    EmissionBuckets copy() {
        EmissionBuckets c = new EmissionBuckets();
        c.server = server;
        c.validator = validator;
        c.ownerCut = ownerCut;
        return c;
    }

    void write(Canonical c) {
        c.i64(server).i64(validator).i64(ownerCut);
    }

    static EmissionBuckets read(StateReader r) {
        EmissionBuckets b = new EmissionBuckets();
        b.server = r.i64();
        b.validator = r.i64();
        b.ownerCut = r.i64();
        return b;
    }

    void fill(long ownerCut, long server, long validator) {
        this.ownerCut += ownerCut;
        this.server += server;
        this.validator += validator;
    }

    /** The epoch takes everything: what the miners' and validators' halves held, and the owner cut. */
    Taken take() {
        Taken t = new Taken(server + validator, ownerCut);
        server = 0;
        validator = 0;
        ownerCut = 0;
        return t;
    }

    record Taken(long emission, long ownerCut) {
    }

    long server() {
        return server;
    }

    long validator() {
        return validator;
    }

    long ownerCut() {
        return ownerCut;
    }
}

package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;

/**
 * When a subnet's epochs ran (yuma.md section 3): the last epoch's block, the last mechanism step, and how many
 * ran. Immutable: the subnet holds the latest.
 */
record EpochClock(long lastEpochBlock, long lastMechanismStepBlock, long epochIndex) {

    /** A new subnet's clock, as if its last epoch ran at {@code lastEpochBlock} (spreading subnets' epochs apart). */
    static EpochClock startingAt(long lastEpochBlock) {
        return new EpochClock(lastEpochBlock, 0, 0);
    }

    void write(Canonical c) {
        c.i64(lastEpochBlock).i64(lastMechanismStepBlock).i64(epochIndex);
    }

    static EpochClock read(StateReader r) {
        return new EpochClock(r.i64(), r.i64(), r.i64());
    }

    /** The clock after an epoch ran at {@code now}; that epoch's index is this clock's {@link #epochIndex}. */
    EpochClock ran(long now) {
        return new EpochClock(now, now, epochIndex + 1);
    }
}

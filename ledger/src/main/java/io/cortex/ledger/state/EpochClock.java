package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;

/**
 * When a subnet's epochs ran (yuma.md section 3): the last epoch's block, the last mechanism step, and how many
 * ran. Immutable: the subnet holds the latest.
 */
record EpochClock(long lastEpochBlock, long lastMechanismStepBlock, long epochIndex) {

    /** A clock as if the last epoch ran at {@code lastEpochBlock}, none run yet. */
    static EpochClock startingAt(long lastEpochBlock) {
        return new EpochClock(lastEpochBlock, 0, 0);
    }

    /**
     * A new subnet's clock, its epochs in the phase its netuid gives ({@code lastEpochBlock + netuid} a multiple of
     * the tempo), whatever block it opened at: subnets created one a block, as netuids are given out, would
     * otherwise all fall due in the same block. The last epoch is put less than a tempo back, before genesis if
     * need be (a negative block), so the first epoch comes within a tempo.
     */
    static EpochClock phasedBy(int netuid, long now, int tempo) {
        return startingAt(tempo <= 0 ? now : now - Math.floorMod(now + netuid, (long) tempo));
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

package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;

/** When a subnet's epochs ran (yuma.md section 3): the last epoch's block, the last mechanism step, and how many ran. */
final class EpochClock {
    private long lastEpochBlock;
    private long lastMechanismStepBlock;
    private long epochIndex;

    /** A new subnet's clock, as if its last epoch ran at {@code lastEpochBlock} (spreading subnets' epochs apart). */
    static EpochClock startingAt(long lastEpochBlock) {
        EpochClock c = new EpochClock();
        c.lastEpochBlock = lastEpochBlock;
        return c;
    }

    EpochClock copy() {
        EpochClock c = new EpochClock();
        c.lastEpochBlock = lastEpochBlock;
        c.lastMechanismStepBlock = lastMechanismStepBlock;
        c.epochIndex = epochIndex;
        return c;
    }

    void write(Canonical c) {
        c.i64(lastEpochBlock).i64(lastMechanismStepBlock).i64(epochIndex);
    }

    static EpochClock read(StateReader r) {
        EpochClock c = new EpochClock();
        c.lastEpochBlock = r.i64();
        c.lastMechanismStepBlock = r.i64();
        c.epochIndex = r.i64();
        return c;
    }

    /** An epoch ran at {@code now}; returns its index. */
    long ran(long now) {
        lastMechanismStepBlock = now;
        lastEpochBlock = now;
        return epochIndex++;
    }

    long lastEpochBlock() {
        return lastEpochBlock;
    }

    long lastMechanismStepBlock() {
        return lastMechanismStepBlock;
    }

    long epochIndex() {
        return epochIndex;
    }
}

package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;

/**
 * A subnet's moving average of an amount per block, and this block's amount still adding up: the net TAO flow
 * and the demand (yuma.md section 5.3). Immutable: the pool holds the latest.
 *
 * @param average   the moving average, rao per block
 * @param thisBlock what this block has added so far, rao (negative for a net outflow)
 */
record BlockAverage(double average, long thisBlock) {
    static final BlockAverage ZERO = new BlockAverage(0, 0);

    void write(Canonical c) {
        c.f64(average).i64(thisBlock);
    }

    static BlockAverage read(StateReader r) {
        return new BlockAverage(r.f64(), r.i64());
    }

    BlockAverage plus(long amount) {
        return new BlockAverage(average, thisBlock + amount);
    }

    /** The end of a block: this block's amount joins the average, which keeps {@code keep} of itself. */
    BlockAverage settled(double keep) {
        return new BlockAverage(keep * average + (1 - keep) * thisBlock, 0);
    }
}

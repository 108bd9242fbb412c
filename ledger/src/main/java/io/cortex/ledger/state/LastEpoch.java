package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.yuma.EpochOutput;
import java.util.Arrays;

/**
 * The last epoch's outputs per uid slot, zeroed when a slot gets a new hotkey: emission, the five u16 outputs
 * (in the state's order: incentive, dividends, consensus, validator trust, stake weight) and whether it was
 * active. Held by {@link Neurons}.
 */
final class LastEpoch {
    static final int INCENTIVE = 0;
    static final int DIVIDENDS = 1;
    static final int CONSENSUS = 2;
    static final int VALIDATOR_TRUST = 3;
    static final int STAKE_WEIGHT = 4;
    private static final int U16_OUTPUTS = 5;

    private long[] emission;
    /** The u16 outputs, one column each, by the indexes above. */
    private final int[][] u16 = new int[U16_OUTPUTS][];
    private boolean[] active;

    LastEpoch(int capacity) {
        emission = new long[capacity];
        for (int k = 0; k < U16_OUTPUTS; k++) {
            u16[k] = new int[capacity];
        }
        active = new boolean[capacity];
    }

    LastEpoch copy() {
        LastEpoch c = new LastEpoch(0);
        c.emission = emission.clone();
        for (int k = 0; k < U16_OUTPUTS; k++) {
            c.u16[k] = u16[k].clone();
        }
        c.active = active.clone();
        return c;
    }

    void grow(int capacity) {
        emission = Arrays.copyOf(emission, capacity);
        for (int k = 0; k < U16_OUTPUTS; k++) {
            u16[k] = Arrays.copyOf(u16[k], capacity);
        }
        active = Arrays.copyOf(active, capacity);
    }

    /** A slot's outputs before its first epoch: nothing earned, and active. */
    void clear(int uid) {
        emission[uid] = 0;
        for (int[] column : u16) {
            column[uid] = 0;
        }
        active[uid] = true;
    }

    void record(EpochOutput output, int n) {
        int[][] from = {output.incentive(), output.dividends(), output.consensus(), output.validatorTrust(),
                output.stakeWeight()};
        System.arraycopy(output.emission(), 0, emission, 0, n);
        for (int k = 0; k < U16_OUTPUTS; k++) {
            System.arraycopy(from[k], 0, u16[k], 0, n);
        }
        System.arraycopy(output.active(), 0, active, 0, n);
    }

    void write(Canonical c, int uid) {
        c.i64(emission[uid]);
        for (int[] column : u16) {
            c.i32(column[uid]);
        }
        c.bool(active[uid]);
    }

    void read(StateReader r, int uid) {
        emission[uid] = r.i64();
        for (int[] column : u16) {
            column[uid] = r.i32();
        }
        active[uid] = r.bool();
    }

    long emission(int uid) {
        return emission[uid];
    }

    /** One of the u16 outputs ({@link #INCENTIVE} and the others). */
    int u16(int output, int uid) {
        return u16[output][uid];
    }

    boolean active(int uid) {
        return active[uid];
    }
}

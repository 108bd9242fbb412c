package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.yuma.EpochOutput;
import java.util.Arrays;

/** The last epoch's outputs per uid slot, zeroed when a slot gets a new hotkey. Held by {@link Neurons}. */
final class LastEpoch {
    private long[] emission;
    private int[] incentive;
    private int[] dividends;
    private int[] consensus;
    private int[] validatorTrust;
    private int[] stakeWeight;
    private boolean[] active;

    LastEpoch(int capacity) {
        emission = new long[capacity];
        incentive = new int[capacity];
        dividends = new int[capacity];
        consensus = new int[capacity];
        validatorTrust = new int[capacity];
        stakeWeight = new int[capacity];
        active = new boolean[capacity];
    }

    LastEpoch copy() {
        LastEpoch c = new LastEpoch(0);
        c.emission = emission.clone();
        c.incentive = incentive.clone();
        c.dividends = dividends.clone();
        c.consensus = consensus.clone();
        c.validatorTrust = validatorTrust.clone();
        c.stakeWeight = stakeWeight.clone();
        c.active = active.clone();
        return c;
    }

    void grow(int capacity) {
        emission = Arrays.copyOf(emission, capacity);
        incentive = Arrays.copyOf(incentive, capacity);
        dividends = Arrays.copyOf(dividends, capacity);
        consensus = Arrays.copyOf(consensus, capacity);
        validatorTrust = Arrays.copyOf(validatorTrust, capacity);
        stakeWeight = Arrays.copyOf(stakeWeight, capacity);
        active = Arrays.copyOf(active, capacity);
    }

    /** A slot's outputs before its first epoch: nothing earned, and active. */
    void clear(int uid) {
        emission[uid] = 0;
        incentive[uid] = 0;
        dividends[uid] = 0;
        consensus[uid] = 0;
        validatorTrust[uid] = 0;
        stakeWeight[uid] = 0;
        active[uid] = true;
    }

    void record(EpochOutput output, int n) {
        for (int uid = 0; uid < n; uid++) {
            emission[uid] = output.emission()[uid];
            incentive[uid] = output.incentive()[uid];
            dividends[uid] = output.dividends()[uid];
            consensus[uid] = output.consensus()[uid];
            validatorTrust[uid] = output.validatorTrust()[uid];
            stakeWeight[uid] = output.stakeWeight()[uid];
            active[uid] = output.active()[uid];
        }
    }

    void write(Canonical c, int uid) {
        c.i64(emission[uid]).i32(incentive[uid]).i32(dividends[uid]).i32(consensus[uid]).i32(validatorTrust[uid])
                .i32(stakeWeight[uid]).bool(active[uid]);
    }

    void read(StateReader r, int uid) {
        emission[uid] = r.i64();
        incentive[uid] = r.i32();
        dividends[uid] = r.i32();
        consensus[uid] = r.i32();
        validatorTrust[uid] = r.i32();
        stakeWeight[uid] = r.i32();
        active[uid] = r.bool();
    }

    long emission(int uid) {
        return emission[uid];
    }

    int incentive(int uid) {
        return incentive[uid];
    }

    int dividends(int uid) {
        return dividends[uid];
    }

    int consensus(int uid) {
        return consensus[uid];
    }

    int validatorTrust(int uid) {
        return validatorTrust[uid];
    }

    int stakeWeight(int uid) {
        return stakeWeight[uid];
    }

    boolean active(int uid) {
        return active[uid];
    }
}

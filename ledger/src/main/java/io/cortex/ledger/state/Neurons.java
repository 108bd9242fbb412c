package io.cortex.ledger.state;

import io.cortex.core.identity.Address;
import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.yuma.EpochOutput;
import io.cortex.ledger.yuma.StoredMatrix;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A subnet's uid slots (yuma.md section 8): each slot's hotkey, registration block, last update, validator
 * permit, axon and stored weights, the bonds between slots, and the last epoch's outputs. A slot is taken by
 * {@link #append} or, when the subnet is full, {@link #replace}; nothing else changes who holds a uid.
 */
final class Neurons {
    private int n;
    private Address[] hotkey = new Address[0];
    private long[] registeredAt = new long[0];
    private long[] lastUpdate = new long[0];
    private boolean[] permit = new boolean[0];
    private String[] axon = new String[0];
    private int[][] weightUids = new int[0][];
    private char[][] weightValues = new char[0][];
    private StoredMatrix bonds = StoredMatrix.empty(0);
    private final Map<Address, Integer> uidOf = new HashMap<>();
    private LastEpoch outputs = new LastEpoch(0);

    /** A deep copy: every array and map is new, so the copy and this one can change independently. */
    Neurons copy() {
        Neurons c = new Neurons();
        c.n = n;
        c.hotkey = hotkey.clone();
        c.registeredAt = registeredAt.clone();
        c.lastUpdate = lastUpdate.clone();
        c.permit = permit.clone();
        c.axon = axon.clone();
        c.weightUids = weightUids.clone(); // rows are never changed in place, only replaced
        c.weightValues = weightValues.clone();
        c.bonds = bonds;
        c.uidOf.putAll(uidOf);
        c.outputs = outputs.copy();
        return c;
    }

    /** Each slot with its last epoch's outputs and its weights, then the bonds. */
    void write(Canonical c) {
        c.i32(n);
        for (int uid = 0; uid < n; uid++) {
            c.address(hotkey[uid]).i64(registeredAt[uid]).i64(lastUpdate[uid]).bool(permit[uid]).string(axon[uid]);
            outputs.write(c, uid);
            int[] uids = weightUids[uid];
            c.i32(uids == null ? -1 : uids.length);
            if (uids != null) {
                for (int k = 0; k < uids.length; k++) {
                    c.i32(uids[k]).i32(weightValues[uid][k]);
                }
            }
        }
        c.i32(bonds.rows()).i32(bonds.nonZeros());
        for (int i = 0; i < bonds.rows(); i++) {
            c.i32(bonds.rowEnd(i) - bonds.rowStart(i));
            for (int k = bonds.rowStart(i); k < bonds.rowEnd(i); k++) {
                c.i32(bonds.column(k)).i32(bonds.value(k));
            }
        }
    }

    static Neurons read(StateReader r) {
        Neurons s = new Neurons();
        int n = r.count();
        s.resize(n);
        s.n = n;
        for (int uid = 0; uid < n; uid++) {
            s.hotkey[uid] = r.address();
            s.uidOf.put(s.hotkey[uid], uid);
            s.registeredAt[uid] = r.i64();
            s.lastUpdate[uid] = r.i64();
            s.permit[uid] = r.bool();
            s.axon[uid] = r.string();
            s.outputs.read(r, uid);
            int weights = r.i32();
            if (weights >= 0) {
                int[] uids = new int[weights];
                char[] values = new char[weights];
                for (int k = 0; k < weights; k++) {
                    uids[k] = r.i32();
                    values[k] = (char) r.i32();
                }
                s.weightUids[uid] = uids;
                s.weightValues[uid] = values;
            }
        }
        s.bonds = readBonds(r);
        return s;
    }

    private static StoredMatrix readBonds(StateReader r) {
        int rows = r.count();
        int nonZeros = r.count();
        int[] rowStart = new int[rows + 1];
        int[] col = new int[nonZeros];
        char[] val = new char[nonZeros];
        int at = 0;
        for (int i = 0; i < rows; i++) {
            int entries = r.count();
            for (int k = 0; k < entries; k++) {
                col[at] = r.i32();
                val[at] = (char) r.i32();
                at++;
            }
            rowStart[i + 1] = at;
        }
        if (at != nonZeros) {
            throw new IllegalArgumentException("bond entries do not add up");
        }
        return StoredMatrix.fromArrays(rowStart, col, val);
    }

    private void resize(int capacity) {
        hotkey = Arrays.copyOf(hotkey, capacity);
        registeredAt = Arrays.copyOf(registeredAt, capacity);
        lastUpdate = Arrays.copyOf(lastUpdate, capacity);
        permit = Arrays.copyOf(permit, capacity);
        axon = Arrays.copyOf(axon, capacity);
        weightUids = Arrays.copyOf(weightUids, capacity);
        weightValues = Arrays.copyOf(weightValues, capacity);
        outputs.grow(capacity);
    }

    // ------------------------------------------------------------------------------------------- changes

    /** Puts a neuron in a new uid slot. */
    int append(Address key, long block) {
        int uid = n++;
        if (uid == hotkey.length) {
            resize(Math.max(8, hotkey.length * 2));
        }
        occupy(uid, key, block);
        bonds = bonds.resized(n);
        return uid;
    }

    /**
     * Puts a new hotkey into an existing uid (section 8): its own weights and bonds rows go, other
     * validators' weights on the slot become 0 (the entries stay), its outputs are zeroed.
     */
    void replace(int uid, Address key, long block) {
        uidOf.remove(hotkey[uid]);
        occupy(uid, key, block);
        for (int i = 0; i < n; i++) {
            int[] row = weightUids[i];
            if (row == null) {
                continue;
            }
            int k = Arrays.binarySearch(row, uid);
            if (k >= 0 && weightValues[i][k] != 0) {
                char[] values = weightValues[i].clone();
                values[k] = 0;
                weightValues[i] = values;
            }
        }
        bonds = bonds.withoutRow(uid);
    }

    private void occupy(int uid, Address key, long block) {
        hotkey[uid] = key;
        uidOf.put(key, uid);
        registeredAt[uid] = block;
        lastUpdate[uid] = block;
        permit[uid] = false;
        axon[uid] = "";
        weightUids[uid] = null;
        weightValues[uid] = null;
        outputs.clear(uid);
    }

    void setWeights(int uid, int[] uids, char[] values, long block, boolean touchLastUpdate) {
        weightUids[uid] = uids;
        weightValues[uid] = values;
        if (touchLastUpdate) {
            lastUpdate[uid] = block;
        }
    }

    /** The uid did something that counts as activity (a weight commit) at {@code block}. */
    void touch(int uid, long block) {
        lastUpdate[uid] = block;
    }

    void serve(int uid, String endpoint) {
        axon[uid] = endpoint;
    }

    /** An epoch's results: permits, bonds and each slot's outputs. */
    void recordEpoch(EpochOutput output) {
        for (int uid = 0; uid < n; uid++) {
            permit[uid] = output.validatorPermit()[uid];
        }
        outputs.record(output, n);
        bonds = output.bonds();
    }

    // -------------------------------------------------------------------------------------------- reads

    int size() {
        return n;
    }

    Address hotkey(int uid) {
        return hotkey[uid];
    }

    int uidOf(Address key) {
        return uidOf.getOrDefault(key, -1);
    }

    long registeredAt(int uid) {
        return registeredAt[uid];
    }

    long lastUpdate(int uid) {
        return lastUpdate[uid];
    }

    boolean permit(int uid) {
        return permit[uid];
    }

    String axon(int uid) {
        return axon[uid];
    }

    /** Whether the uid has stored weights (an empty list counts). */
    boolean hasWeights(int uid) {
        return weightUids[uid] != null;
    }

    int[] weightUids(int uid) {
        return weightUids[uid] == null ? new int[0] : weightUids[uid].clone();
    }

    int[] weightValues(int uid) {
        char[] v = weightValues[uid];
        int[] out = new int[v == null ? 0 : v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    StoredMatrix bonds() {
        return bonds;
    }

    LastEpoch outputs() {
        return outputs;
    }

    long[] lastUpdates() {
        return Arrays.copyOf(lastUpdate, n);
    }

    long[] registrations() {
        return Arrays.copyOf(registeredAt, n);
    }

    /** The stored weights as the epoch reads them. */
    StoredMatrix weightsMatrix() {
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += weightUids[i] == null ? 0 : weightUids[i].length;
        }
        StoredMatrix.Builder b = StoredMatrix.builder(n, total);
        for (int i = 0; i < n; i++) {
            int[] row = weightUids[i];
            if (row != null) {
                for (int k = 0; k < row.length; k++) {
                    b.add(row[k], weightValues[i][k]);
                }
            }
            b.endRow();
        }
        return b.build();
    }
}

package io.cortex.ledger.state;

import io.cortex.ledger.pool.WeightedPool;
import io.cortex.ledger.yuma.StoredMatrix;
import io.cortex.core.identity.Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One subnet's part of the ledger (yuma.md sections 3 to 8): owner, hyper-parameters, pool, emission
 * buckets, epoch clock, burn price, its neurons by uid, the stake on its hotkeys, stored weights, bonds,
 * permits, commits and the last epoch's outputs. Netuid 0 is the root subnet: TAO staked 1:1, no neurons.
 *
 * <p>Mutable, changed only by the ledger while it applies a block; {@link #copy()} snapshots it.
 */
public final class Subnet {
    /** A weight commit awaiting its reveal (section 7.2). */
    public record Commit(byte[] hash, long epoch, long block) {
    }

    final int netuid;
    final Address ownerColdkey;
    final Address ownerHotkey;
    SubnetHyperparameters hyper;
    final long createdAt;
    long firstEmissionBlock = -1;
    final long lockCost;

    // pool (section 6) and alpha accounting
    long taoReserve;
    long alphaReserve;
    double taoWeight = 0.5;
    long protocolAlpha;
    long alphaMinted;
    long alphaBurned;
    double movingPrice;
    double minerBurned;
    double netTaoFlow;
    /** Net TAO staked in this block (stake in, registration burns; stake out negative). */
    long blockTaoFlow;
    /** Moving average of the TAO users paid the subnet per block, rao; {@link #blockDemand} this block. */
    double demand;
    long blockDemand;

    // pending emission (section 5.5)
    long pendingServer;
    long pendingValidator;
    long pendingOwnerCut;

    // epoch clock (section 3)
    long lastEpochBlock;
    long lastMechanismStepBlock;
    long epochIndex;

    // registration (section 8)
    long burn;

    // neurons by uid
    int n;
    Address[] hotkey = new Address[0];
    long[] registeredAt = new long[0];
    long[] lastUpdate = new long[0];
    boolean[] permit = new boolean[0];
    String[] axon = new String[0];
    int[][] weightUids = new int[0][];
    char[][] weightValues = new char[0][];
    StoredMatrix bonds = StoredMatrix.empty(0);
    final Map<Address, Integer> uidOf = new HashMap<>();

    // last epoch's outputs per uid, zeroed when a uid is replaced
    long[] emission = new long[0];
    int[] incentive = new int[0];
    int[] dividends = new int[0];
    int[] consensus = new int[0];
    int[] validatorTrust = new int[0];
    int[] stakeWeight = new int[0];
    boolean[] active = new boolean[0];

    final TreeMap<Address, HotkeyStake> stake = new TreeMap<>();
    final TreeMap<Address, List<Commit>> commits = new TreeMap<>();

    Subnet(int netuid, Address ownerColdkey, Address ownerHotkey, SubnetHyperparameters hyper, long createdAt,
           long lockCost) {
        this.netuid = netuid;
        this.ownerColdkey = ownerColdkey;
        this.ownerHotkey = ownerHotkey;
        this.hyper = hyper;
        this.createdAt = createdAt;
        this.lockCost = lockCost;
    }

    /** A deep copy: every array and map is new, so the copy and this one can change independently. */
    Subnet copy() {
        Subnet c = new Subnet(netuid, ownerColdkey, ownerHotkey, hyper, createdAt, lockCost);
        c.firstEmissionBlock = firstEmissionBlock;
        c.taoReserve = taoReserve;
        c.alphaReserve = alphaReserve;
        c.taoWeight = taoWeight;
        c.protocolAlpha = protocolAlpha;
        c.alphaMinted = alphaMinted;
        c.alphaBurned = alphaBurned;
        c.movingPrice = movingPrice;
        c.minerBurned = minerBurned;
        c.netTaoFlow = netTaoFlow;
        c.blockTaoFlow = blockTaoFlow;
        c.demand = demand;
        c.blockDemand = blockDemand;
        c.pendingServer = pendingServer;
        c.pendingValidator = pendingValidator;
        c.pendingOwnerCut = pendingOwnerCut;
        c.lastEpochBlock = lastEpochBlock;
        c.lastMechanismStepBlock = lastMechanismStepBlock;
        c.epochIndex = epochIndex;
        c.burn = burn;
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
        c.emission = emission.clone();
        c.incentive = incentive.clone();
        c.dividends = dividends.clone();
        c.consensus = consensus.clone();
        c.validatorTrust = validatorTrust.clone();
        c.stakeWeight = stakeWeight.clone();
        c.active = active.clone();
        stake.forEach((k, v) -> c.stake.put(k, v.copy()));
        commits.forEach((k, v) -> c.commits.put(k, new ArrayList<>(v)));
        return c;
    }

    public boolean isRoot() {
        return netuid == 0;
    }

    public int netuid() {
        return netuid;
    }

    public Address ownerColdkey() {
        return ownerColdkey;
    }

    public Address ownerHotkey() {
        return ownerHotkey;
    }

    public SubnetHyperparameters hyperparameters() {
        return hyper;
    }

    public boolean started() {
        return firstEmissionBlock >= 0;
    }

    public long firstEmissionBlock() {
        return firstEmissionBlock;
    }

    public long taoReserve() {
        return taoReserve;
    }

    public long alphaReserve() {
        return alphaReserve;
    }

    public double taoWeight() {
        return taoWeight;
    }

    public long protocolAlpha() {
        return protocolAlpha;
    }

    public long alphaMinted() {
        return alphaMinted;
    }

    public long alphaBurned() {
        return alphaBurned;
    }

    /** Alpha outside the pool: stakes, pending emission and the protocol's bought alpha. */
    public long alphaOutstanding() {
        return alphaMinted - alphaBurned - alphaReserve;
    }

    /** Alpha issuance for the halving of the subnet's alpha emission: reserve plus outstanding. */
    public long alphaIssuance() {
        return alphaMinted - alphaBurned;
    }

    /** Spot price, TAO per alpha (1 on root). */
    public double price() {
        return isRoot() ? 1.0 : WeightedPool.price(taoReserve, alphaReserve, taoWeight);
    }

    public double movingPrice() {
        return movingPrice;
    }

    public double minerBurned() {
        return minerBurned;
    }

    /** The moving average of what users paid per block ({@code PaySubnet}), rao, from 0 when the subnet was made. */
    public double demand() {
        return demand;
    }

    public double netTaoFlow() {
        return netTaoFlow;
    }

    public long pendingServer() {
        return pendingServer;
    }

    public long pendingValidator() {
        return pendingValidator;
    }

    public long pendingOwnerCut() {
        return pendingOwnerCut;
    }

    public long pendingEmission() {
        return pendingServer + pendingValidator + pendingOwnerCut;
    }

    public long lastEpochBlock() {
        return lastEpochBlock;
    }

    public long lastMechanismStepBlock() {
        return lastMechanismStepBlock;
    }

    public long epochIndex() {
        return epochIndex;
    }

    public long burn() {
        return burn;
    }

    public int size() {
        return n;
    }

    public Address hotkey(int uid) {
        return hotkey[uid];
    }

    /** The uid of a hotkey, or -1. */
    public int uidOf(Address hotkey) {
        return uidOf.getOrDefault(hotkey, -1);
    }

    public long registeredAt(int uid) {
        return registeredAt[uid];
    }

    public long lastUpdate(int uid) {
        return lastUpdate[uid];
    }

    public boolean validatorPermit(int uid) {
        return permit[uid];
    }

    public String axon(int uid) {
        return axon[uid];
    }

    /** The uids the uid's stored weights point at (empty when it set none). */
    public int[] weightUids(int uid) {
        return weightUids[uid] == null ? new int[0] : weightUids[uid].clone();
    }

    /** The stored (max-upscaled) u16 weights, aligned with {@link #weightUids}. */
    public int[] weightValues(int uid) {
        char[] v = weightValues[uid];
        int[] out = new int[v == null ? 0 : v.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    public StoredMatrix bonds() {
        return bonds;
    }

    public long emission(int uid) {
        return emission[uid];
    }

    public int incentive(int uid) {
        return incentive[uid];
    }

    public int dividends(int uid) {
        return dividends[uid];
    }

    public int consensus(int uid) {
        return consensus[uid];
    }

    public int validatorTrust(int uid) {
        return validatorTrust[uid];
    }

    public int stakeWeight(int uid) {
        return stakeWeight[uid];
    }

    public boolean active(int uid) {
        return active[uid];
    }

    /** The alpha staked on a hotkey here. */
    public long stakeOf(Address hotkey) {
        HotkeyStake s = stake.get(hotkey);
        return s == null ? 0 : s.alpha();
    }

    /** The stake pools of this subnet by hotkey, sorted. */
    public Map<Address, HotkeyStake> stakes() {
        return Collections.unmodifiableMap(stake);
    }

    public List<Commit> commits(Address hotkey) {
        return Collections.unmodifiableList(commits.getOrDefault(hotkey, List.of()));
    }

    HotkeyStake stakeBook(Address hotkey) {
        return stake.computeIfAbsent(hotkey, h -> new HotkeyStake());
    }

    /** Total alpha staked on all hotkeys here. */
    public long totalStake() {
        long total = 0;
        for (HotkeyStake s : stake.values()) {
            total += s.alpha();
        }
        return total;
    }

    /** Appends a neuron in a new uid slot. */
    int append(Address key, long block) {
        int uid = n++;
        if (uid == hotkey.length) {
            int capacity = Math.max(8, hotkey.length * 2);
            hotkey = Arrays.copyOf(hotkey, capacity);
            registeredAt = Arrays.copyOf(registeredAt, capacity);
            lastUpdate = Arrays.copyOf(lastUpdate, capacity);
            permit = Arrays.copyOf(permit, capacity);
            axon = Arrays.copyOf(axon, capacity);
            weightUids = Arrays.copyOf(weightUids, capacity);
            weightValues = Arrays.copyOf(weightValues, capacity);
            emission = Arrays.copyOf(emission, capacity);
            incentive = Arrays.copyOf(incentive, capacity);
            dividends = Arrays.copyOf(dividends, capacity);
            consensus = Arrays.copyOf(consensus, capacity);
            validatorTrust = Arrays.copyOf(validatorTrust, capacity);
            stakeWeight = Arrays.copyOf(stakeWeight, capacity);
            active = Arrays.copyOf(active, capacity);
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
        commits.remove(hotkey[uid]);
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
        emission[uid] = 0;
        incentive[uid] = 0;
        dividends[uid] = 0;
        consensus[uid] = 0;
        validatorTrust[uid] = 0;
        stakeWeight[uid] = 0;
        active[uid] = true;
    }

    void setWeights(int uid, int[] uids, char[] values, long block, boolean touchLastUpdate) {
        weightUids[uid] = uids;
        weightValues[uid] = values;
        if (touchLastUpdate) {
            lastUpdate[uid] = block;
        }
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

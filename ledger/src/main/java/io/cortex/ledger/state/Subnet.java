package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.yuma.StoredMatrix;
import io.cortex.core.identity.Address;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One subnet's part of the ledger (yuma.md sections 3 to 8): owner, hyper-parameters, burn price, and its
 * parts: the {@link SubnetPool}, the {@link EmissionBuckets}, the {@link EpochClock}, the {@link Neurons} by uid
 * (with their weights, bonds and the {@link LastEpoch}'s outputs), the {@link WeightCommits}, and the stake on its
 * hotkeys. Netuid 0 is the root subnet: TAO staked 1:1, no neurons.
 *
 * <p>Mutable, changed only by the ledger while it applies a block, and each part only through its own methods
 * ({@code ArchitectureTest}); {@link #copy()} snapshots it, {@link #write} encodes it.
 */
public final class Subnet {
    /** A weight commit awaiting its reveal (section 7.2). */
    public record Commit(byte[] hash, long epoch, long block) {
    }

    final int netuid;
    final Address ownerColdkey;
    final Address ownerHotkey;
    final long createdAt;
    final long lockCost;
    private SubnetHyperparameters hyper;
    private long firstEmissionBlock = -1;
    /** The registration burn (section 8), the price of the next uid. */
    private long burn;

    // the parts, each with its own changes, copy and encoding
    final SubnetPool pool;
    private EmissionBuckets buckets;
    private EpochClock clock;
    final Neurons neurons;
    final WeightCommits commits;
    private final TreeMap<Address, HotkeyStake> stake = new TreeMap<>();

    private Subnet(int netuid, Address ownerColdkey, Address ownerHotkey, SubnetHyperparameters hyper, long createdAt,
                   long lockCost, SubnetPool pool, EmissionBuckets buckets, EpochClock clock, Neurons neurons,
                   WeightCommits commits) {
        this.netuid = netuid;
        this.ownerColdkey = ownerColdkey;
        this.ownerHotkey = ownerHotkey;
        this.hyper = hyper;
        this.createdAt = createdAt;
        this.lockCost = lockCost;
        this.pool = pool;
        this.buckets = buckets;
        this.clock = clock;
        this.neurons = neurons;
        this.commits = commits;
    }

    /** The root subnet (netuid 0) at genesis. */
    static Subnet root(Address ownerColdkey, Address ownerHotkey, SubnetHyperparameters hyper) {
        return new Subnet(0, ownerColdkey, ownerHotkey, hyper, 0, 0, new SubnetPool(), EmissionBuckets.EMPTY,
                EpochClock.startingAt(0), new Neurons(), new WeightCommits());
    }

    /**
     * A subnet registered at {@code now}: its pool opened with the owner's lock against {@code alpha}, its epochs
     * offset from other subnets' by its netuid, and the owner's hotkey in uid 0.
     */
    static Subnet open(int netuid, Address ownerColdkey, Address ownerHotkey, SubnetHyperparameters hyper, long now,
                       long lock, long alpha, long startBurn) {
        Subnet s = new Subnet(netuid, ownerColdkey, ownerHotkey, hyper, now, lock, new SubnetPool(), EmissionBuckets.EMPTY,
                EpochClock.phasedBy(netuid, now, hyper.tempo()), new Neurons(), new WeightCommits());
        s.pool.open(lock, alpha);
        s.burn = startBurn;
        s.neurons.append(ownerHotkey, now);
        return s;
    }

    /** A deep copy: every part is copied, so the copy and this one can change independently. */
    Subnet copy() {
        Subnet c = new Subnet(netuid, ownerColdkey, ownerHotkey, hyper, createdAt, lockCost, pool.copy(), buckets,
                clock, neurons.copy(), commits.copy());
        c.firstEmissionBlock = firstEmissionBlock;
        c.burn = burn;
        stake.forEach((k, v) -> c.stake.put(k, v.copy()));
        return c;
    }

    /** The canonical encoding inside the state hash and the snapshot: every field, maps in key order. */
    void write(Canonical c) {
        c.i32(netuid).address(ownerColdkey).address(ownerHotkey).i64(createdAt).i64(firstEmissionBlock).i64(lockCost);
        hyper.write(c);
        pool.write(c);
        buckets.write(c);
        clock.write(c);
        c.i64(burn);
        neurons.write(c);
        c.i32(stake.size());
        stake.forEach((hotkey, book) -> {
            c.address(hotkey).i64(book.alpha()).i64(book.totalShares()).i32(book.shares().size());
            book.shares().forEach((coldkey, shares) -> c.address(coldkey).i64(shares));
        });
        commits.write(c);
    }

    /** Reads what {@link #write} wrote. */
    static Subnet read(StateReader r) {
        int netuid = r.i32();
        Address ownerColdkey = r.address();
        Address ownerHotkey = r.address();
        long createdAt = r.i64();
        long firstEmission = r.i64();
        long lockCost = r.i64();
        TreeMap<String, Long> hyper = new TreeMap<>();
        for (int i = r.count(); i > 0; i--) {
            hyper.put(r.string(), r.i64());
        }
        SubnetPool pool = SubnetPool.read(r);
        EmissionBuckets buckets = EmissionBuckets.read(r);
        EpochClock clock = EpochClock.read(r);
        long burn = r.i64();
        Neurons neurons = Neurons.read(r);
        TreeMap<Address, HotkeyStake> stake = new TreeMap<>();
        for (int i = r.count(); i > 0; i--) {
            Address hotkey = r.address();
            long alpha = r.i64();
            long totalShares = r.i64();
            TreeMap<Address, Long> shares = new TreeMap<>();
            for (int k = r.count(); k > 0; k--) {
                shares.put(r.address(), r.i64());
            }
            stake.put(hotkey, HotkeyStake.restore(alpha, totalShares, shares));
        }
        Subnet s = new Subnet(netuid, ownerColdkey, ownerHotkey, SubnetHyperparameters.restore(hyper), createdAt, lockCost,
                pool, buckets, clock, neurons, WeightCommits.read(r));
        s.firstEmissionBlock = firstEmission;
        s.burn = burn;
        s.stake.putAll(stake);
        return s;
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
        return pool.taoReserve;
    }

    public long alphaReserve() {
        return pool.alphaReserve;
    }

    public double taoWeight() {
        return pool.taoWeight;
    }

    public long protocolAlpha() {
        return pool.protocolAlpha;
    }

    public long alphaMinted() {
        return pool.alphaMinted;
    }

    public long alphaBurned() {
        return pool.alphaBurned;
    }

    /** Alpha outside the pool: stakes, pending emission and the protocol's bought alpha. */
    public long alphaOutstanding() {
        return pool.alphaMinted - pool.alphaBurned - pool.alphaReserve;
    }

    /** Alpha issuance for the halving of the subnet's alpha emission: reserve plus outstanding. */
    public long alphaIssuance() {
        return pool.alphaMinted - pool.alphaBurned;
    }

    /** Spot price, TAO per alpha (1 on root). */
    public double price() {
        return isRoot() ? 1.0 : pool.price();
    }

    public double movingPrice() {
        return pool.movingPrice;
    }

    public double minerBurned() {
        return pool.minerBurned;
    }

    /** The moving average of what users paid per block ({@code PaySubnet}), rao, from 0 when the subnet was made. */
    public double demand() {
        return pool.demand.average();
    }

    public double netTaoFlow() {
        return pool.taoFlow.average();
    }

    /** Alpha emitted since the last epoch and not yet paid: the miners', the validators' and the owner's. */
    public long pendingEmission() {
        return buckets.total();
    }

    public long lastEpochBlock() {
        return clock.lastEpochBlock();
    }

    public long lastMechanismStepBlock() {
        return clock.lastMechanismStepBlock();
    }

    public long epochIndex() {
        return clock.epochIndex();
    }

    public long burn() {
        return burn;
    }

    public int size() {
        return neurons.size();
    }

    public Address hotkey(int uid) {
        return neurons.hotkey(uid);
    }

    /** The uid of a hotkey, or -1. */
    public int uidOf(Address hotkey) {
        return neurons.uidOf(hotkey);
    }

    public long registeredAt(int uid) {
        return neurons.registeredAt(uid);
    }

    public long lastUpdate(int uid) {
        return neurons.lastUpdate(uid);
    }

    public boolean validatorPermit(int uid) {
        return neurons.permit(uid);
    }

    public String axon(int uid) {
        return neurons.axon(uid);
    }

    /** The uids the uid's stored weights point at (empty when it set none). */
    public int[] weightUids(int uid) {
        return neurons.weightUids(uid);
    }

    /** The stored (max-upscaled) u16 weights, aligned with {@link #weightUids}. */
    public int[] weightValues(int uid) {
        return neurons.weightValues(uid);
    }

    public StoredMatrix bonds() {
        return neurons.bonds();
    }

    public long emission(int uid) {
        return neurons.outputs().emission(uid);
    }

    public int incentive(int uid) {
        return neurons.outputs().u16(LastEpoch.INCENTIVE, uid);
    }

    public int dividends(int uid) {
        return neurons.outputs().u16(LastEpoch.DIVIDENDS, uid);
    }

    public int consensus(int uid) {
        return neurons.outputs().u16(LastEpoch.CONSENSUS, uid);
    }

    public int validatorTrust(int uid) {
        return neurons.outputs().u16(LastEpoch.VALIDATOR_TRUST, uid);
    }

    public int stakeWeight(int uid) {
        return neurons.outputs().u16(LastEpoch.STAKE_WEIGHT, uid);
    }

    public boolean active(int uid) {
        return neurons.outputs().active(uid);
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
        return commits.of(hotkey);
    }

    /** Total alpha staked on all hotkeys here. */
    public long totalStake() {
        long total = 0;
        for (HotkeyStake s : stake.values()) {
            total += s.alpha();
        }
        return total;
    }

    // ------------------------------------------------------------------------------------------- changes

    /** The hotkey's stake pool here, made when it has none. */
    HotkeyStake stakeBook(Address hotkey) {
        return stake.computeIfAbsent(hotkey, h -> new HotkeyStake());
    }

    /** The hotkey's stake pool here, or null. */
    HotkeyStake stakeBookOrNull(Address hotkey) {
        return stake.get(hotkey);
    }

    /** Forgets the hotkey's stake pool once nothing is left in it. */
    void dropEmptyStake(Address hotkey) {
        HotkeyStake book = stake.get(hotkey);
        if (book != null && book.isEmpty()) {
            stake.remove(hotkey);
        }
    }

    /** A block's alpha emission into the buckets. */
    void fillBuckets(long ownerCut, long server, long validator) {
        buckets = buckets.filled(ownerCut, server, validator);
    }

    /** The epoch takes what the buckets hold; they are empty after. */
    EmissionBuckets takeBuckets() {
        EmissionBuckets taken = buckets;
        buckets = EmissionBuckets.EMPTY;
        return taken;
    }

    /** An epoch ran at {@code now}; returns its index. */
    long epochRan(long now) {
        long index = clock.epochIndex();
        clock = clock.ran(now);
        return index;
    }

    /** The owner starts emission (start_call). */
    void start(long now) {
        firstEmissionBlock = now;
    }

    void setHyperparameter(String name, long value) {
        hyper = hyper.with(name, value);
    }

    /** The registration burn after a registration, or after a block's decay. */
    void reprice(long burn) {
        this.burn = burn;
    }

    /** Appends a neuron in a new uid slot. */
    int append(Address key, long block) {
        return neurons.append(key, block);
    }

    /** Puts a new hotkey into an existing uid; the old hotkey's commits go with it. */
    void replace(int uid, Address key, long block) {
        commits.forget(neurons.hotkey(uid));
        neurons.replace(uid, key, block);
    }
}

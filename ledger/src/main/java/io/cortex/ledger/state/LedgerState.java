package io.cortex.ledger.state;

import io.cortex.ledger.audit.BlockHeader;
import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.fixed.Chunks;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.core.identity.Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole ledger: balances, nonces, hotkey owners and takes, the subnets (with their pools, neurons,
 * stakes, weights and bonds), issuance and what was recycled. A deterministic state machine: the same
 * blocks from the same genesis give the same {@link #stateHash()} in any JVM.
 *
 * <p>{@link #apply(Block)} advances this object by one block (it is mutable, for speed: a block touches a
 * few entries of large maps); {@link #snapshot()} makes an independent copy. Nothing else changes it.
 */
public final class LedgerState {
    final LedgerConfig config;
    long height;
    byte[] lastBlockHash = new byte[32];
    long totalIssuance;
    long recycledTao;
    long lastLockCost;
    long lastLockBlock;
    final TreeMap<Address, Long> balances = new TreeMap<>();
    final TreeMap<Address, Long> nonces = new TreeMap<>();
    final TreeMap<Address, Address> hotkeyOwner = new TreeMap<>();
    final TreeMap<Address, Integer> validatorTake = new TreeMap<>();
    final TreeMap<Integer, Subnet> subnets = new TreeMap<>();

    LedgerState(LedgerConfig config) {
        this.config = config;
    }

    /** The state at height 0: genesis balances and the root subnet. */
    public static LedgerState genesis(LedgerConfig config) {
        LedgerState s = new LedgerState(config);
        config.balances().forEach((account, amount) -> {
            if (amount < 0) {
                throw new IllegalArgumentException("negative genesis balance for " + account);
            }
            s.balances.put(account, amount);
            s.totalIssuance = Math.addExact(s.totalIssuance, amount);
        });
        s.subnets.put(0, Subnet.root(config.rootKey(), config.rootKey(), config.subnetDefaults()));
        s.lastLockCost = config.minLockCost();
        return s;
    }

    /** An independent deep copy. */
    public LedgerState snapshot() {
        LedgerState c = new LedgerState(config);
        c.height = height;
        c.lastBlockHash = lastBlockHash.clone();
        c.totalIssuance = totalIssuance;
        c.recycledTao = recycledTao;
        c.lastLockCost = lastLockCost;
        c.lastLockBlock = lastLockBlock;
        c.balances.putAll(balances);
        c.nonces.putAll(nonces);
        c.hotkeyOwner.putAll(hotkeyOwner);
        c.validatorTake.putAll(validatorTake);
        subnets.forEach((k, v) -> c.subnets.put(k, v.copy()));
        return c;
    }

    /**
     * Applies the next block (yuma.md section 3; ARCHITECTURE.md section 4): the burn prices decay, every
     * transaction is checked and applied or rejected (a rejected one changes nothing), the coinbase emits,
     * due subnets run their epochs and are paid. This state becomes the state after the block.
     *
     * @throws IllegalArgumentException if the block is not the next height
     */
    public BlockResult apply(Block block) {
        if (block.height() != height + 1) {
            throw new IllegalArgumentException("block " + block.height() + " does not follow " + height);
        }
        long now = block.height();
        Registration.decayBurns(this);
        List<SignedTransaction> txs = block.transactions();
        boolean[] signed = signaturesValid(txs);
        List<Receipt> receipts = new ArrayList<>(txs.size());
        List<byte[]> txHashes = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            byte[] hash = txs.get(i).hash();
            txHashes.add(hash);
            receipts.add(Transactions.apply(this, txs.get(i), signed[i], hash, now));
        }
        Map<Integer, Long> taoIn = Coinbase.run(this, now);
        Epochs.Ran epochs = Epochs.runDue(this, now);
        height = now;
        BlockHeader header = new BlockHeader(now, lastBlockHash, BlockHeader.merkleRoot(txHashes), stateHash(),
                block.timestamp());
        lastBlockHash = header.hash();
        return new BlockResult(header, Collections.unmodifiableList(receipts), Collections.unmodifiableList(epochs.records()),
                taoIn, epochs.nanos());
    }

    /**
     * Each transaction's signature check. It reads no state, so a block's signatures are verified on all
     * cores before the transactions are applied one by one.
     */
    private static boolean[] signaturesValid(List<SignedTransaction> txs) {
        boolean[] valid = new boolean[txs.size()];
        int chunks = txs.size() < SIGNATURES_PER_CHUNK ? 1 : Math.min(txs.size() / SIGNATURES_PER_CHUNK,
                Runtime.getRuntime().availableProcessors() * 2);
        int[] bounds = Chunks.evenBounds(txs.size(), chunks);
        Chunks.run(chunks, c -> {
            for (int i = bounds[c]; i < bounds[c + 1]; i++) {
                valid[i] = txs.get(i).signatureValid();
            }
        });
        return valid;
    }

    private static final int SIGNATURES_PER_CHUNK = 8;

    // -------------------------------------------------------------------------------------- reading

    public LedgerConfig config() {
        return config;
    }

    /** Height of the last applied block (0 at genesis). */
    /**
     * What users paid the subnet per block (rao), as a moving average from 0 with the flow's half-life; 0 for
     * none or an unknown netuid.
     */
    public double demandPerBlock(int netuid) {
        Subnet subnet = subnets.get(netuid);
        return subnet == null || subnet.isRoot() ? 0 : subnet.demand();
    }

    /** Each subnet's share of the next block's emission, and the emission policy's reason, by netuid. */
    public Map<Integer, EmissionShare> emissionShares() {
        return Coinbase.outlook(this);
    }

    public long height() {
        return height;
    }

    public byte[] lastBlockHash() {
        return lastBlockHash.clone();
    }

    public long totalIssuance() {
        return totalIssuance;
    }

    /** TAO emission not minted because nothing could take it, since genesis. */
    public long recycledTao() {
        return recycledTao;
    }

    public long balance(Address coldkey) {
        return balances.getOrDefault(coldkey, 0L);
    }

    public Map<Address, Long> balances() {
        return Collections.unmodifiableMap(balances);
    }

    /** The nonce the account's next transaction must carry. */
    public long nonce(Address account) {
        return nonces.getOrDefault(account, 0L);
    }

    /** The coldkey that owns a hotkey, or null for a hotkey never registered. */
    public Address ownerOf(Address hotkey) {
        return hotkeyOwner.get(hotkey);
    }

    public int validatorTake(Address hotkey) {
        return validatorTake.getOrDefault(hotkey, config.defaultTake());
    }

    public Subnet subnet(int netuid) {
        return subnets.get(netuid);
    }

    public Map<Integer, Subnet> subnets() {
        return Collections.unmodifiableMap(subnets);
    }

    /** The cost of creating a subnet in the next block: twice the last lock, decaying to the minimum (section 6). */
    public long lockCost() {
        return lockCost(height + 1);
    }

    long lockCost(long block) {
        long blocksSince = Math.max(0, block - lastLockBlock);
        long decay = Rao.mulDiv(lastLockCost, Math.min(blocksSince, config.lockReductionInterval()),
                config.lockReductionInterval());
        long doubled = lastLockCost > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * lastLockCost;
        return Math.max(config.minLockCost(), doubled - decay);
    }

    /**
     * SHA-256 over the canonical encoding of everything in the state, in sorted order. The chain of block
     * hashes is not part of it: block headers chain it, and two blocks that change the state alike (say,
     * one with a rejected transaction and one without) leave the same state hash.
     */
    public byte[] stateHash() {
        Canonical c = Canonical.hashing();
        writeState(c);
        return c.digest();
    }

    /**
     * Everything the state hash covers, in its canonical order; {@link StateCodec} writes the same to a
     * snapshot, so a snapshot holds exactly what the hash vouches for.
     */
    void writeState(Canonical c) {
        c.tag("cortex-state/1").i64(height).i64(totalIssuance).i64(recycledTao).i64(lastLockCost).i64(lastLockBlock);
        c.i32(balances.size());
        balances.forEach((k, v) -> c.address(k).i64(v));
        c.i32(nonces.size());
        nonces.forEach((k, v) -> c.address(k).i64(v));
        c.i32(hotkeyOwner.size());
        hotkeyOwner.forEach((k, v) -> c.address(k).address(v));
        c.i32(validatorTake.size());
        validatorTake.forEach((k, v) -> c.address(k).i32(v));
        c.i32(subnets.size());
        for (Subnet s : subnets.values()) {
            s.write(c);
        }
    }

    /** Reads what {@link #writeState} wrote, for a snapshot taken after the block with this hash. */
    static LedgerState readState(StateReader r, LedgerConfig config, byte[] lastBlockHash) {
        LedgerState s = new LedgerState(config);
        s.lastBlockHash = lastBlockHash;
        if (!"cortex-state/1".equals(r.string())) {
            throw new IllegalArgumentException("unknown state encoding");
        }
        s.height = r.i64();
        s.totalIssuance = r.i64();
        s.recycledTao = r.i64();
        s.lastLockCost = r.i64();
        s.lastLockBlock = r.i64();
        for (int i = r.count(); i > 0; i--) {
            s.balances.put(r.address(), r.i64());
        }
        for (int i = r.count(); i > 0; i--) {
            s.nonces.put(r.address(), r.i64());
        }
        for (int i = r.count(); i > 0; i--) {
            s.hotkeyOwner.put(r.address(), r.address());
        }
        for (int i = r.count(); i > 0; i--) {
            s.validatorTake.put(r.address(), r.i32());
        }
        for (int i = r.count(); i > 0; i--) {
            Subnet subnet = Subnet.read(r);
            s.subnets.put(subnet.netuid, subnet);
        }
        return s;
    }

    public String stateHashHex() {
        return Canonical.hex(stateHash());
    }

    // -------------------------------------------------------------------------------------- changes

    void credit(Address coldkey, long amount) {
        if (amount != 0) {
            balances.merge(coldkey, amount, Math::addExact);
        }
    }

    /** A block's coinbase minted this much TAO into pools, and recycled the rest of the block emission. */
    void issued(long minted, long recycled) {
        totalIssuance += minted;
        recycledTao += recycled;
    }

    /** A subnet was registered for this lock: the next lock cost starts from it. */
    void locked(long cost, long block) {
        lastLockCost = cost;
        lastLockBlock = block;
    }

    void debit(Address coldkey, long amount) {
        long left = balance(coldkey) - amount;
        if (left < 0) {
            throw new IllegalStateException("debit below zero: a check was missed");
        }
        if (left == 0) {
            balances.remove(coldkey);
        } else {
            balances.put(coldkey, left);
        }
    }
}

package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.yuma.StoredMatrix;
import io.cortex.core.identity.Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The ledger state as bytes, for snapshots: a version tag, the fingerprint of the configuration it ran
 * under, the last block hash, then exactly what the state hash covers ({@link LedgerState#writeState}).
 * Reading it back gives a state with the same hash that applies the next blocks the same way
 * ({@code StateCodecTest}); a snapshot of another configuration is refused.
 */
public final class StateCodec {
    static final String TAG = "cortex-state-snapshot/2";

    private StateCodec() {
    }

    public static byte[] encode(LedgerState s) {
        Canonical c = Canonical.bytes().tag(TAG).bytes(configFingerprint(s.config)).bytes(s.lastBlockHash);
        s.writeState(c);
        return c.toByteArray();
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a snapshot, or one taken under another
     * configuration
     */
    public static LedgerState decode(byte[] bytes, LedgerConfig config) {
        Reader r = new Reader(bytes);
        try {
            if (!TAG.equals(r.string())) {
                throw new IllegalArgumentException("not a ledger snapshot");
            }
            if (!Arrays.equals(r.bytes(), configFingerprint(config))) {
                throw new IllegalArgumentException("the snapshot was taken under another ledger configuration "
                        + "(another network plan or genesis)");
            }
            LedgerState s = new LedgerState(config);
            s.lastBlockHash = r.bytes();
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
                Subnet subnet = subnet(r);
                s.subnets.put(subnet.netuid, subnet);
            }
            if (r.remaining() != 0) {
                throw new IllegalArgumentException(r.remaining() + " bytes after the state");
            }
            return s;
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated or damaged ledger snapshot", e);
        }
    }

    private static Subnet subnet(Reader r) {
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
        Subnet s = new Subnet(netuid, ownerColdkey, ownerHotkey, SubnetHyperparameters.restore(hyper), createdAt, lockCost);
        s.firstEmissionBlock = firstEmission;
        s.taoReserve = r.i64();
        s.alphaReserve = r.i64();
        s.taoWeight = r.f64();
        s.protocolAlpha = r.i64();
        s.alphaMinted = r.i64();
        s.alphaBurned = r.i64();
        s.movingPrice = r.f64();
        s.minerBurned = r.f64();
        s.netTaoFlow = r.f64();
        s.blockTaoFlow = r.i64();
        s.demand = r.f64();
        s.blockDemand = r.i64();
        s.pendingServer = r.i64();
        s.pendingValidator = r.i64();
        s.pendingOwnerCut = r.i64();
        s.lastEpochBlock = r.i64();
        s.lastMechanismStepBlock = r.i64();
        s.epochIndex = r.i64();
        s.burn = r.i64();
        int n = r.count();
        s.n = n;
        s.hotkey = new Address[n];
        s.registeredAt = new long[n];
        s.lastUpdate = new long[n];
        s.permit = new boolean[n];
        s.axon = new String[n];
        s.weightUids = new int[n][];
        s.weightValues = new char[n][];
        s.emission = new long[n];
        s.incentive = new int[n];
        s.dividends = new int[n];
        s.consensus = new int[n];
        s.validatorTrust = new int[n];
        s.stakeWeight = new int[n];
        s.active = new boolean[n];
        for (int uid = 0; uid < n; uid++) {
            s.hotkey[uid] = r.address();
            s.uidOf.put(s.hotkey[uid], uid);
            s.registeredAt[uid] = r.i64();
            s.lastUpdate[uid] = r.i64();
            s.permit[uid] = r.bool();
            s.axon[uid] = r.string();
            s.emission[uid] = r.i64();
            s.incentive[uid] = r.i32();
            s.dividends[uid] = r.i32();
            s.consensus[uid] = r.i32();
            s.validatorTrust[uid] = r.i32();
            s.stakeWeight[uid] = r.i32();
            s.active[uid] = r.bool();
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
        s.bonds = StoredMatrix.fromArrays(rowStart, col, val);
        for (int i = r.count(); i > 0; i--) {
            Address hotkey = r.address();
            long alpha = r.i64();
            long totalShares = r.i64();
            TreeMap<Address, Long> shares = new TreeMap<>();
            for (int k = r.count(); k > 0; k--) {
                shares.put(r.address(), r.i64());
            }
            s.stake.put(hotkey, HotkeyStake.restore(alpha, totalShares, shares));
        }
        for (int i = r.count(); i > 0; i--) {
            Address hotkey = r.address();
            List<Subnet.Commit> list = new ArrayList<>();
            for (int k = r.count(); k > 0; k--) {
                list.add(new Subnet.Commit(r.bytes(), r.i64(), r.i64()));
            }
            s.commits.put(hotkey, list);
        }
        return s;
    }

    /** What a state depends on besides its blocks: the configuration (its genesis state and every rule). */
    public static byte[] configFingerprint(LedgerConfig config) {
        Canonical c = Canonical.hashing().tag("cortex-ledger-config/1").bytes(LedgerState.genesis(config).stateHash())
                .bool(config.devMode()).optionalAddress(config.author()).string(config.emissionPolicy().name())
                .i64(config.minLockCost()).i64(config.lockReductionInterval()).f64(config.taoWeight())
                .i32(config.maxEpochsPerBlock()).i32(config.ownerCut()).i32(config.defaultTake()).i32(config.maxCommits())
                .i64(config.startBurn()).i64(config.flowHalfLife());
        if (!config.epochOverrides().isEmpty()) { // a counterfactual rule; a real network's fingerprint is unchanged
            c.i32(config.epochOverrides().size());
            config.epochOverrides().forEach((name, value) -> c.string(name).i64(value));
        }
        if (config.firstPoolPrice() != 1.0) { // as above: a network that starts at price 1 keeps its fingerprint
            c.string("firstPoolPrice").f64(config.firstPoolPrice());
        }
        return c.digest();
    }

    /** Reads what {@link Canonical} wrote. */
    private static final class Reader {
        private final ByteBuffer b;

        Reader(byte[] bytes) {
            this.b = ByteBuffer.wrap(bytes);
        }

        int i32() {
            return b.getInt();
        }

        int count() {
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new IllegalArgumentException("damaged ledger snapshot: a count of " + n);
            }
            return n;
        }

        long i64() {
            return b.getLong();
        }

        double f64() {
            return Double.longBitsToDouble(b.getLong());
        }

        boolean bool() {
            return b.get() != 0;
        }

        byte[] bytes() {
            byte[] v = new byte[count()];
            b.get(v);
            return v;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Address address() {
            byte[] key = new byte[Address.LENGTH];
            b.get(key);
            return Address.of(key);
        }

        int remaining() {
            return b.remaining();
        }
    }
}

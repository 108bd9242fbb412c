package io.cortex.ledger.state;

import io.cortex.ledger.audit.Canonical;
import java.util.Arrays;

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
        StateReader r = new StateReader(bytes);
        try {
            if (!TAG.equals(r.string())) {
                throw new IllegalArgumentException("not a ledger snapshot");
            }
            if (!Arrays.equals(r.bytes(), configFingerprint(config))) {
                throw new IllegalArgumentException("the snapshot was taken under another ledger configuration "
                        + "(another network plan or genesis)");
            }
            LedgerState s = LedgerState.readState(r, config, r.bytes());
            if (r.remaining() != 0) {
                throw new IllegalArgumentException(r.remaining() + " bytes after the state");
            }
            return s;
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated or damaged ledger snapshot", e);
        }
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
}

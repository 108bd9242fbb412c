package io.cortex.ledger.tx;

import io.cortex.ledger.audit.Canonical;
import io.cortex.core.identity.Address;

/**
 * The hash a validator commits and later reveals (yuma.md section 7.2): SHA-256 over the canonical encoding
 * of (hotkey, netuid, uids, values, salt, version key). Subtensor uses BLAKE2-256 over SCALE; the role is
 * the same: the weights stay hidden until the reveal, and the reveal must match them exactly.
 */
public final class WeightCommitment {
    private WeightCommitment() {
    }

    public static byte[] hash(Address hotkey, int netuid, int[] uids, int[] values, byte[] salt, long versionKey) {
        Canonical c = Canonical.hashing().tag("cortex-weights-commit/1").address(hotkey).i32(netuid);
        c.i32(uids.length);
        for (int u : uids) {
            c.i32(u);
        }
        c.i32(values.length);
        for (int v : values) {
            c.i32(v);
        }
        return c.bytes(salt).i64(versionKey).digest();
    }
}

package io.cortex.ledger.audit;

import java.util.Arrays;

/**
 * The header of an applied block, chained by hash (ARCHITECTURE.md section 4): a replay that reaches the
 * same header hashes reached the same states.
 */
public record BlockHeader(long height, byte[] previousHash, byte[] transactionsRoot, byte[] stateHash, long timestamp) {

    /** SHA-256 of the canonical encoding. */
    public byte[] hash() {
        return Canonical.hashing().tag("cortex-header/1").i64(height).bytes(previousHash).bytes(transactionsRoot)
                .bytes(stateHash).i64(timestamp).digest();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHeader h && height == h.height && timestamp == h.timestamp
                && Arrays.equals(previousHash, h.previousHash) && Arrays.equals(transactionsRoot, h.transactionsRoot)
                && Arrays.equals(stateHash, h.stateHash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(stateHash);
    }

    @Override
    public String toString() {
        return "BlockHeader[#" + height + " state " + Canonical.hex(stateHash).substring(0, 16) + "]";
    }

    /** A binary Merkle root of transaction hashes (the last one doubled on odd levels). */
    public static byte[] merkleRoot(java.util.List<byte[]> leaves) {
        if (leaves.isEmpty()) {
            return Canonical.sha256(new byte[0]);
        }
        java.util.List<byte[]> level = leaves;
        while (level.size() > 1) {
            java.util.List<byte[]> next = new java.util.ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                byte[] left = level.get(i);
                byte[] right = i + 1 < level.size() ? level.get(i + 1) : left;
                next.add(Canonical.hashing().bytes(left).bytes(right).digest());
            }
            level = next;
        }
        return level.get(0);
    }
}

package io.cortex.ledger.yuma;

/**
 * Everything one epoch of one subnet reads (epoch-io.md, EpochInput). Arrays are indexed by uid and have
 * length {@code n}; the record does not copy them, so treat them as read-only.
 *
 * @param n number of uids
 * @param block the current block
 * @param tempo blocks per epoch
 * @param emission alpha rao to distribute
 * @param lastMechanismStepBlock block of the last successful payout, 0 if never
 * @param ownerUid uid of the subnet owner's hotkey, or {@link #NO_OWNER}
 * @param stake rao per uid
 * @param lastUpdate block of each uid's last weights or commit
 * @param blockAtRegistration block each uid's key registered
 * @param validatorPermit permits written by the previous epoch
 * @param weights stored, max-upscaled u16 weights
 * @param bonds stored u16 bonds
 * @param earliestCommitBlock per uid the block of its earliest live weight commit, {@link #NO_COMMIT} for
 *     none; the whole array is {@code null} when commit-reveal is off
 */
public record EpochInput(
        int n,
        long block,
        int tempo,
        long emission,
        long lastMechanismStepBlock,
        int ownerUid,
        Hyperparameters hyper,
        long[] stake,
        long[] lastUpdate,
        long[] blockAtRegistration,
        boolean[] validatorPermit,
        StoredMatrix weights,
        StoredMatrix bonds,
        long[] earliestCommitBlock) {

    public static final int NO_OWNER = -1;
    public static final long NO_COMMIT = Long.MAX_VALUE;

    public boolean hasOwner() {
        return ownerUid != NO_OWNER;
    }

    public boolean commitReveal() {
        return earliestCommitBlock != null;
    }
}

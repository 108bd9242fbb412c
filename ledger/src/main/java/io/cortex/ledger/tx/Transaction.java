package io.cortex.ledger.tx;

import io.cortex.core.identity.Address;
import java.util.Arrays;

/**
 * The ledger's transactions (yuma.md sections 6 to 8). Each is signed by a coldkey (money, ownership) or a
 * hotkey (what a running neuron does: serving its axon, weights), says which in {@link #signedBy()}, and
 * encodes itself canonically for signing and hashing ({@link TransactionCodec}).
 *
 * <p>Amounts are rao (10^-9 TAO or alpha). A limit price is rao of TAO per whole alpha, 0 for no limit.
 */
public sealed interface Transaction {

    /** Who must sign. */
    enum Signer { COLDKEY, HOTKEY }

    Signer signedBy();

    /** The tag that starts the encoding; never reuse one. */
    int kind();

    /** Writes the fields after the kind, in the order {@link TransactionCodec#decode} reads them. */
    void writeFields(io.cortex.ledger.audit.Canonical c);

    /** Move free TAO to another coldkey. */
    record Transfer(Address to, long amount) implements Transaction {
        public Signer signedBy() {
            return Signer.COLDKEY;
        }

        public int kind() {
            return 1;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.address(to).i64(amount);
        }
    }

    /** Create a subnet owned by the signer, paying the lock cost; {@code ownerHotkey} takes uid 0. */
    record CreateSubnet(Address ownerHotkey) implements Transaction {
        public Signer signedBy() {
            return Signer.COLDKEY;
        }

        public int kind() {
            return 2;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.address(ownerHotkey);
        }
    }

    /** The owner starts emission for the subnet ({@code start_call}). */
    record StartSubnet(int netuid) implements Transaction {
        public Signer signedBy() {
            return Signer.COLDKEY;
        }

        public int kind() {
            return 3;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.i32(netuid);
        }
    }

    /** Register {@code hotkey} on the subnet for the current burn, refused above {@code maxBurn} (0: any). */
    record RegisterNeuron(int netuid, Address hotkey, long maxBurn) implements Transaction {
        public Signer signedBy() {
            return Signer.COLDKEY;
        }

        public int kind() {
            return 4;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.i32(netuid).address(hotkey).i64(maxBurn);
        }
    }

    /** Publish the endpoint validators reach this hotkey's neuron at (an Aeron channel or host:port). */
    record ServeAxon(int netuid, String endpoint) implements Transaction {
        public Signer signedBy() {
            return Signer.HOTKEY;
        }

        public int kind() {
            return 5;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.i32(netuid).string(endpoint);
        }
    }

    /** Stake TAO through the subnet's pool onto a hotkey. */
    record AddStake(Address hotkey, int netuid, long amount, long limitPrice) implements Transaction {
        public Signer signedBy() {
            return Signer.COLDKEY;
        }

        public int kind() {
            return 6;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.address(hotkey).i32(netuid).i64(amount).i64(limitPrice);
        }
    }

    /** Unstake alpha from a hotkey through the subnet's pool, back to TAO. */
    record RemoveStake(Address hotkey, int netuid, long amount, long limitPrice) implements Transaction {
        public Signer signedBy() {
            return Signer.COLDKEY;
        }

        public int kind() {
            return 7;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.address(hotkey).i32(netuid).i64(amount).i64(limitPrice);
        }
    }

    /** Set weights directly (only while commit-reveal is off). */
    record SetWeights(int netuid, int[] uids, int[] values, long versionKey) implements Transaction {
        public Signer signedBy() {
            return Signer.HOTKEY;
        }

        public int kind() {
            return 8;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            TransactionCodec.ints(TransactionCodec.ints(c.i32(netuid), uids), values).i64(versionKey);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetWeights w && netuid == w.netuid && versionKey == w.versionKey
                    && Arrays.equals(uids, w.uids) && Arrays.equals(values, w.values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(uids) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "SetWeights[netuid=" + netuid + ", uids=" + Arrays.toString(uids) + ", values="
                    + Arrays.toString(values) + ", versionKey=" + versionKey + "]";
        }
    }

    /** Commit the hash of weights to reveal later ({@link WeightCommitment#hash}). */
    record CommitWeights(int netuid, byte[] commitHash) implements Transaction {
        public Signer signedBy() {
            return Signer.HOTKEY;
        }

        public int kind() {
            return 9;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.i32(netuid).bytes(commitHash);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CommitWeights c && netuid == c.netuid && Arrays.equals(commitHash, c.commitHash);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(commitHash);
        }

        @Override
        public String toString() {
            return "CommitWeights[netuid=" + netuid + "]";
        }
    }

    /** Reveal committed weights in the reveal window. */
    record RevealWeights(int netuid, int[] uids, int[] values, byte[] salt, long versionKey) implements Transaction {
        public Signer signedBy() {
            return Signer.HOTKEY;
        }

        public int kind() {
            return 10;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            TransactionCodec.ints(TransactionCodec.ints(c.i32(netuid), uids), values).bytes(salt).i64(versionKey);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RevealWeights r && netuid == r.netuid && versionKey == r.versionKey
                    && Arrays.equals(uids, r.uids) && Arrays.equals(values, r.values) && Arrays.equals(salt, r.salt);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(uids) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "RevealWeights[netuid=" + netuid + ", uids=" + Arrays.toString(uids) + ", values="
                    + Arrays.toString(values) + "]";
        }
    }

    /** Change one hyper-parameter; by the owner, or by the root key for the root-only ones. */
    record SetHyperparameter(int netuid, String name, long value) implements Transaction {
        public Signer signedBy() {
            return Signer.COLDKEY;
        }

        public int kind() {
            return 11;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.i32(netuid).string(name).i64(value);
        }
    }

    /** The hotkey's owner sets the share of dividends the validator keeps (u16 proportion). */
    record SetValidatorTake(Address hotkey, int take) implements Transaction {
        public Signer signedBy() {
            return Signer.COLDKEY;
        }

        public int kind() {
            return 12;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.address(hotkey).i32(take);
        }
    }

    /**
     * A user pays the subnet for its service: the TAO buys the subnet's alpha from its pool, fee-free, and the
     * alpha is burned. What users pay is the subnet's demand, the signal of the {@code demand} emission policy.
     */
    record PaySubnet(int netuid, long amount) implements Transaction {
        public Signer signedBy() {
            return Signer.COLDKEY;
        }

        public int kind() {
            return 13;
        }

        public void writeFields(io.cortex.ledger.audit.Canonical c) {
            c.i32(netuid).i64(amount);
        }
    }
}

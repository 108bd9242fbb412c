package io.cortex.ledger.tx;

import io.cortex.core.identity.Address;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The ledger's transactions (yuma.md sections 6 to 8). Each is signed by a coldkey (money, ownership) or a
 * hotkey (what a running neuron does: serving its axon, weights), as its {@link Kind} says; {@link TransactionCodec}
 * encodes it canonically for signing and hashing.
 *
 * <p>Amounts are rao (10^-9 TAO or alpha). A limit price is rao of TAO per whole alpha, 0 for no limit.
 */
public sealed interface Transaction {

    /** Who must sign. */
    enum Signer { COLDKEY, HOTKEY }

    /**
     * Each transaction's wire tag (the byte that starts its encoding, which {@link TransactionCodec#decode} reads
     * back) and who signs it, in one table: the coldkey, unless the row names the hotkey. Never reuse a code.
     */
    enum Kind {
        TRANSFER(1, Transfer.class),
        CREATE_SUBNET(2, CreateSubnet.class),
        START_SUBNET(3, StartSubnet.class),
        REGISTER_NEURON(4, RegisterNeuron.class),
        SERVE_AXON(5, Signer.HOTKEY, ServeAxon.class),
        ADD_STAKE(6, AddStake.class),
        REMOVE_STAKE(7, RemoveStake.class),
        SET_WEIGHTS(8, Signer.HOTKEY, SetWeights.class),
        COMMIT_WEIGHTS(9, Signer.HOTKEY, CommitWeights.class),
        REVEAL_WEIGHTS(10, Signer.HOTKEY, RevealWeights.class),
        SET_HYPERPARAMETER(11, SetHyperparameter.class),
        SET_VALIDATOR_TAKE(12, SetValidatorTake.class),
        PAY_SUBNET(13, PaySubnet.class);

        private static final Kind[] BY_CODE = new Kind[256];
        private static final Map<Class<? extends Transaction>, Kind> BY_TYPE = new HashMap<>();

        static {
            for (Kind k : values()) {
                BY_CODE[k.code] = k;
                BY_TYPE.put(k.type, k);
            }
        }

        private final int code;
        private final Signer signer;
        private final Class<? extends Transaction> type;

        Kind(int code, Class<? extends Transaction> type) {
            this(code, Signer.COLDKEY, type);
        }

        Kind(int code, Signer signer, Class<? extends Transaction> type) {
            this.code = code;
            this.signer = signer;
            this.type = type;
        }

        /** The tag that starts the encoding, a u8. */
        public int code() {
            return code;
        }

        public Signer signer() {
            return signer;
        }

        /** The kind tagged {@code code}, or null for a code no transaction has. */
        public static Kind ofCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    /** Which transaction this is: its wire code and its signer. */
    default Kind kind() {
        return Kind.BY_TYPE.get(getClass());
    }

    /** Who must sign. */
    default Signer signedBy() {
        return kind().signer();
    }

    // weights are arrays, which records would compare and print by reference
    private static int weightsHash(int[] uids, int[] values) {
        return 31 * Arrays.hashCode(uids) + Arrays.hashCode(values);
    }

    private static String weightsText(int[] uids, int[] values) {
        return "uids=" + Arrays.toString(uids) + ", values=" + Arrays.toString(values);
    }

    /** Move free TAO to another coldkey. */
    record Transfer(Address to, long amount) implements Transaction {
    }

    /** Create a subnet owned by the signer, paying the lock cost; {@code ownerHotkey} takes uid 0. */
    record CreateSubnet(Address ownerHotkey) implements Transaction {
    }

    /** The owner starts emission for the subnet ({@code start_call}). */
    record StartSubnet(int netuid) implements Transaction {
    }

    /** Register {@code hotkey} on the subnet for the current burn, refused above {@code maxBurn} (0: any). */
    record RegisterNeuron(int netuid, Address hotkey, long maxBurn) implements Transaction {
    }

    /** Publish the endpoint validators reach this hotkey's neuron at (an Aeron channel or host:port). */
    record ServeAxon(int netuid, String endpoint) implements Transaction {
    }

    /** Stake TAO through the subnet's pool onto a hotkey. */
    record AddStake(Address hotkey, int netuid, long amount, long limitPrice) implements Transaction {
    }

    /** Unstake alpha from a hotkey through the subnet's pool, back to TAO. */
    record RemoveStake(Address hotkey, int netuid, long amount, long limitPrice) implements Transaction {
    }

    /** Set weights directly (only while commit-reveal is off). */
    record SetWeights(int netuid, int[] uids, int[] values, long versionKey) implements Transaction {
        @Override
        public boolean equals(Object o) {
            return o instanceof SetWeights w && netuid == w.netuid && versionKey == w.versionKey
                    && Arrays.equals(uids, w.uids) && Arrays.equals(values, w.values);
        }

        @Override
        public int hashCode() {
            return weightsHash(uids, values);
        }

        @Override
        public String toString() {
            return "SetWeights[netuid=" + netuid + ", " + weightsText(uids, values) + ", versionKey=" + versionKey + "]";
        }
    }

    /** Commit the hash of weights to reveal later ({@link WeightCommitment#hash}). */
    record CommitWeights(int netuid, byte[] commitHash) implements Transaction {
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
        @Override
        public boolean equals(Object o) {
            return o instanceof RevealWeights r && netuid == r.netuid && versionKey == r.versionKey
                    && Arrays.equals(uids, r.uids) && Arrays.equals(values, r.values) && Arrays.equals(salt, r.salt);
        }

        @Override
        public int hashCode() {
            return weightsHash(uids, values);
        }

        @Override
        public String toString() {
            return "RevealWeights[netuid=" + netuid + ", " + weightsText(uids, values) + "]";
        }
    }

    /** Change one hyper-parameter; by the owner, or by the root key for the root-only ones. */
    record SetHyperparameter(int netuid, String name, long value) implements Transaction {
    }

    /** The hotkey's owner sets the share of dividends the validator keeps (u16 proportion). */
    record SetValidatorTake(Address hotkey, int take) implements Transaction {
    }

    /**
     * A user pays the subnet for its service: the TAO buys the subnet's alpha from its pool, fee-free, and the
     * alpha is burned. What users pay is the subnet's demand, the signal of the {@code demand} emission policy.
     */
    record PaySubnet(int netuid, long amount) implements Transaction {
    }
}

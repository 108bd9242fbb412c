package io.cortex.actors.neuron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.WeightCommitment;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.subnets.validator.ValidatorCycle;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The ledger transaction for each step of a validator's weights schedule: weights set as they are, or a commit
 * of their hash bound to the validator's hotkey, which the reveal of the same weights and salt opens.
 */
class WeightsTransactionsTest {

    static final int NETUID = 3;
    static final Address HOTKEY = DevKeys.hotkey("alice", 1).address();
    static final ValidatorCycle.Weights WEIGHTS = new ValidatorCycle.Weights(new int[] {1, 4}, new int[] {65_535, 812});
    static final byte[] SALT = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};

    @Test
    void weightsSetDirectlyGoOutAsTheyAreUnderVersionKeyZero() {
        Transaction t = WeightsTransactions.of(NETUID, HOTKEY, new ValidatorCycle.SetWeights(WEIGHTS));

        assertEquals(new Transaction.SetWeights(NETUID, new int[] {1, 4}, new int[] {65_535, 812}, 0), t);
    }

    @Test
    void theRevealOfTheSameWeightsAndSaltOpensTheCommit() {
        Transaction.CommitWeights commit = assertInstanceOf(Transaction.CommitWeights.class,
                WeightsTransactions.of(NETUID, HOTKEY, new ValidatorCycle.CommitWeights(WEIGHTS, SALT)));
        Transaction.RevealWeights reveal = assertInstanceOf(Transaction.RevealWeights.class,
                WeightsTransactions.of(NETUID, HOTKEY, new ValidatorCycle.RevealWeights(WEIGHTS, SALT)));

        assertEquals(new Transaction.RevealWeights(NETUID, WEIGHTS.uids(), WEIGHTS.values(), SALT, 0), reveal);
        assertEquals(NETUID, commit.netuid());
        // what the ledger checks at the reveal (yuma.md section 7.2)
        assertArrayEquals(commit.commitHash(), WeightCommitment.hash(HOTKEY, reveal.netuid(), reveal.uids(), reveal.values(),
                reveal.salt(), reveal.versionKey()));
    }

    @Test
    void aCommitIsBoundToTheValidatorsHotkeyAndSalt() {
        byte[] mine = commitHash(HOTKEY, SALT);

        assertFalse(Arrays.equals(mine, commitHash(DevKeys.hotkey("bob", 1).address(), SALT)),
                "another validator cannot reveal it as its own");
        byte[] otherSalt = SALT.clone();
        otherSalt[0]++;
        assertFalse(Arrays.equals(mine, commitHash(HOTKEY, otherSalt)), "the salt hides the weights until the reveal");
    }

    private static byte[] commitHash(Address hotkey, byte[] salt) {
        return ((Transaction.CommitWeights) WeightsTransactions.of(NETUID, hotkey,
                new ValidatorCycle.CommitWeights(WEIGHTS, salt))).commitHash();
    }
}

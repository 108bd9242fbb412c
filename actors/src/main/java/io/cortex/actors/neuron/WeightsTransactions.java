package io.cortex.actors.neuron;

import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.WeightCommitment;
import io.cortex.core.identity.Address;
import io.cortex.subnets.validator.ValidatorCycle;

/** The ledger transaction for a step of a validator's weights schedule: the live validator and the simulator both submit these. */
public final class WeightsTransactions {
    private WeightsTransactions() {
    }

    /** The transaction a validator's hotkey signs for {@code action} on {@code netuid}. */
    public static Transaction of(int netuid, Address hotkey, ValidatorCycle.WeightsAction action) {
        if (action instanceof ValidatorCycle.SetWeights s) {
            return new Transaction.SetWeights(netuid, s.weights().uids(), s.weights().values(), 0);
        }
        if (action instanceof ValidatorCycle.CommitWeights c) {
            return new Transaction.CommitWeights(netuid,
                    WeightCommitment.hash(hotkey, netuid, c.weights().uids(), c.weights().values(), c.salt(), 0));
        }
        ValidatorCycle.RevealWeights r = (ValidatorCycle.RevealWeights) action;
        return new Transaction.RevealWeights(netuid, r.weights().uids(), r.weights().values(), r.salt(), 0);
    }
}

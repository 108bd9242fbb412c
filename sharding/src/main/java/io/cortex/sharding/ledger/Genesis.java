package io.cortex.sharding.ledger;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.identity.Address;
import io.cortex.protocol.identity.Keypair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The start of a network plan's ledger: the dev network's configuration with the plan's owners and neurons
 * funded, and a first block in which each owner creates and starts its subnet and sets its
 * hyper-parameters. Neurons register themselves afterwards, as they would on a live network.
 */
public final class Genesis {

    private Genesis() {
    }

    public static LedgerConfig config(NetworkPlan plan) {
        LedgerConfig devnet = LedgerConfig.devnet();
        Map<Address, Long> balances = new TreeMap<>(devnet.balances());
        plan.genesisBalances().forEach((address, amount) -> balances.merge(address, amount, Long::sum));
        return devnet.withBalances(balances);
    }

    public static List<SignedTransaction> transactions(NetworkPlan plan) {
        List<SignedTransaction> txs = new ArrayList<>();
        Map<Address, Long> nonces = new HashMap<>();
        for (NetworkPlan.SubnetPlan s : plan.subnets()) {
            Keypair owner = plan.coldkey(s.owner());
            List<Transaction> bodies = new ArrayList<>();
            bodies.add(new Transaction.CreateSubnet(plan.ownerHotkey(s).address()));
            bodies.add(new Transaction.StartSubnet(s.netuid()));
            s.hyperparameters().forEach((name, value) -> bodies.add(new Transaction.SetHyperparameter(s.netuid(), name, value)));
            for (Transaction body : bodies) {
                long nonce = nonces.merge(owner.address(), 1L, Long::sum) - 1;
                txs.add(SignedTransaction.sign(owner, nonce, body));
            }
        }
        return txs;
    }
}

package io.cortex.sharding.ledger;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.ChainSpec;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The start of a node's ledger: a chain spec, and the first block in which each of its genesis subnets is
 * created and started by its owner, who sets its hyper-parameters. Neurons register themselves afterwards, as
 * they would on a live network. A network plan's dev spec ({@link #devSpec}) is what a testnet writes and
 * what a node runs when it is given no spec.
 */
public final class Genesis {

    /** The network id of a dev spec made from a network plan. */
    public static final String DEV_NETWORK_ID = "cortex-dev";

    private Genesis() {
    }

    /**
     * The dev network of a plan: the dev accounts funded as {@link LedgerConfig#devnet()} does, the plan's owners
     * and neurons funded too, and the plan's subnets created at genesis by their owners. A subnet's lock doubles
     * with each creation and decays over the lock reduction interval, here one block: a creation alone in its
     * block costs the last lock, so the genesis subnets, one a block ({@link #transactions}), each cost the
     * minimum, where doubling 64 times would cost more TAO than exist. Two creations in one block (a user's during
     * genesis) raise it for good.
     */
    public static ChainSpec devSpec(NetworkPlan plan) {
        LedgerConfig devnet = LedgerConfig.devnet().withLockReductionInterval(1);
        Map<Address, Long> balances = new TreeMap<>(devnet.balances());
        plan.genesisBalances().forEach((address, amount) -> balances.merge(address, amount, Long::sum));
        List<ChainSpec.GenesisSubnet> subnets = new ArrayList<>();
        for (NetworkPlan.SubnetPlan s : plan.subnets()) {
            subnets.add(new ChainSpec.GenesisSubnet(plan.coldkey(s.owner()).address(), plan.ownerHotkey(s).address(),
                    s.hyperparameters()));
        }
        return new ChainSpec(DEV_NETWORK_ID, devnet.withBalances(balances), subnets);
    }

    /**
     * The first blocks' transactions, a block's list each: genesis subnet {@code i}'s creation, start and
     * hyper-parameters in block {@code i}, signed by its owner. Only a dev spec has genesis subnets, and their
     * owners must be dev accounts or the plan's owners, whose keys every node can derive.
     *
     * @throws IllegalArgumentException when no key of the dev accounts or the plan signs for a subnet's owner
     */
    public static List<List<SignedTransaction>> transactions(ChainSpec spec, NetworkPlan plan) {
        if (spec.subnets().isEmpty()) {
            return List.of();
        }
        Map<Address, Keypair> owners = new HashMap<>();
        for (String name : DevKeys.NAMES) {
            owners.put(DevKeys.coldkey(name).address(), DevKeys.coldkey(name));
        }
        for (NetworkPlan.SubnetPlan s : plan.subnets()) {
            owners.put(plan.coldkey(s.owner()).address(), plan.coldkey(s.owner()));
        }
        List<List<SignedTransaction>> blocks = new ArrayList<>();
        Map<Address, Long> nonces = new HashMap<>();
        for (int i = 0; i < spec.subnets().size(); i++) {
            ChainSpec.GenesisSubnet s = spec.subnets().get(i);
            int netuid = i + 1;
            Keypair owner = owners.get(s.owner());
            if (owner == null) {
                throw new IllegalArgumentException("genesis subnet " + netuid + "'s owner " + s.owner() + " is neither a "
                        + "dev account nor an owner of the network plan: no node can sign its creation");
            }
            List<Transaction> bodies = new ArrayList<>();
            bodies.add(new Transaction.CreateSubnet(s.ownerHotkey()));
            bodies.add(new Transaction.StartSubnet(netuid));
            s.hyperparameters().forEach((name, value) -> bodies.add(new Transaction.SetHyperparameter(netuid, name, value)));
            List<SignedTransaction> block = new ArrayList<>(bodies.size());
            for (Transaction body : bodies) {
                long nonce = nonces.merge(owner.address(), 1L, Long::sum) - 1;
                block.add(SignedTransaction.sign(owner, nonce, body));
            }
            blocks.add(block);
        }
        return blocks;
    }
}

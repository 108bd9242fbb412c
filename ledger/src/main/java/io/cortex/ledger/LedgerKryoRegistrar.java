package io.cortex.ledger;

import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerViews;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.serialization.KryoRegistrar;
import java.util.List;

/** The ledger types that travel between nodes: transactions, receipts, metagraphs, the ledger actor's protocol. */
public final class LedgerKryoRegistrar implements KryoRegistrar {
    @Override
    public List<Class<?>> classes() {
        return List.of(SignedTransaction.class, Transaction.Transfer.class, Transaction.CreateSubnet.class,
                Transaction.StartSubnet.class, Transaction.RegisterNeuron.class, Transaction.ServeAxon.class,
                Transaction.AddStake.class, Transaction.RemoveStake.class, Transaction.SetWeights.class,
                Transaction.CommitWeights.class, Transaction.RevealWeights.class, Transaction.SetHyperparameter.class,
                Transaction.SetValidatorTake.class, Receipt.Accepted.class, Receipt.Rejected.class, RejectReason.class,
                Metagraph.class, Metagraph.Neuron.class,
                LedgerActor.Submit.class, LedgerActor.GetMetagraph.class, LedgerActor.GetNonce.class, LedgerActor.Nonce.class,
                LedgerActor.Inspect.class, LedgerActor.Inspection.class, LedgerActor.GetAccount.class,
                LedgerActor.GetSubnets.class, LedgerActor.GetSubnet.class, LedgerActor.GetEpoch.class,
                LedgerActor.GetStatus.class, LedgerViews.Account.class, LedgerViews.StakePosition.class,
                LedgerViews.SubnetSummary.class, LedgerViews.SubnetList.class, LedgerViews.SubnetDetail.class,
                LedgerViews.EpochView.class, LedgerViews.Missing.class, LedgerViews.Status.class,
                LedgerViews.BlockEvent.class, LedgerViews.EpochEvent.class, Transaction.PaySubnet.class);
    }
}

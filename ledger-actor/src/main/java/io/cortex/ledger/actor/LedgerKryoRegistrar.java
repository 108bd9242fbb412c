package io.cortex.ledger.actor;

import static java.util.Map.entry;

import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.serialization.KryoRegistrar;
import java.util.Map;

/** The ledger types that travel between nodes: transactions, receipts, metagraphs, the ledger actor's protocol. */
public final class LedgerKryoRegistrar implements KryoRegistrar {
    /** Ids never change: a new class takes the next free id of this module's range, 300 to 399. */
    @Override
    public Map<Integer, Class<?>> classes() {
        return Map.ofEntries(
                entry(205, LedgerActor.GetAccount.class),
                entry(206, LedgerActor.GetEpoch.class),
                entry(207, LedgerActor.GetMetagraph.class),
                entry(208, LedgerActor.GetNonce.class),
                entry(209, LedgerActor.GetStatus.class),
                entry(210, LedgerActor.GetSubnet.class),
                entry(211, LedgerActor.GetSubnets.class),
                entry(212, LedgerActor.Inspect.class),
                entry(213, LedgerActor.Inspection.class),
                entry(214, LedgerActor.Nonce.class),
                entry(215, LedgerActor.Submit.class),
                entry(216, LedgerViews.Account.class),
                entry(217, LedgerViews.BlockEvent.class),
                entry(218, LedgerViews.EpochEvent.class),
                entry(219, LedgerViews.EpochView.class),
                entry(220, LedgerViews.Missing.class),
                entry(221, LedgerViews.StakePosition.class),
                entry(222, LedgerViews.Status.class),
                entry(223, LedgerViews.SubnetDetail.class),
                entry(224, LedgerViews.SubnetList.class),
                entry(225, LedgerViews.SubnetSummary.class),
                entry(226, Metagraph.class),
                entry(227, Metagraph.Neuron.class),
                entry(228, Receipt.Accepted.class),
                entry(229, Receipt.Rejected.class),
                entry(230, RejectReason.class),
                entry(231, SignedTransaction.class),
                entry(232, Transaction.AddStake.class),
                entry(233, Transaction.CommitWeights.class),
                entry(234, Transaction.CreateSubnet.class),
                entry(235, Transaction.PaySubnet.class),
                entry(236, Transaction.RegisterNeuron.class),
                entry(237, Transaction.RemoveStake.class),
                entry(238, Transaction.RevealWeights.class),
                entry(239, Transaction.ServeAxon.class),
                entry(240, Transaction.SetHyperparameter.class),
                entry(241, Transaction.SetValidatorTake.class),
                entry(242, Transaction.SetWeights.class),
                entry(243, Transaction.StartSubnet.class),
                entry(244, Transaction.Transfer.class),
                entry(245, LedgerActor.GetMetagraphPage.class),
                entry(246, LedgerViews.MetagraphPage.class),
                entry(247, LedgerViews.Overtaken.class));
    }
}

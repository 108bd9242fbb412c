package io.cortex.actors.neuron;

import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.util.concurrent.CompletionStage;

/**
 * How a neuron reaches the ledger, wherever it runs: the cluster wires it to the ledger singleton. Every
 * stage completes once the ledger answered; a submission answers after the block that holds it.
 */
public interface LedgerGateway {

    CompletionStage<Receipt> submit(SignedTransaction tx);

    CompletionStage<Metagraph> metagraph(int netuid);

    /** The nonce the account's next transaction must carry. */
    CompletionStage<Long> nonce(Address account);

    /** Signs {@code body} with the signer's next nonce and submits it. */
    default CompletionStage<Receipt> signAndSubmit(Keypair signer, Transaction body) {
        return nonce(signer.address()).thenCompose(n -> submit(SignedTransaction.sign(signer, n, body)));
    }
}

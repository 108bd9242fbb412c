package io.cortex.actors.neuron;

import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gateway that counts its signers' nonces itself, so that a transaction is one round trip to the ledger:
 * a signer's first transaction asks the ledger for its nonce, and each later one takes the next number
 * without asking, even while the one before still waits for its block. A refused or failed transaction
 * forgets the count (the ledger advances a nonce only for an accepted one), and the signer's next
 * transaction asks again. One refused for its nonce (the key signed elsewhere: the neuron ran on another node
 * for a while, or a wallet is shared) is signed once more with the nonce the ledger gives.
 */
public final class NonceCounter implements LedgerGateway {
    private final LedgerGateway ledger;
    /** Per signer, the nonce its next transaction takes, once known. */
    private final Map<Address, CompletableFuture<Long>> next = new ConcurrentHashMap<>();

    public NonceCounter(LedgerGateway ledger) {
        this.ledger = ledger;
    }

    @Override
    public CompletionStage<Receipt> submit(SignedTransaction tx) {
        return ledger.submit(tx);
    }

    @Override
    public CompletionStage<Metagraph> metagraph(int netuid) {
        return ledger.metagraph(netuid);
    }

    @Override
    public CompletionStage<Long> nonce(Address account) {
        return ledger.nonce(account);
    }

    @Override
    public CompletionStage<Receipt> signAndSubmit(Keypair signer, Transaction body) {
        Address account = signer.address();
        CompletableFuture<Long> mine = new CompletableFuture<>();
        CompletableFuture<Long> after = mine.thenApply(n -> n + 1);
        CompletableFuture<Long> counted = next.put(account, after);
        CompletionStage<Long> source = counted == null || counted.isCompletedExceptionally() ? ledger.nonce(account) : counted;
        source.whenComplete((n, failure) -> complete(mine, n, failure));
        return mine.thenCompose(n -> ledger.submit(SignedTransaction.sign(signer, n, body)))
                .thenCompose(receipt -> {
                    if (receipt instanceof Receipt.Rejected r && r.reason() == RejectReason.WRONG_NONCE) {
                        // the key signed elsewhere (this neuron on another node, a wallet in another process):
                        // forget the count, ask, and sign once more
                        next.remove(account, after);
                        return ledger.nonce(account).thenCompose(n -> ledger.submit(SignedTransaction.sign(signer, n, body)));
                    }
                    return CompletableFuture.completedFuture(receipt);
                })
                .whenComplete((receipt, failure) -> {
                    if (failure != null || !receipt.accepted()) {
                        next.remove(account, after); // the count is off from here: the next transaction asks
                    }
                });
    }

    private static void complete(CompletableFuture<Long> nonce, Long n, Throwable failure) {
        if (failure != null) {
            nonce.completeExceptionally(failure);
        } else {
            nonce.complete(n);
        }
    }
}

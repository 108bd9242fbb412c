package io.cortex.deploy.cli;

import com.google.protobuf.ByteString;
import io.cortex.deploy.support.CliFailure;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.TransactionCodec;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.SubmitReply;
import io.cortex.protocol.api.SubmitRequest;
import io.cortex.core.identity.Keypair;

/** Signs a transaction with the signer's next nonce, submits it, and waits for the block that holds it. */
final class Submitter {

    private Submitter() {
    }

    /** The accepted reply; a rejection is a {@link CliFailure} carrying the ledger's reason. */
    static SubmitReply submit(Api api, Keypair signer, Transaction body) {
        long nonce = api.call(api.ledger().nonce(AccountRequest.newBuilder().setAddress(signer.address().toString()).build()))
                .getNext();
        SignedTransaction tx = SignedTransaction.sign(signer, nonce, body);
        SubmitReply reply = api.call(api.ledger().submit(SubmitRequest.newBuilder()
                .setTransaction(ByteString.copyFrom(TransactionCodec.encode(tx))).build()));
        if (!reply.getAccepted()) {
            throw new CliFailure("the ledger rejected the transaction: " + reply.getDetail() + " (" + reply.getReason() + ")");
        }
        return reply;
    }
}

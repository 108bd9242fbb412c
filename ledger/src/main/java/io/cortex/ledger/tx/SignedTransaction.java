package io.cortex.ledger.tx;

import io.cortex.ledger.audit.Canonical;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.util.Arrays;

/**
 * A transaction with its signer, the signer's next nonce, and the Ed25519 signature over both and the body
 * ({@link TransactionCodec#signingPayload}).
 */
public record SignedTransaction(Address signer, long nonce, Transaction body, byte[] signature) {

    /** Signs {@code body} as {@code keys} with {@code nonce}. */
    public static SignedTransaction sign(Keypair keys, long nonce, Transaction body) {
        byte[] payload = TransactionCodec.signingPayload(keys.address(), nonce, body);
        return new SignedTransaction(keys.address(), nonce, body, keys.sign(payload));
    }

    /** Whether the signature is the signer's over this signer, nonce and body. */
    public boolean signatureValid() {
        return Keypair.verify(signer, TransactionCodec.signingPayload(signer, nonce, body), signature);
    }

    /** SHA-256 of the canonical encoding: the transaction's id in receipts and block roots. */
    public byte[] hash() {
        return Canonical.sha256(TransactionCodec.encode(this));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTransaction t && signer.equals(t.signer) && nonce == t.nonce && body.equals(t.body)
                && Arrays.equals(signature, t.signature);
    }

    @Override
    public int hashCode() {
        return signer.hashCode() * 31 + Long.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "SignedTransaction[" + signer.shortForm() + " #" + nonce + " " + body + "]";
    }
}

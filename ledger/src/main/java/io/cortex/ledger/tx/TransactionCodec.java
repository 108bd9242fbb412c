package io.cortex.ledger.tx;

import io.cortex.ledger.audit.Canonical;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Canonical bytes of transactions: what is signed, what is hashed and what crosses the wire (gRPC, the
 * journal). {@link #decode} checks everything a hostile sender could get wrong — truncation, trailing
 * bytes, unknown kinds, oversized arrays, invalid UTF-8 — and says which, never trusting a length.
 */
public final class TransactionCodec {
    /** Upper bounds on what one transaction may carry. */
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_WEIGHTS = 65_536;
    public static final int MAX_STRING = 256;
    public static final int MAX_SALT = 64;
    private static final String DOMAIN = "cortex-tx/1";

    private TransactionCodec() {
    }

    /** The bytes a signer signs: domain, signer, nonce, body. */
    public static byte[] signingPayload(Address signer, long nonce, Transaction body) {
        Canonical c = Canonical.bytes().tag(DOMAIN).address(signer).i64(nonce);
        body(c, body);
        return c.toByteArray();
    }

    /** The full encoding of a signed transaction. */
    public static byte[] encode(SignedTransaction tx) {
        Canonical c = Canonical.bytes().address(tx.signer()).i64(tx.nonce());
        body(c, tx.body());
        c.bytes(tx.signature());
        return c.toByteArray();
    }

    private static void body(Canonical c, Transaction t) {
        c.u8(t.kind());
        t.writeFields(c);
    }

    static Canonical ints(Canonical c, int[] values) {
        c.i32(values.length);
        for (int v : values) {
            c.i32(v);
        }
        return c;
    }

    /** Decodes {@link #encode}'s bytes; a malformed input throws with what is wrong. */
    public static SignedTransaction decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedTransactionException("transaction of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            Address signer = address(in);
            long nonce = in.getLong();
            Transaction body = body(in);
            byte[] signature = bytes(in, Keypair.SIGNATURE_LENGTH, "signature");
            if (in.hasRemaining()) {
                throw new MalformedTransactionException(in.remaining() + " unexpected bytes after the signature");
            }
            return new SignedTransaction(signer, nonce, body, signature);
        } catch (BufferUnderflowException e) {
            throw new MalformedTransactionException("truncated transaction (" + bytes.length + " bytes)");
        }
    }

    private static Transaction body(ByteBuffer in) {
        int kind = in.get() & 0xFF;
        return switch (kind) {
            case 1 -> new Transaction.Transfer(address(in), in.getLong());
            case 2 -> new Transaction.CreateSubnet(address(in));
            case 3 -> new Transaction.StartSubnet(in.getInt());
            case 4 -> new Transaction.RegisterNeuron(in.getInt(), address(in), in.getLong());
            case 5 -> new Transaction.ServeAxon(in.getInt(), string(in, "endpoint"));
            case 6 -> new Transaction.AddStake(address(in), in.getInt(), in.getLong(), in.getLong());
            case 7 -> new Transaction.RemoveStake(address(in), in.getInt(), in.getLong(), in.getLong());
            case 8 -> new Transaction.SetWeights(in.getInt(), ints(in, "uids"), ints(in, "values"), in.getLong());
            case 9 -> new Transaction.CommitWeights(in.getInt(), bytes(in, 32, "commit hash"));
            case 10 -> new Transaction.RevealWeights(in.getInt(), ints(in, "uids"), ints(in, "values"),
                    bytes(in, MAX_SALT, "salt"), in.getLong());
            case 11 -> new Transaction.SetHyperparameter(in.getInt(), string(in, "name"), in.getLong());
            case 12 -> new Transaction.SetValidatorTake(address(in), in.getInt());
            case 13 -> new Transaction.PaySubnet(in.getInt(), in.getLong());
            default -> throw new MalformedTransactionException("unknown transaction kind " + kind);
        };
    }

    private static Address address(ByteBuffer in) {
        byte[] key = new byte[Address.LENGTH];
        in.get(key);
        return Address.of(key);
    }

    private static int length(ByteBuffer in, int max, String what) {
        int n = in.getInt();
        if (n < 0 || n > max) {
            throw new MalformedTransactionException(what + ": length " + n + " out of range (0 .. " + max + ")");
        }
        if (n > in.remaining()) {
            throw new MalformedTransactionException(what + ": length " + n + " runs past the end");
        }
        return n;
    }

    private static byte[] bytes(ByteBuffer in, int max, String what) {
        byte[] b = new byte[length(in, max, what)];
        in.get(b);
        return b;
    }

    private static int[] ints(ByteBuffer in, String what) {
        int n = in.getInt();
        if (n < 0 || n > MAX_WEIGHTS || (long) n * 4 > in.remaining()) {
            throw new MalformedTransactionException(what + ": " + n + " entries do not fit");
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.getInt();
        }
        return v;
    }

    private static String string(ByteBuffer in, String what) {
        byte[] b = bytes(in, MAX_STRING, what);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedTransactionException(what + ": not UTF-8");
        }
    }

    /** Bytes that are not a transaction. */
    public static final class MalformedTransactionException extends IllegalArgumentException {
        public MalformedTransactionException(String message) {
            super(message);
        }
    }
}

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

    /** The kind's code, then its fields in the order {@link #body(ByteBuffer)} reads them back. */
    private static void body(Canonical c, Transaction body) {
        c.u8(body.kind().code());
        if (body instanceof Transaction.Transfer t) {
            c.address(t.to()).i64(t.amount());
        } else if (body instanceof Transaction.CreateSubnet t) {
            c.address(t.ownerHotkey());
        } else if (body instanceof Transaction.StartSubnet t) {
            c.i32(t.netuid());
        } else if (body instanceof Transaction.RegisterNeuron t) {
            c.i32(t.netuid()).address(t.hotkey()).i64(t.maxBurn());
        } else if (body instanceof Transaction.ServeAxon t) {
            c.i32(t.netuid()).string(t.endpoint());
        } else if (body instanceof Transaction.AddStake t) {
            c.address(t.hotkey()).i32(t.netuid()).i64(t.amount()).i64(t.limitPrice());
        } else if (body instanceof Transaction.RemoveStake t) {
            c.address(t.hotkey()).i32(t.netuid()).i64(t.amount()).i64(t.limitPrice());
        } else if (body instanceof Transaction.SetWeights t) {
            ints(ints(c.i32(t.netuid()), t.uids()), t.values()).i64(t.versionKey());
        } else if (body instanceof Transaction.CommitWeights t) {
            c.i32(t.netuid()).bytes(t.commitHash());
        } else if (body instanceof Transaction.RevealWeights t) {
            ints(ints(c.i32(t.netuid()), t.uids()), t.values()).bytes(t.salt()).i64(t.versionKey());
        } else if (body instanceof Transaction.SetHyperparameter t) {
            c.i32(t.netuid()).string(t.name()).i64(t.value());
        } else if (body instanceof Transaction.SetValidatorTake t) {
            c.address(t.hotkey()).i32(t.take());
        } else if (body instanceof Transaction.PaySubnet t) {
            c.i32(t.netuid()).i64(t.amount());
        }
    }

    private static Canonical ints(Canonical c, int[] values) {
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
        int code = in.get() & 0xFF;
        Transaction.Kind kind = Transaction.Kind.ofCode(code);
        if (kind == null) {
            throw new MalformedTransactionException("unknown transaction kind " + code);
        }
        return switch (kind) {
            case TRANSFER -> new Transaction.Transfer(address(in), in.getLong());
            case CREATE_SUBNET -> new Transaction.CreateSubnet(address(in));
            case START_SUBNET -> new Transaction.StartSubnet(in.getInt());
            case REGISTER_NEURON -> new Transaction.RegisterNeuron(in.getInt(), address(in), in.getLong());
            case SERVE_AXON -> new Transaction.ServeAxon(in.getInt(), string(in, "endpoint"));
            case ADD_STAKE -> new Transaction.AddStake(address(in), in.getInt(), in.getLong(), in.getLong());
            case REMOVE_STAKE -> new Transaction.RemoveStake(address(in), in.getInt(), in.getLong(), in.getLong());
            case SET_WEIGHTS -> new Transaction.SetWeights(in.getInt(), ints(in, "uids"), ints(in, "values"), in.getLong());
            case COMMIT_WEIGHTS -> new Transaction.CommitWeights(in.getInt(), bytes(in, 32, "commit hash"));
            case REVEAL_WEIGHTS -> new Transaction.RevealWeights(in.getInt(), ints(in, "uids"), ints(in, "values"),
                    bytes(in, MAX_SALT, "salt"), in.getLong());
            case SET_HYPERPARAMETER -> new Transaction.SetHyperparameter(in.getInt(), string(in, "name"), in.getLong());
            case SET_VALIDATOR_TAKE -> new Transaction.SetValidatorTake(address(in), in.getInt());
            case PAY_SUBNET -> new Transaction.PaySubnet(in.getInt(), in.getLong());
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

package io.cortex.ledger.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every transaction survives encoding; malformed bytes are refused with a reason, never with a crash. */
class TransactionCodecTest {
    private static final Keypair ALICE = DevKeys.coldkey("alice");
    private static final Keypair HOT = DevKeys.hotkey("alice", 1);

    static List<Transaction> everyKind() {
        return List.of(
                new Transaction.Transfer(HOT.address(), 5),
                new Transaction.CreateSubnet(HOT.address()),
                new Transaction.StartSubnet(3),
                new Transaction.RegisterNeuron(1, HOT.address(), 77),
                new Transaction.ServeAxon(1, "aeron:udp?endpoint=127.0.0.1:40001"),
                new Transaction.AddStake(HOT.address(), 1, 10, 20),
                new Transaction.RemoveStake(HOT.address(), 1, 10, 0),
                new Transaction.SetWeights(1, new int[] {1, 2}, new int[] {3, 4}, 9),
                new Transaction.CommitWeights(1, new byte[32]),
                new Transaction.RevealWeights(1, new int[] {1}, new int[] {2}, new byte[] {7, 7}, 0),
                new Transaction.SetHyperparameter(1, "tempo", 100),
                new Transaction.SetValidatorTake(HOT.address(), 11),
                new Transaction.PaySubnet(2, 3_000));
    }

    @Test
    void everyKindRoundTripsAndKeepsItsSignature() {
        for (Transaction body : everyKind()) {
            SignedTransaction tx = SignedTransaction.sign(ALICE, 4, body);
            SignedTransaction decoded = TransactionCodec.decode(TransactionCodec.encode(tx));
            assertEquals(tx, decoded, body.toString());
            assertTrue(decoded.signatureValid(), body.toString());
        }
    }

    @Test
    void truncatedTrailingAndUnknownBytesAreRefused() {
        byte[] good = TransactionCodec.encode(SignedTransaction.sign(ALICE, 0, everyKind().get(7)));
        for (int cut = 0; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(TransactionCodec.MalformedTransactionException.class, () -> TransactionCodec.decode(truncated));
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(TransactionCodec.MalformedTransactionException.class, () -> TransactionCodec.decode(trailing));
        byte[] unknownKind = good.clone();
        unknownKind[40] = (byte) 200;
        assertThrows(TransactionCodec.MalformedTransactionException.class, () -> TransactionCodec.decode(unknownKind));
    }

    @Test
    void randomAndMutatedBytesNeverCrashTheDecoder() {
        Random r = new Random(5);
        byte[] good = TransactionCodec.encode(SignedTransaction.sign(ALICE, 0, everyKind().get(9)));
        for (int i = 0; i < 20_000; i++) {
            byte[] input = i % 2 == 0 ? new byte[r.nextInt(200)] : good.clone();
            if (i % 2 == 0) {
                r.nextBytes(input);
            } else {
                for (int m = 0; m <= r.nextInt(4); m++) {
                    input[r.nextInt(input.length)] = (byte) r.nextInt(256);
                }
            }
            try {
                SignedTransaction tx = TransactionCodec.decode(input);
                assertEquals(tx, TransactionCodec.decode(TransactionCodec.encode(tx)), "what decodes re-encodes alike");
            } catch (TransactionCodec.MalformedTransactionException expected) {
                assertTrue(!expected.getMessage().isEmpty());
            }
        }
    }
}

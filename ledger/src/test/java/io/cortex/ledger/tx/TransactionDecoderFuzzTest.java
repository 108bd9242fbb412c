package io.cortex.ledger.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.cortex.core.identity.DevKeys;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The transaction decoder under fuzz (jqwik): random bytes, and every kind of transaction with a bit flipped,
 * a byte overwritten, cut short or extended. Whatever comes in, the decoder either refuses it with a
 * {@link TransactionCodec.MalformedTransactionException} saying what is wrong, or returns a transaction that
 * encodes back to exactly the bytes it came from: no other exception, no second reading of the same bytes.
 */
class TransactionDecoderFuzzTest {

    @Property(tries = 5_000)
    void randomBytesAreRefusedOrReadCanonically(@ForAll @Size(max = 600) byte[] input) {
        check(input);
    }

    @Property(tries = 10_000)
    void mutatedTransactionsAreRefusedOrReadCanonically(@ForAll("encoded") byte[] good, @ForAll @IntRange(max = 3) int how,
                                                        @ForAll @IntRange(min = 0, max = 1 << 20) int where,
                                                        @ForAll byte value) {
        byte[] input;
        int at = where % good.length;
        switch (how) {
            case 0 -> {
                input = good.clone();
                input[at] ^= (byte) (1 << (value & 7));
            }
            case 1 -> {
                input = good.clone();
                input[at] = (byte) (input[at] + (value == 0 ? 1 : value));
            }
            case 2 -> input = Arrays.copyOf(good, at);
            default -> {
                input = Arrays.copyOf(good, good.length + 1 + (at % 16));
                Arrays.fill(input, good.length, input.length, value);
            }
        }
        check(input);
    }

    @Provide
    Arbitrary<byte[]> encoded() {
        List<Transaction> kinds = TransactionCodecTest.everyKind();
        return Arbitraries.integers().between(0, kinds.size() - 1).flatMap(k -> Arbitraries.longs().between(0, 1_000)
                .map(nonce -> TransactionCodec.encode(SignedTransaction.sign(DevKeys.coldkey("alice"), nonce, kinds.get(k)))));
    }

    private static void check(byte[] input) {
        SignedTransaction tx;
        try {
            tx = TransactionCodec.decode(input);
        } catch (TransactionCodec.MalformedTransactionException refused) {
            assertFalse(refused.getMessage() == null || refused.getMessage().isEmpty());
            return;
        }
        assertArrayEquals(input, TransactionCodec.encode(tx), "a decoded transaction encodes back to its bytes");
    }
}

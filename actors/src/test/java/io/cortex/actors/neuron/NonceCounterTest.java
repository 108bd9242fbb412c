package io.cortex.actors.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A transaction through {@link NonceCounter} is one round trip: the nonce is asked once per signer, until a refusal. */
class NonceCounterTest {
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Keypair HOTKEY = DevKeys.hotkey("dave", 0);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    /** The ledger, counting how often the nonce is asked. */
    private static final class Asking implements LedgerGateway {
        final FakeLedger ledger = new FakeLedger(KIT, FakeLedger.subnet(1, false,
                FakeLedger.neuron(0, HOTKEY.address(), DevKeys.coldkey("dave").address(), 0, "", false)));
        final AtomicInteger nonceAsked = new AtomicInteger();

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
            nonceAsked.incrementAndGet();
            return ledger.nonce(account);
        }
    }

    private static Receipt serve(LedgerGateway gateway, int port) throws Exception {
        return gateway.signAndSubmit(HOTKEY, new Transaction.ServeAxon(1, "aeron:udp?endpoint=127.0.0.1:" + port))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSignersNonceIsAskedOnceThenCounted() throws Exception {
        Asking ledger = new Asking();
        NonceCounter counter = new NonceCounter(ledger);
        for (int i = 0; i < 3; i++) {
            assertTrue(serve(counter, 40_000 + i).accepted());
        }
        assertEquals(1, ledger.nonceAsked.get(), "three transactions, one question");
        assertEquals(3L, ledger.nonce(HOTKEY.address()).toCompletableFuture().get());
    }

    @Test
    void aKeyThatSignedElsewhereIsAskedAgainAndTheTransactionSignedOnceMore() throws Exception {
        Asking ledger = new Asking();
        NonceCounter counter = new NonceCounter(ledger);
        assertTrue(serve(counter, 41_000).accepted());
        // the same key signs elsewhere: the ledger's nonce moves on behind the counter's back
        long n = ledger.ledger.nonce(HOTKEY.address()).toCompletableFuture().get();
        assertTrue(ledger.ledger.submit(SignedTransaction.sign(HOTKEY, n, new Transaction.ServeAxon(1, "aeron:ipc")))
                .toCompletableFuture().get(10, TimeUnit.SECONDS).accepted());
        assertTrue(serve(counter, 41_001).accepted(), "refused for its nonce, asked again, signed once more");
        assertEquals(2, ledger.nonceAsked.get(), "asked at the first transaction and after the refusal");
        assertEquals(3L, ledger.nonce(HOTKEY.address()).toCompletableFuture().get());
    }
}

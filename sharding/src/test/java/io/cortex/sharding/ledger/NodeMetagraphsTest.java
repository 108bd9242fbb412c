package io.cortex.sharding.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.actors.neuron.LedgerGateway;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's neurons read a subnet's metagraph from what the ledger last pushed on the subnet's topic: one read of the
 * ledger serves every neuron that asks while it is under way, a push replaces the held one (a late, older one does
 * not), once nothing was pushed for the maximum age the ledger is read again, and so it is after a neuron's change
 * to the subnet was accepted.
 */
class NodeMetagraphsTest {

    private final ActorTestKit kit = ActorTestKit.create();

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    /** The ledger's side: counts the reads, each answered when the test completes it. */
    private static final class Ledger implements LedgerGateway {
        final List<CompletableFuture<Metagraph>> reads = new ArrayList<>();

        @Override
        public synchronized CompletionStage<Metagraph> metagraph(int netuid) {
            CompletableFuture<Metagraph> read = new CompletableFuture<>();
            reads.add(read);
            return read;
        }

        synchronized int count() {
            return reads.size();
        }

        synchronized CompletableFuture<Metagraph> last() {
            return reads.get(reads.size() - 1);
        }

        /** Every transaction is accepted (the ledger's rules are not what is tested here). */
        @Override
        public CompletionStage<Receipt> submit(SignedTransaction tx) {
            return CompletableFuture.completedFuture(new Receipt.Accepted(new byte[32]));
        }

        @Override
        public CompletionStage<Long> nonce(Address account) {
            throw new UnsupportedOperationException();
        }
    }

    private static Metagraph at(long block) {
        return new Metagraph(7, block, block / 10, block, 10, false, 0, 1, DevKeys.hotkey("alice", 0).address(), 1.0,
                List.of());
    }

    private static Metagraph read(NodeMetagraphs node) throws Exception {
        return node.metagraph(7).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void neuronsShareOneReadThenReadWhatIsPushedUntilItIsTooOld() throws Exception {
        Ledger ledger = new Ledger();
        AtomicLong now = new AtomicLong();
        NodeMetagraphs node = new NodeMetagraphs(kit.system(), ledger, Duration.ofSeconds(5), now::get);

        // the node's first neurons to ask share one read of the ledger
        List<CompletableFuture<Metagraph>> asked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            asked.add(node.metagraph(7).toCompletableFuture());
        }
        assertEquals(1, ledger.count());
        Metagraph first = at(100);
        ledger.last().complete(first);
        for (CompletableFuture<Metagraph> a : asked) {
            assertSame(first, a.get(5, TimeUnit.SECONDS));
        }
        assertSame(first, read(node));
        assertEquals(1, ledger.count(), "a held metagraph is read without asking the ledger");

        // the ledger pushes on the subnet's topic (it reaches the node once the receptionist has told of its subscriber)
        ActorRef<Topic.Command<Metagraph>> topic = kit.spawn(Topic.create(Metagraph.class, LedgerActor.metagraphTopic(7)));
        Metagraph pushed = at(110);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (read(node) != pushed) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("the pushed metagraph never reached the node's neurons");
            }
            topic.tell(Topic.publish(pushed));
            Thread.sleep(50);
        }
        topic.tell(Topic.publish(at(105))); // an older one, late
        Thread.sleep(500);
        assertSame(pushed, read(node));
        assertEquals(1, ledger.count(), "pushes are read without asking the ledger");

        // nothing pushed for longer than the maximum age: the ledger is read again, once
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        CompletableFuture<Metagraph> again = node.metagraph(7).toCompletableFuture();
        CompletableFuture<Metagraph> meanwhile = node.metagraph(7).toCompletableFuture();
        assertEquals(2, ledger.count());
        Metagraph fresh = at(120);
        ledger.last().complete(fresh);
        assertSame(fresh, again.get(5, TimeUnit.SECONDS));
        assertSame(fresh, meanwhile.get(5, TimeUnit.SECONDS));
        assertSame(fresh, read(node));
        assertEquals(2, ledger.count());
    }

    @Test
    void aNeuronsAcceptedRegistrationMakesTheHeldMetagraphStaleAndAReadBegunBeforeIsNotShared() throws Exception {
        Ledger ledger = new Ledger();
        NodeMetagraphs node = new NodeMetagraphs(kit.system(), ledger, Duration.ofMinutes(1));
        CompletableFuture<Metagraph> before = node.metagraph(7).toCompletableFuture();
        CompletableFuture<Metagraph> firstRead = ledger.last();

        Receipt accepted = node.submit(SignedTransaction.sign(DevKeys.coldkey("bob"), 0, new Transaction.RegisterNeuron(7,
                DevKeys.hotkey("bob", 0).address(), 0))).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(accepted.accepted());
        // a read begun before the registration answers its own askers but is neither shared nor kept
        CompletableFuture<Metagraph> after = node.metagraph(7).toCompletableFuture();
        assertEquals(2, ledger.count());
        firstRead.complete(at(100));
        assertEquals(100, before.get(5, TimeUnit.SECONDS).block());
        ledger.last().complete(at(101));
        assertEquals(101, after.get(5, TimeUnit.SECONDS).block());
        assertEquals(101, read(node).block());
        assertEquals(2, ledger.count());

        // once accepted, the next read asks the ledger however fresh the held one is
        node.submit(SignedTransaction.sign(DevKeys.hotkey("bob", 0), 0, new Transaction.ServeAxon(7, "aeron:udp?endpoint=127.0.0.1:9")))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        CompletableFuture<Metagraph> served = node.metagraph(7).toCompletableFuture();
        assertEquals(3, ledger.count());
        ledger.last().complete(at(102));
        assertEquals(102, served.get(5, TimeUnit.SECONDS).block());
    }

    @Test
    void aFailedReadFailsItsAskersAndTheNextAsksAgain() throws Exception {
        Ledger ledger = new Ledger();
        NodeMetagraphs node = new NodeMetagraphs(kit.system(), ledger, Duration.ofSeconds(2));
        CompletableFuture<Metagraph> asked = node.metagraph(7).toCompletableFuture();
        ledger.last().completeExceptionally(new java.util.concurrent.TimeoutException("the ledger is moving"));
        assertEquals("the ledger is moving", org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> asked.get(5, TimeUnit.SECONDS)).getCause().getMessage());
        CompletableFuture<Metagraph> next = node.metagraph(7).toCompletableFuture();
        assertEquals(2, ledger.count());
        ledger.last().complete(at(200));
        assertEquals(200, next.get(5, TimeUnit.SECONDS).block());
    }
}

package io.cortex.ledger.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The ledger actor over the real state machine: receipts after the block, nonces, epochs published, ticks. */
class LedgerActorTest {

    /** The in-memory journal (one per actor system) and snapshots in a temporary directory. */
    static final ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseString("""
            pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
            pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
            pekko.persistence.snapshot-store.local.dir = "%s"
            """.formatted(tempDir("ledger-snapshots"))).withFallback(ConfigFactory.load()));

    static String tempDir(String name) {
        try {
            return java.nio.file.Files.createTempDirectory(name).toString().replace('\\', '/');
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    static final Keypair ALICE = DevKeys.coldkey("alice");

    /** Alice creates, starts and tunes subnet 1 at genesis: 5-block epochs, weights set directly. */
    static List<List<SignedTransaction>> genesis() {
        return List.of(List.of(
                SignedTransaction.sign(ALICE, 0, new Transaction.CreateSubnet(DevKeys.hotkey("alice", 0).address())),
                SignedTransaction.sign(ALICE, 1, new Transaction.StartSubnet(1)),
                SignedTransaction.sign(ALICE, 2, new Transaction.SetHyperparameter(1, "tempo", 5))));
    }

    /**
     * Each test its own ledger (journal): the devnet with one more funded account, named after the test, so
     * the configuration and with it the persistence id differ.
     */
    static LedgerConfig config(String name) {
        var balances = new java.util.TreeMap<>(LedgerConfig.devnet().balances());
        balances.put(io.cortex.core.identity.Keypair.fromSeed(io.cortex.ledger.audit.Canonical.sha256(
                name.getBytes(java.nio.charset.StandardCharsets.UTF_8))).address(), 1L);
        return LedgerConfig.devnet().withBalances(balances);
    }

    /** Stopped and started again, the ledger recovers every persisted block (from a snapshot and the events after it). */
    @Test
    void aRestartedLedgerRecoversWhereItStopped() {
        LedgerConfig config = config("restart");
        TestProbe<Receipt> receipts = kit.createTestProbe();
        TestProbe<LedgerViews.Status> statuses = kit.createTestProbe();
        ActorRef<LedgerActor.Command> first = kit.spawn(LedgerActor.create(config, genesis(), Duration.ofMillis(20),
                (netuid, block) -> { }, LedgerActor.Persistence.snapshotsEvery(7)));
        Keypair bob = DevKeys.coldkey("bob");
        first.tell(new LedgerActor.Submit(SignedTransaction.sign(bob, 0,
                new Transaction.Transfer(DevKeys.coldkey("dave").address(), 777)), receipts.getRef()));
        assertInstanceOf(Receipt.Accepted.class, receipts.receiveMessage(Duration.ofSeconds(10)));
        // height 30 (a block every 20 ms): asked until the status says so, for at most 30 s
        LedgerViews.Status before = statuses.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(20), () -> {
            first.tell(new LedgerActor.GetStatus(statuses.getRef()));
            LedgerViews.Status s = statuses.receiveMessage();
            assertTrue(s.height() >= 30, "the ledger reaches height 30, not " + s.height());
            return s;
        });
        kit.stop(first);
        // the last status may be a block or two behind the last persisted one; ask the journal's owner itself
        ActorRef<LedgerActor.Command> second = kit.spawn(LedgerActor.create(config, genesis(), Duration.ofHours(1),
                (netuid, block) -> { }, LedgerActor.Persistence.snapshotsEvery(7)));
        second.tell(new LedgerActor.GetStatus(statuses.getRef()));
        LedgerViews.Status after = statuses.receiveMessage(Duration.ofSeconds(10));
        assertTrue(after.recoveredHeight() >= before.height(), after + " after " + before);
        assertEquals(after.stateHash(), after.recoveredStateHash(), "no block since the recovery (1 h blocks)");
        TestProbe<LedgerActor.Inspection> inspections = kit.createTestProbe();
        second.tell(new LedgerActor.Inspect(DevKeys.coldkey("dave").address(), inspections.getRef()));
        LedgerActor.Inspection inspection = inspections.receiveMessage();
        assertEquals(LedgerConfig.devnet().balances().get(DevKeys.coldkey("dave").address()) + 777, inspection.balance());
        assertEquals(List.of(), inspection.conservationViolations());
        kit.stop(second);
    }

    /**
     * Genesis subnets come one a block, each at the minimum lock when the lock decays within a block, and the subnets'
     * ticks begin after the last of them.
     */
    @Test
    void genesisBlocksCarryOneSubnetEach() {
        Keypair bob = DevKeys.coldkey("bob");
        List<List<SignedTransaction>> blocks = List.of(
                List.of(SignedTransaction.sign(ALICE, 0, new Transaction.CreateSubnet(DevKeys.hotkey("alice", 0).address()))),
                List.of(SignedTransaction.sign(bob, 0, new Transaction.CreateSubnet(DevKeys.hotkey("bob", 0).address()))));
        java.util.Map<Integer, Long> firstTick = new java.util.concurrent.ConcurrentHashMap<>();
        ActorRef<LedgerActor.Command> ledger = kit.spawn(LedgerActor.create(config("genesis-blocks").withLockReductionInterval(1),
                blocks, Duration.ofMillis(20), (netuid, block) -> firstTick.putIfAbsent(netuid, block),
                LedgerActor.Persistence.noSnapshots()));
        TestProbe<LedgerActor.Inspection> inspections = kit.createTestProbe();
        LedgerActor.Inspection after = inspections.awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(20), () -> {
            ledger.tell(new LedgerActor.Inspect(bob.address(), inspections.getRef()));
            LedgerActor.Inspection i = inspections.receiveMessage();
            assertTrue(firstTick.containsKey(2) && i.height() >= 3, "subnet 2 exists by block 3: " + firstTick);
            return i;
        });
        assertEquals(java.util.Map.of(1, 2L, 2, 2L), firstTick, "the subnets' ticks (which start their neurons) begin once "
                + "the last genesis block is in");
        assertEquals(LedgerConfig.devnet().balances().get(bob.address()) - LedgerConfig.devnet().minLockCost(), after.balance(),
                "bob's subnet, alone in its block, cost the minimum lock (in alice's block it would have cost twice that)");
        assertEquals(List.of(), after.conservationViolations());
        kit.stop(ledger);
    }

    @Test
    void receiptsComeAfterTheBlockAndNoncesCountQueuedTransactions() {
        LinkedBlockingQueue<Long> blocks = new LinkedBlockingQueue<>();
        ActorRef<LedgerActor.Command> ledger = kit.spawn(LedgerActor.create(config("receipts"), genesis(),
                Duration.ofMillis(50), (netuid, block) -> blocks.add(block), LedgerActor.Persistence.noSnapshots()));
        TestProbe<LedgerActor.Nonce> nonces = kit.createTestProbe();
        TestProbe<Receipt> receipts = kit.createTestProbe();
        Keypair bob = DevKeys.coldkey("bob");
        ledger.tell(new LedgerActor.GetNonce(bob.address(), nonces.getRef()));
        assertEquals(0, nonces.receiveMessage().next());

        ledger.tell(new LedgerActor.Submit(SignedTransaction.sign(bob, 0,
                new Transaction.Transfer(DevKeys.coldkey("dave").address(), 1_000)), receipts.getRef()));
        ledger.tell(new LedgerActor.GetNonce(bob.address(), nonces.getRef()));
        assertEquals(1, nonces.receiveMessage().next(), "the queued transfer counts");
        ledger.tell(new LedgerActor.Submit(SignedTransaction.sign(bob, 0,
                new Transaction.Transfer(DevKeys.coldkey("dave").address(), 1_000)), receipts.getRef()));

        assertInstanceOf(Receipt.Accepted.class, receipts.receiveMessage(Duration.ofSeconds(5)));
        Receipt replay = receipts.receiveMessage(Duration.ofSeconds(5));
        assertEquals(RejectReason.WRONG_NONCE, assertInstanceOf(Receipt.Rejected.class, replay).reason());

        TestProbe<LedgerActor.Inspection> inspections = kit.createTestProbe();
        ledger.tell(new LedgerActor.Inspect(DevKeys.coldkey("dave").address(), inspections.getRef()));
        LedgerActor.Inspection inspection = inspections.receiveMessage();
        assertTrue(inspection.height() >= 1);
        assertEquals(List.of(), inspection.conservationViolations());
        assertTrue(blocks.size() >= 1, "subnet 1 is ticked every block");
        kit.stop(ledger);
    }

    @Test
    void eachEpochPublishesTheSubnetsMetagraph() {
        TestProbe<Metagraph> subscriber = kit.createTestProbe();
        ActorRef<Topic.Command<Metagraph>> topic = kit.spawn(Topic.create(Metagraph.class, LedgerActor.metagraphTopic(1)));
        topic.tell(Topic.subscribe(subscriber.getRef()));
        ActorRef<LedgerActor.Command> ledger = kit.spawn(LedgerActor.create(config("epochs"), genesis(),
                Duration.ZERO, (netuid, block) -> { }, LedgerActor.Persistence.noSnapshots()));

        Metagraph first = subscriber.receiveMessage(Duration.ofSeconds(10));
        Metagraph second = subscriber.receiveMessage(Duration.ofSeconds(10));
        assertEquals(1, first.netuid());
        assertEquals(5, first.tempo());
        assertTrue(second.epochIndex() > first.epochIndex(), first.epochIndex() + " then " + second.epochIndex());

        TestProbe<Metagraph> asked = kit.createTestProbe();
        ledger.tell(new LedgerActor.GetMetagraph(1, asked.getRef()));
        assertEquals(1, asked.receiveMessage().netuid());
        kit.stop(ledger);
    }

    /** A served axon reaches the subnet's subscribers in the block's own push, before any epoch shows it. */
    @Test
    void aNewAxonIsPushedWithoutWaitingForAnEpoch() {
        TestProbe<Metagraph> subscriber = kit.createTestProbe();
        ActorRef<Topic.Command<Metagraph>> topic = kit.spawn(Topic.create(Metagraph.class, LedgerActor.metagraphTopic(1)));
        topic.tell(Topic.subscribe(subscriber.getRef()));
        List<List<SignedTransaction>> slowEpochs = List.of(List.of(
                SignedTransaction.sign(ALICE, 0, new Transaction.CreateSubnet(DevKeys.hotkey("alice", 0).address())),
                SignedTransaction.sign(ALICE, 1, new Transaction.StartSubnet(1)),
                SignedTransaction.sign(ALICE, 2, new Transaction.SetHyperparameter(1, "tempo", 10_000))));
        ActorRef<LedgerActor.Command> ledger = kit.spawn(LedgerActor.create(config("axon-push"), slowEpochs,
                Duration.ofMillis(20), (netuid, block) -> { }, LedgerActor.Persistence.noSnapshots()));
        io.cortex.core.identity.Keypair owner = DevKeys.hotkey("alice", 0);
        TestProbe<Receipt> receipt = kit.createTestProbe();
        // the subnet must exist first: its metagraph answers once it does
        TestProbe<Metagraph> asked = kit.createTestProbe();
        asked.awaitAssert(Duration.ofSeconds(10), () -> {
            ledger.tell(new LedgerActor.GetMetagraph(1, asked.getRef()));
            return asked.receiveMessage(Duration.ofMillis(200));
        });
        // a topic drops what it is given before it has heard of any subscriber (the receptionist tells it a moment
        // after it is made): serve new ports until one arrives, each in a block of its own and not in an epoch
        long nonce = 0;
        Metagraph pushed = null;
        long giveUp = System.currentTimeMillis() + 15_000;
        while (pushed == null && System.currentTimeMillis() < giveUp) {
            String port = ":" + (40_000 + nonce);
            ledger.tell(new LedgerActor.Submit(SignedTransaction.sign(owner, nonce++,
                    new Transaction.ServeAxon(1, "aeron:udp?endpoint=127.0.0.1" + port)), receipt.getRef()));
            assertTrue(receipt.receiveMessage(Duration.ofSeconds(10)).accepted());
            try {
                pushed = subscriber.fishForMessage(Duration.ofSeconds(1), "the metagraph with the new axon",
                        m -> m.neurons().stream().anyMatch(n -> n.axon().endsWith(port))
                                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore())
                        .stream().reduce((x, y) -> y).orElseThrow();
            } catch (AssertionError notYet) {
                // the push went to a topic that knew no subscriber yet
            }
        }
        assertNotNull(pushed, "a served axon is pushed to the subnet's subscribers");
        // tempo 10,000 blocks of 20 ms: no epoch runs while the test does, so only the block's own push shows it
        assertEquals(0, pushed.epochIndex(), "pushed before the subnet's first epoch");
        kit.stop(ledger);
    }
}

package io.cortex.actors.neuron;

import static io.cortex.actors.neuron.FakeLedger.neuron;
import static io.cortex.actors.neuron.FakeLedger.subnet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.aeron.Dendrite;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.aeron.Status;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import io.cortex.subnets.SubnetMechanism;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The miner actor on a real query transport (embedded Aeron on loopback) and a {@link FakeLedger}: it registers
 * its hotkey with its coldkey and serves its node's axon with its hotkey, answers the subnet's validators with
 * its model after the model's working time, refuses every other caller and reply channel, and leaves the axon
 * when it stops. Validators query it from a second node's transport, over UDP, as from another machine.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MinerActorTest {

    @JUnit5TestKit
    final ActorTestKit kit = new JUnit5TestKitBuilder().withName("MinerActorTest").build();

    static final int NETUID = 1;
    static final Keypair COLDKEY = DevKeys.coldkey("bob");
    static final Keypair VALIDATOR = DevKeys.hotkey("alice", 1);
    static final Keypair NO_PERMIT = DevKeys.hotkey("charlie", 1);
    static final Duration ANSWERED_WITHIN = Duration.ofSeconds(5);
    /** For queries the miner's node must leave unanswered: they end at their deadline. */
    static final Duration UNANSWERED_AFTER = Duration.ofMillis(500);

    private QueryTransport minerNode;
    private QueryTransport validatorNode;
    private final List<ActorRef<MinerActor.Command>> miners = new ArrayList<>();

    @BeforeAll
    void startNodes() {
        minerNode = QueryTransport.start(new QueryTransport.Context().name("miner-test-miners"));
        validatorNode = QueryTransport.start(new QueryTransport.Context().name("miner-test-validators"));
    }

    @AfterEach
    void stopMiners() {
        miners.forEach(kit::stop);
        miners.clear();
    }

    @AfterAll
    void stopNodes() {
        validatorNode.close();
        minerNode.close();
    }

    /** Answers a task with its bytes reversed after {@code delayMillis}, and counts the tasks it was given. */
    record Reversing(long delayMillis, AtomicInteger asked) implements SubnetMechanism.MinerModel {
        Reversing(long delayMillis) {
            this(delayMillis, new AtomicInteger());
        }

        @Override
        public SubnetMechanism.Answer answer(byte[] task, SplittableRandom random) {
            asked.incrementAndGet();
            return new SubnetMechanism.Answer(reversed(task), delayMillis);
        }

        static byte[] reversed(byte[] body) {
            byte[] out = new byte[body.length];
            for (int i = 0; i < body.length; i++) {
                out[i] = body[body.length - 1 - i];
            }
            return out;
        }
    }

    /**
     * The subnet before the miner joins: a validator with a permit and one without, both on the validator
     * node, whose axon is announced on the subnet when {@code announced}.
     */
    private FakeLedger subnetWithValidators(boolean announced) {
        String axon = announced ? validatorNode.axonChannel() : "";
        return new FakeLedger(kit, subnet(NETUID, false,
                neuron(0, VALIDATOR.address(), DevKeys.coldkey("alice").address(), Rao.tao(1_000), axon, true),
                neuron(1, NO_PERMIT.address(), DevKeys.coldkey("charlie").address(), 0, axon, false)));
    }

    /** Starts a miner and waits for its registration: by then it has read the subnet and admits its validators. */
    private ActorRef<MinerActor.Command> startMiner(FakeLedger ledger, Keypair hotkey, SubnetMechanism.MinerModel model) {
        ActorRef<MinerActor.Command> miner = kit.spawn(MinerActor.create(NETUID, hotkey, COLDKEY, model, minerNode, ledger, 7));
        miners.add(miner);
        assertInstanceOf(Transaction.RegisterNeuron.class, ledger.nextSubmission().body());
        return miner;
    }

    private Dendrite.Response query(Keypair caller, Keypair miner, int netuid, byte[] task, Duration timeout) {
        return validatorNode.dendrite().query(caller, miner.address(), minerNode.axonChannel(), netuid, task, timeout).join();
    }

    @Test
    void aNewMinerRegistersWithItsColdkeyThenServesItsNodesAxonWithItsHotkeyThenSubmitsNothingMore() {
        Keypair hotkey = DevKeys.hotkey("bob", 1);
        FakeLedger ledger = subnetWithValidators(true);

        miners.add(kit.spawn(MinerActor.create(NETUID, hotkey, COLDKEY, new Reversing(0), minerNode, ledger, 7)));

        SignedTransaction register = ledger.nextSubmission();
        assertEquals(COLDKEY.address(), register.signer());
        assertEquals(new Transaction.RegisterNeuron(NETUID, hotkey.address(), 0), register.body());
        assertTrue(register.signatureValid());
        SignedTransaction serve = ledger.nextSubmission();
        assertEquals(hotkey.address(), serve.signer());
        assertEquals(0, serve.nonce(), "the hotkey's first transaction");
        assertEquals(new Transaction.ServeAxon(NETUID, minerNode.axonChannel()), serve.body());
        // the check right after the axon is served, and the periodic one: both find nothing to do
        ledger.expectReadsWithoutSubmission(2, MinerActor.CHECK_EVERY.multipliedBy(3));
        Metagraph.Neuron row = ledger.current().neuron(hotkey.address());
        assertEquals(COLDKEY.address(), row.coldkey());
        assertEquals(minerNode.axonChannel(), row.axon());
    }

    @Test
    void aValidatorOfItsSubnetGetsTheModelsAnswerAfterTheModelsWorkingTime() {
        Keypair hotkey = DevKeys.hotkey("bob", 2);
        startMiner(subnetWithValidators(true), hotkey, new Reversing(150));

        Dendrite.Response r = query(VALIDATOR, hotkey, NETUID, new byte[] {1, 2, 3, 4}, ANSWERED_WITHIN);

        assertEquals(Status.OK, r.status());
        assertArrayEquals(new byte[] {4, 3, 2, 1}, r.body());
        assertTrue(r.processingMicros() >= 150_000, "answered after " + r.processingMicros() + " µs of the model's 150 ms");
    }

    @Test
    void aHotkeyWithoutAValidatorPermitIsRefusedAndTheModelNeverAsked() {
        Keypair hotkey = DevKeys.hotkey("bob", 3);
        Reversing model = new Reversing(0);
        startMiner(subnetWithValidators(true), hotkey, model);

        Dendrite.Response r = query(NO_PERMIT, hotkey, NETUID, new byte[] {1}, ANSWERED_WITHIN);

        assertEquals(Status.UNAUTHORIZED, r.status());
        assertEquals(0, model.asked().get());
        assertEquals(Status.OK, query(VALIDATOR, hotkey, NETUID, new byte[] {1}, ANSWERED_WITHIN).status(),
                "while the validator is answered");
    }

    @Test
    void aValidatorWhoseNodesAxonIsNotAnnouncedOnTheSubnetGetsNoSession() {
        Keypair hotkey = DevKeys.hotkey("bob", 4);
        Reversing model = new Reversing(0);
        startMiner(subnetWithValidators(false), hotkey, model);
        long refusedBefore = minerNode.axon().counters().refusedChannel.get();

        Dendrite.Response r = query(VALIDATOR, hotkey, NETUID, new byte[] {1}, UNANSWERED_AFTER);

        assertEquals(Status.TIMEOUT, r.status(), "the miner's node sends nothing to a channel the ledger does not list");
        assertEquals(refusedBefore + 1, minerNode.axon().counters().refusedChannel.get());
        assertEquals(0, model.asked().get());
    }

    @Test
    void aQueryForAnotherSubnetGetsNoSession() {
        Keypair hotkey = DevKeys.hotkey("bob", 5);
        Reversing model = new Reversing(0);
        startMiner(subnetWithValidators(true), hotkey, model);
        long refusedBefore = minerNode.axon().counters().refusedChannel.get();

        Dendrite.Response r = query(VALIDATOR, hotkey, NETUID + 1, new byte[] {1}, UNANSWERED_AFTER);

        assertEquals(Status.TIMEOUT, r.status());
        assertEquals(refusedBefore + 1, minerNode.axon().counters().refusedChannel.get(),
                "the validator's axon is announced on subnet 1 only");
        assertEquals(0, model.asked().get());
    }

    @Test
    void aModelThatFailsAnswers500() {
        Keypair hotkey = DevKeys.hotkey("bob", 6);
        startMiner(subnetWithValidators(true), hotkey, (task, random) -> {
            throw new IllegalStateException("the model broke");
        });

        Dendrite.Response r = query(VALIDATOR, hotkey, NETUID, new byte[] {1}, ANSWERED_WITHIN);

        assertEquals(Status.MINER_ERROR, r.status());
    }

    @Test
    void aStoppedMinerLeavesItsNodesAxon() {
        Keypair hotkey = DevKeys.hotkey("bob", 7);
        ActorRef<MinerActor.Command> miner = startMiner(subnetWithValidators(true), hotkey, new Reversing(0));
        miner.tell(new MinerActor.KeepAlive());
        assertEquals(Status.OK, query(VALIDATOR, hotkey, NETUID, new byte[] {1}, ANSWERED_WITHIN).status());
        assertTrue(minerNode.axon().serves(hotkey.address()));

        kit.stop(miner);
        miners.remove(miner);

        assertFalse(minerNode.axon().serves(hotkey.address()));
        assertEquals(Status.NO_SUCH_MINER, query(VALIDATOR, hotkey, NETUID, new byte[] {1}, ANSWERED_WITHIN).status(),
                "the validator's open session now reaches no miner");
    }
}

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
import io.cortex.ledger.tx.WeightCommitment;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * The validator actor on a real query transport and a {@link FakeLedger}: it registers and stakes with its
 * coldkey and, outside the cluster only, announces its node's axon; it queries real {@link MinerActor}s of the
 * compute subnet on another node over UDP each round and, once an epoch, submits weights through the gateway
 * with its hotkey — only for the miner that beats the subnet's baseline, set directly or committed and revealed
 * a reveal period later; and it ignores a metagraph older than the one it holds.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidatorActorTest {

    @JUnit5TestKit
    final ActorTestKit kit = new JUnit5TestKitBuilder().withName("ValidatorActorTest").build();

    static final int NETUID = 1;
    static final long STAKE = Rao.tao(1_000);
    static final SubnetMechanism COMPUTE = SubnetMechanisms.named("compute");
    /**
     * Rounds every 100 ms with a 250 ms deadline: the quality-1 compute miner (about 10 ms) answers in time, the
     * quality-0 one (300 ms and more) never does.
     */
    static final ValidatorActor.Settings SETTINGS = new ValidatorActor.Settings(Duration.ofMillis(100),
            Duration.ofMillis(250), 0.5);

    private QueryTransport minerNode;
    private QueryTransport validatorNode;
    private final List<ActorRef<?>> neurons = new ArrayList<>();

    @BeforeAll
    void startNodes() {
        minerNode = QueryTransport.start(new QueryTransport.Context().name("validator-test-miners"));
        validatorNode = QueryTransport.start(new QueryTransport.Context().name("validator-test-validators"));
    }

    @AfterEach
    void stopNeurons() {
        neurons.forEach(this::stop);
        neurons.clear();
    }

    private <T> void stop(ActorRef<T> neuron) {
        kit.stop(neuron);
    }

    @AfterAll
    void stopNodes() {
        validatorNode.close();
        minerNode.close();
    }

    private ActorRef<ValidatorActor.Command> startValidator(FakeLedger ledger, Keypair hotkey, Keypair coldkey,
                                                            ValidatorActor.Settings settings) {
        ActorRef<ValidatorActor.Command> validator = kit.spawn(ValidatorActor.create(NETUID, hotkey, coldkey, STAKE, COMPUTE,
                validatorNode, ledger, settings, 11));
        neurons.add(validator);
        return validator;
    }

    /** A validator on the validator node and its fast (uid 1) and slow (uid 2) compute miners, all registered and served. */
    private record Scene(FakeLedger ledger, Keypair validator, ActorRef<ValidatorActor.Command> actor) {
    }

    private Scene validatorWithTwoMiners(String name, boolean commitReveal) {
        Keypair validator = DevKeys.hotkey(name, 10);
        Keypair fast = DevKeys.hotkey(name, 11);
        Keypair slow = DevKeys.hotkey(name, 12);
        Keypair coldkey = DevKeys.coldkey(name);
        FakeLedger ledger = new FakeLedger(kit, subnet(NETUID, commitReveal,
                neuron(0, validator.address(), coldkey.address(), STAKE, validatorNode.axonChannel(), true),
                neuron(1, fast.address(), coldkey.address(), 0, minerNode.axonChannel(), false),
                neuron(2, slow.address(), coldkey.address(), 0, minerNode.axonChannel(), false)));
        neurons.add(kit.spawn(MinerActor.create(NETUID, fast, coldkey, COMPUTE.miner(1.0), minerNode, ledger, 3)));
        neurons.add(kit.spawn(MinerActor.create(NETUID, slow, coldkey, COMPUTE.miner(0.0), minerNode, ledger, 3)));
        // both miners have read the subnet, so they admit the validator (it holds the permit)
        ledger.calls().expectMessage(new FakeLedger.Read(NETUID));
        ledger.calls().expectMessage(new FakeLedger.Read(NETUID));
        return new Scene(ledger, validator, startValidator(ledger, validator, coldkey, SETTINGS.announcingAxon()));
    }

    /**
     * Epoch after epoch until the validator submits weights: it has none to set before its first rounds have
     * settled and been scored.
     */
    private static SignedTransaction firstWeights(Scene scene) {
        return scene.ledger().calls().awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(10), () -> {
            scene.actor().tell(new ValidatorActor.NewMetagraph(scene.ledger().nextEpoch()));
            return scene.ledger().nextSubmission(Duration.ofSeconds(1));
        });
    }

    @Test
    void anOutsideValidatorRegistersAndStakesWithItsColdkeyThenAnnouncesItsNodesAxonWithItsHotkey() {
        Keypair hotkey = DevKeys.hotkey("dave", 1);
        Keypair coldkey = DevKeys.coldkey("dave");
        FakeLedger ledger = new FakeLedger(kit, subnet(NETUID, false));

        startValidator(ledger, hotkey, coldkey, SETTINGS.announcingAxon());

        SignedTransaction register = ledger.nextSubmission();
        assertEquals(coldkey.address(), register.signer());
        assertEquals(new Transaction.RegisterNeuron(NETUID, hotkey.address(), 0), register.body());
        SignedTransaction stake = ledger.nextSubmission();
        assertEquals(coldkey.address(), stake.signer());
        assertEquals(1, stake.nonce(), "the coldkey's second transaction, once the first is in a block");
        assertEquals(new Transaction.AddStake(hotkey.address(), NETUID, STAKE, 0), stake.body());
        SignedTransaction serve = ledger.nextSubmission();
        assertEquals(hotkey.address(), serve.signer());
        assertEquals(new Transaction.ServeAxon(NETUID, validatorNode.axonChannel()), serve.body());
        ledger.calls().awaitAssert(() -> {
            Metagraph.Neuron row = ledger.current().neuron(hotkey.address());
            assertEquals(STAKE, row.stake());
            assertEquals(validatorNode.axonChannel(), row.axon());
            return row;
        });
    }

    @Test
    void aHostedValidatorRegistersAndStakesButAnnouncesNoAxon() {
        Keypair hotkey = DevKeys.hotkey("eve", 1);
        Keypair coldkey = DevKeys.coldkey("eve");
        FakeLedger ledger = new FakeLedger(kit, subnet(NETUID, false));

        startValidator(ledger, hotkey, coldkey, SETTINGS);

        assertEquals(new Transaction.RegisterNeuron(NETUID, hotkey.address(), 0), ledger.nextSubmission().body());
        assertEquals(new Transaction.AddStake(hotkey.address(), NETUID, STAKE, 0), ledger.nextSubmission().body());
        // the read right after the stake is in, and no submission after it: a hosted validator answers on its
        // node's axon, which the node's miners announce
        ledger.expectReadsWithoutSubmission(1, Duration.ofSeconds(6));
        ledger.calls().expectNoMessage(Duration.ofSeconds(3));
        assertEquals("", ledger.current().neuron(hotkey.address()).axon());
    }

    @Test
    void itScoresItsMinersOverTheTransportAndWeightsOnlyTheOneThatBeatsTheBaseline() {
        Scene scene = validatorWithTwoMiners("ferdie", false);

        SignedTransaction weights = firstWeights(scene);

        assertEquals(scene.validator().address(), weights.signer());
        assertEquals(0, weights.nonce());
        assertTrue(weights.signatureValid());
        Transaction.SetWeights set = assertInstanceOf(Transaction.SetWeights.class, weights.body());
        assertEquals(NETUID, set.netuid());
        assertArrayEquals(new int[] {1}, set.uids(), "the fast miner only: the slow one misses every deadline");
        assertArrayEquals(new int[] {65_535}, set.values());
    }

    @Test
    void underCommitRevealItRevealsTheWeightsItCommittedOneRevealPeriodLaterThenCommitsAnew() {
        Scene scene = validatorWithTwoMiners("charlie", true);
        FakeLedger ledger = scene.ledger();

        SignedTransaction commit = firstWeights(scene);
        scene.actor().tell(new ValidatorActor.NewMetagraph(ledger.nextEpoch())); // reveal period 1
        SignedTransaction reveal = ledger.nextSubmission();
        SignedTransaction recommit = ledger.nextSubmission();

        Transaction.CommitWeights committed = assertInstanceOf(Transaction.CommitWeights.class, commit.body());
        Transaction.RevealWeights revealed = assertInstanceOf(Transaction.RevealWeights.class, reveal.body());
        assertInstanceOf(Transaction.CommitWeights.class, recommit.body());
        assertArrayEquals(new int[] {1}, revealed.uids());
        assertArrayEquals(committed.commitHash(), WeightCommitment.hash(scene.validator().address(), NETUID,
                revealed.uids(), revealed.values(), revealed.salt(), revealed.versionKey()), "the reveal opens the commit");
        assertEquals(List.of(commit.nonce() + 1, commit.nonce() + 2), List.of(reveal.nonce(), recommit.nonce()),
                "hotkey transactions go one at a time, each after the one before is in a block");
        assertTrue(reveal.signatureValid() && recommit.signatureValid());
        assertFalse(Arrays.equals(committed.commitHash(),
                ((Transaction.CommitWeights) recommit.body()).commitHash()), "a new salt for the new commit");
    }

    @Test
    void aMetagraphOlderThanTheOneItHoldsIsIgnored() {
        Keypair hotkey = DevKeys.hotkey("dave", 2);
        Keypair coldkey = DevKeys.coldkey("dave");
        FakeLedger ledger = new FakeLedger(kit, subnet(NETUID, false));
        ledger.stopAnsweringReads();
        Metagraph served = FakeLedger.at(ledger.current(), 10, 0,
                List.of(neuron(0, hotkey.address(), coldkey.address(), STAKE, validatorNode.axonChannel(), true)));
        ActorRef<ValidatorActor.Command> validator = startValidator(ledger, hotkey, coldkey, SETTINGS.announcingAxon());

        validator.tell(new ValidatorActor.NewMetagraph(served));
        validator.tell(new ValidatorActor.NewMetagraph(FakeLedger.at(served, 5, 0, List.of()))); // it would register
        validator.tell(new ValidatorActor.NewMetagraph(FakeLedger.at(served, 20, 0,
                List.of(neuron(0, hotkey.address(), coldkey.address(), STAKE, "", true)))));

        assertEquals(new Transaction.ServeAxon(NETUID, validatorNode.axonChannel()), ledger.nextSubmission().body(),
                "the first thing it does: serve its axon again, as the newest metagraph shows none");
    }
}

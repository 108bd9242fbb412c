package io.cortex.actors.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.fixed.Rao;
import io.cortex.core.identity.Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A subnet actor of a two-subnet plan, with a {@link NeuronDirectory} that reports to a probe: a metagraph
 * published on the ledger's topic goes to each planned validator of its subnet and answers
 * {@code GetMetagraph}; the first tick and every eighth after it keep each planned neuron of its subnet alive.
 * The probe also takes the replies to {@code GetMetagraph}, so a reply marks the end of what the messages
 * before it caused. Each test has a subnet of its own, so its topic is its own.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubnetActorTest {

    @JUnit5TestKit
    final ActorTestKit kit = new JUnit5TestKitBuilder().withName("SubnetActorTest").build();

    final NetworkPlan plan = new NetworkPlan(42, List.of(
            new NetworkPlan.SubnetPlan(1, "compute", "alice", Map.of(), List.of(
                    new NetworkPlan.NeuronPlan("validator-1a", NetworkPlan.Role.VALIDATOR, 0, Rao.tao(1_000)),
                    new NetworkPlan.NeuronPlan("miner-1", NetworkPlan.Role.MINER, 1.0, 0),
                    new NetworkPlan.NeuronPlan("validator-1b", NetworkPlan.Role.VALIDATOR, 0, Rao.tao(2_000)))),
            new NetworkPlan.SubnetPlan(2, "compute", "bob", Map.of(), List.of(
                    new NetworkPlan.NeuronPlan("miner-2a", NetworkPlan.Role.MINER, 1.0, 0),
                    new NetworkPlan.NeuronPlan("validator-2", NetworkPlan.Role.VALIDATOR, 0, Rao.tao(1_000)),
                    new NetworkPlan.NeuronPlan("miner-2b", NetworkPlan.Role.MINER, 0.5, 0)))));

    /** A message the subnet actor had the directory deliver. */
    record Told(NetworkPlan.Role role, int netuid, Address hotkey, Object command) {
    }

    /** Reports every delivery to {@code out}, from the subnet actor's own thread: in the order it made them. */
    record ReportingDirectory(ActorRef<Object> out) implements NeuronDirectory {
        @Override
        public void tellMiner(int netuid, Address hotkey, MinerActor.Command command) {
            out.tell(new Told(NetworkPlan.Role.MINER, netuid, hotkey, command));
        }

        @Override
        public void tellValidator(int netuid, Address hotkey, ValidatorActor.Command command) {
            out.tell(new Told(NetworkPlan.Role.VALIDATOR, netuid, hotkey, command));
        }
    }

    private Told toValidator(int netuid, String name, ValidatorActor.Command command) {
        return new Told(NetworkPlan.Role.VALIDATOR, netuid, plan.hotkey(name).address(), command);
    }

    private Told toMiner(int netuid, String name, MinerActor.Command command) {
        return new Told(NetworkPlan.Role.MINER, netuid, plan.hotkey(name).address(), command);
    }

    /** A ledger that never answers a read: the tests see only what is published. */
    private FakeLedger silentLedger() {
        FakeLedger ledger = new FakeLedger(kit, FakeLedger.subnet(1, false));
        ledger.stopAnsweringReads();
        return ledger;
    }

    private static Metagraph metagraph(int netuid, long block, long epochIndex) {
        return new Metagraph(netuid, block, epochIndex, block, 10, false, 0, 1, FakeLedger.OWNER, 1.0, List.of());
    }

    /** The ledger's topic for a subnet, once the subnet actor's subscription is known to it. */
    private ActorRef<Topic.Command<Metagraph>> ledgerTopic(int netuid) {
        ActorRef<Topic.Command<Metagraph>> topic = kit.spawn(Topic.create(Metagraph.class, LedgerActor.metagraphTopic(netuid)));
        TestProbe<Topic.TopicStats> stats = kit.createTestProbe();
        stats.awaitAssert(() -> {
            topic.tell(Topic.getTopicStats(stats.ref()));
            assertEquals(1, stats.receiveMessage().topicInstanceCount(), "the subnet actor's topic, with its subscriber");
            return null;
        });
        return topic;
    }

    @Test
    void aPublishedMetagraphGoesToEachPlannedValidatorOfTheSubnetAndAnswersGetMetagraph() {
        TestProbe<Object> out = kit.createTestProbe();
        ActorRef<SubnetActor.Command> subnet = kit.spawn(SubnetActor.create(plan, 1, new ReportingDirectory(out.ref()), silentLedger()));
        ActorRef<Topic.Command<Metagraph>> topic = ledgerTopic(1);

        Metagraph first = metagraph(1, 10, 1);
        topic.tell(Topic.publish(first));
        out.expectMessage(toValidator(1, "validator-1a", new ValidatorActor.NewMetagraph(first)));
        out.expectMessage(toValidator(1, "validator-1b", new ValidatorActor.NewMetagraph(first)));
        subnet.tell(new SubnetActor.GetMetagraph(out.ref().narrow()));
        out.expectMessage(first); // and nothing for the miners before it

        Metagraph second = metagraph(1, 20, 2);
        topic.tell(Topic.publish(second));
        out.expectMessage(toValidator(1, "validator-1a", new ValidatorActor.NewMetagraph(second)));
        out.expectMessage(toValidator(1, "validator-1b", new ValidatorActor.NewMetagraph(second)));
        subnet.tell(new SubnetActor.GetMetagraph(out.ref().narrow()));
        out.expectMessage(second);

        kit.stop(subnet);
        kit.stop(topic);
    }

    @Test
    void theFirstTickAndEveryEighthAfterItKeepEachPlannedNeuronOfTheSubnetAlive() {
        TestProbe<Object> out = kit.createTestProbe();
        ActorRef<SubnetActor.Command> subnet = kit.spawn(SubnetActor.create(plan, 2, new ReportingDirectory(out.ref()), silentLedger()));
        ActorRef<Topic.Command<Metagraph>> topic = ledgerTopic(2);
        Metagraph published = metagraph(2, 10, 1);
        topic.tell(Topic.publish(published));
        out.expectMessage(toValidator(2, "validator-2", new ValidatorActor.NewMetagraph(published)));
        List<Told> keepAlives = List.of(
                toMiner(2, "miner-2a", new MinerActor.KeepAlive()),
                toValidator(2, "validator-2", new ValidatorActor.KeepAlive()),
                toMiner(2, "miner-2b", new MinerActor.KeepAlive()));

        subnet.tell(new SubnetActor.Tick(100));
        assertEquals(keepAlives, out.receiveSeveralMessages(3));
        for (long block = 101; block < 100 + SubnetActor.KEEP_ALIVE_EVERY; block++) {
            subnet.tell(new SubnetActor.Tick(block));
        }
        subnet.tell(new SubnetActor.GetMetagraph(out.ref().narrow()));
        out.expectMessage(published); // the seven ticks between kept nothing alive
        subnet.tell(new SubnetActor.Tick(100 + SubnetActor.KEEP_ALIVE_EVERY));
        assertEquals(keepAlives, out.receiveSeveralMessages(3));
        subnet.tell(new SubnetActor.GetMetagraph(out.ref().narrow()));
        out.expectMessage(published);

        kit.stop(subnet);
        kit.stop(topic);
    }

    /** A new incarnation reads the metagraph itself a moment after it starts: what pushes it may have missed. */
    @Test
    void aNewSubnetActorCatchesUpOnTheMetagraphItMayHaveMissed() {
        TestProbe<Object> out = kit.createTestProbe();
        Metagraph current = FakeLedger.at(FakeLedger.subnet(1, false), 50, 4, List.of());
        FakeLedger ledger = new FakeLedger(kit, current);
        ActorRef<SubnetActor.Command> subnet = kit.spawn(SubnetActor.create(plan, 1, new ReportingDirectory(out.ref()), ledger));
        out.expectNoMessage(SubnetActor.CATCH_UP.minusMillis(500)); // nothing pushed, nothing read yet
        Object first = out.receiveMessage(Duration.ofSeconds(5));
        Object second = out.receiveMessage(Duration.ofSeconds(5));
        assertEquals(List.of(toValidator(1, "validator-1a", new ValidatorActor.NewMetagraph(current)),
                toValidator(1, "validator-1b", new ValidatorActor.NewMetagraph(current))), List.of(first, second));
        kit.stop(subnet);
    }
}

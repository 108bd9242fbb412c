package io.cortex.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cortex.actors.neuron.SubnetActor;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.identity.DevKeys;
import io.cortex.protocol.serialization.KryoSerializer;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.sharding.node.CortexNode;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cortex messages cross nodes through Kryo, and nothing falls back to Java serialization: two actor systems
 * in one cluster configuration on loopback ports exchange a message, and both serializers count it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KryoSerializationTest {

    static ActorSystem<Void> a;
    static ActorSystem<Void> b;

    @BeforeAll
    static void start() {
        a = ActorSystem.create(Behaviors.empty(), "cortex", config(TestCluster.freeTcpPort()));
        b = ActorSystem.create(Behaviors.empty(), "cortex", config(TestCluster.freeTcpPort()));
    }

    static Config config(int port) {
        return CortexNode.configuration(ConfigFactory.parseString("""
                pekko.remote.artery.canonical.port = %d
                pekko.cluster.seed-nodes = []
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                """.formatted(port)));
    }

    @AfterAll
    static void stop() {
        for (ActorSystem<Void> s : new ActorSystem[] {a, b}) {
            if (s != null) {
                s.terminate();
                s.getWhenTerminated().toCompletableFuture().join();
            }
        }
    }

    static KryoSerializer kryo(ActorSystem<?> system) {
        return (KryoSerializer) SerializationExtension.get(system).serializerByIdentity().get(KryoSerializer.IDENTIFIER).get();
    }

    /** A ledger-like actor on b that answers a nonce question: the ask and its answer both cross the wire. */
    @Test
    void aMessageToAnotherNodeGoesThroughKryo() throws Exception {
        ActorRef<LedgerActor.Command> onB = b.systemActorOf(Behaviors.receiveMessage(m -> {
            if (m instanceof LedgerActor.GetNonce g) {
                g.replyTo().tell(new LedgerActor.Nonce(42));
            }
            return Behaviors.same();
        }), "nonce-service", org.apache.pekko.actor.typed.Props.empty());
        // a reaches b's actor through its serialized address, as a remote reference
        String path = ActorRefResolver.get(b).toSerializationFormat(onB);
        ActorRef<LedgerActor.Command> remote = ActorRefResolver.get(a).resolveActorRef(path);
        assertTrue(path.contains("127.0.0.1"), path);
        long sentBefore = kryo(a).serializedCount();
        long receivedBefore = kryo(b).deserializedCount();

        LedgerActor.Nonce answer = AskPattern.<LedgerActor.Command, LedgerActor.Nonce>ask(remote,
                        replyTo -> new LedgerActor.GetNonce(DevKeys.coldkey("bob").address(), replyTo),
                        Duration.ofSeconds(10), a.scheduler())
                .toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals(42, answer.next());
        assertTrue(kryo(a).serializedCount() > sentBefore, "a did not serialize the question with Kryo");
        assertTrue(kryo(b).deserializedCount() > receivedBefore, "b did not read the question with Kryo");
        assertTrue(kryo(b).serializedCount() > 0 && kryo(a).deserializedCount() > 0, "the answer did not use Kryo");
    }

    record Plain(String text) implements Serializable {
    }

    @Test
    void javaSerializationIsSwitchedOff() {
        Serialization serialization = SerializationExtension.get(a);
        assertEquals("off", a.settings().config().getString("pekko.actor.allow-java-serialization"));
        assertTrue(serialization.serialize(new Plain("x")).isFailure(), "a plain Serializable must not serialize");
    }

    /** Every kind of message the cluster carries survives a round trip, through the Kryo serializer. */
    @Test
    void everyMessageKindRoundTrips() {
        Serialization serialization = SerializationExtension.get(a);
        var alice = DevKeys.coldkey("alice");
        ActorRef<Receipt> replyTo = a.systemActorOf(Behaviors.ignore(), "receipts", org.apache.pekko.actor.typed.Props.empty());
        SignedTransaction tx = SignedTransaction.sign(alice, 3, new Transaction.SetWeights(1, new int[] {1, 2}, new int[] {7, 9}, 0));
        Metagraph.Neuron neuron = new Metagraph.Neuron(0, alice.address(), alice.address(), 5, "aeron:udp?endpoint=127.0.0.1:1",
                true, 1, 2, 3, 4, 5, 6, 7, true);
        List<Object> messages = List.of(
                new LedgerActor.Submit(tx, replyTo),
                new Receipt.Rejected(new byte[] {1, 2}, RejectReason.WRONG_NONCE, "nonce 3, expected 4"),
                new Metagraph(1, 10, 2, 9, 20, true, 5, 1, alice.address(), 1.5, List.of(neuron, neuron)),
                new LedgerActor.Inspection(10, "ab", List.of("a", "b", "c"), 5, 1),
                new LedgerActor.Inspection(10, "ab", List.of(), 5, 1),
                new SubnetActor.Tick(12));
        for (Object m : messages) {
            assertInstanceOf(KryoSerializer.class, serialization.findSerializerFor(m), m.getClass().getName());
            byte[] bytes = serialization.serialize(m).get();
            Object back = serialization.deserialize(bytes, KryoSerializer.IDENTIFIER, "").get();
            if (m instanceof Receipt.Rejected r) {
                Receipt.Rejected r2 = (Receipt.Rejected) back;
                assertEquals(r.reason(), r2.reason());
                assertEquals(r.detail(), r2.detail());
            } else {
                assertEquals(m, back, m.getClass().getName());
            }
        }
    }

    @Test
    void anUnregisteredMessageFailsLoudly() {
        record Unlisted(int x) implements io.cortex.protocol.message.CortexMessage {
        }
        assertThrows(IllegalArgumentException.class, () -> SerializationExtension.get(a).serialize(new Unlisted(1)).get());
    }
}

package io.cortex.sharding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.cortex.core.identity.DevKeys;
import io.cortex.protocol.serialization.KryoSerializer;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.sharding.node.CortexNode;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * The Kryo id of every class that crosses nodes, as released: a node of the next version must read and write
     * them the same way. Add new classes here; never change a line.
     */
    private static final String RELEASED_IDS = """
            200 io.cortex.actors.neuron.MinerActor$KeepAlive
            201 io.cortex.actors.neuron.SubnetActor$GetMetagraph
            202 io.cortex.actors.neuron.SubnetActor$Tick
            203 io.cortex.actors.neuron.ValidatorActor$KeepAlive
            204 io.cortex.actors.neuron.ValidatorActor$NewMetagraph
            205 io.cortex.ledger.actor.LedgerActor$GetAccount
            206 io.cortex.ledger.actor.LedgerActor$GetEpoch
            207 io.cortex.ledger.actor.LedgerActor$GetMetagraph
            208 io.cortex.ledger.actor.LedgerActor$GetNonce
            209 io.cortex.ledger.actor.LedgerActor$GetStatus
            210 io.cortex.ledger.actor.LedgerActor$GetSubnet
            211 io.cortex.ledger.actor.LedgerActor$GetSubnets
            212 io.cortex.ledger.actor.LedgerActor$Inspect
            213 io.cortex.ledger.actor.LedgerActor$Inspection
            214 io.cortex.ledger.actor.LedgerActor$Nonce
            215 io.cortex.ledger.actor.LedgerActor$Submit
            216 io.cortex.ledger.actor.LedgerViews$Account
            217 io.cortex.ledger.actor.LedgerViews$BlockEvent
            218 io.cortex.ledger.actor.LedgerViews$EpochEvent
            219 io.cortex.ledger.actor.LedgerViews$EpochView
            220 io.cortex.ledger.actor.LedgerViews$Missing
            221 io.cortex.ledger.actor.LedgerViews$StakePosition
            222 io.cortex.ledger.actor.LedgerViews$Status
            223 io.cortex.ledger.actor.LedgerViews$SubnetDetail
            224 io.cortex.ledger.actor.LedgerViews$SubnetList
            225 io.cortex.ledger.actor.LedgerViews$SubnetSummary
            226 io.cortex.ledger.state.Metagraph
            227 io.cortex.ledger.state.Metagraph$Neuron
            228 io.cortex.ledger.tx.Receipt$Accepted
            229 io.cortex.ledger.tx.Receipt$Rejected
            230 io.cortex.ledger.tx.RejectReason
            231 io.cortex.ledger.tx.SignedTransaction
            232 io.cortex.ledger.tx.Transaction$AddStake
            233 io.cortex.ledger.tx.Transaction$CommitWeights
            234 io.cortex.ledger.tx.Transaction$CreateSubnet
            235 io.cortex.ledger.tx.Transaction$PaySubnet
            236 io.cortex.ledger.tx.Transaction$RegisterNeuron
            237 io.cortex.ledger.tx.Transaction$RemoveStake
            238 io.cortex.ledger.tx.Transaction$RevealWeights
            239 io.cortex.ledger.tx.Transaction$ServeAxon
            240 io.cortex.ledger.tx.Transaction$SetHyperparameter
            241 io.cortex.ledger.tx.Transaction$SetValidatorTake
            242 io.cortex.ledger.tx.Transaction$SetWeights
            243 io.cortex.ledger.tx.Transaction$StartSubnet
            244 io.cortex.ledger.tx.Transaction$Transfer
            245 io.cortex.ledger.actor.LedgerActor$GetMetagraphPage
            246 io.cortex.ledger.actor.LedgerViews$MetagraphPage
            247 io.cortex.ledger.actor.LedgerViews$Overtaken
            500 io.cortex.sharding.ops.MinerStatsService$Ask
            501 io.cortex.sharding.ops.MinerStats$Report
            """;

    @Test
    void kryoIdsNeverChange() {
        Map<Integer, Class<?>> registered = KryoSerializer.registeredClasses();
        Map<Integer, String> now = new TreeMap<>();
        registered.forEach((id, c) -> now.put(id, c.getName()));
        Map<Integer, String> released = new TreeMap<>();
        RELEASED_IDS.lines().map(String::trim).filter(l -> !l.isEmpty())
                .forEach(l -> released.put(Integer.parseInt(l.substring(0, l.indexOf(' '))), l.substring(l.indexOf(' ') + 1)));
        released.forEach((id, name) -> assertEquals(name, now.get(id), "Kryo id " + id + " changed"));
        now.forEach((id, name) -> assertTrue(released.containsKey(id),
                "a new class crosses nodes: add \"" + id + " " + name + "\" to RELEASED_IDS"));
    }

    /**
     * Every class a registrar lists crosses nodes: an instance of each (records built from sample values of
     * their components) serializes, deserializes, and serializes again to the same bytes.
     */
    @Test
    void everyRegisteredClassRoundTrips() throws Exception {
        KryoSerializer serializer = kryo(a); // directly: some classes travel only inside messages
        ActorRef<Object> ref = a.systemActorOf(Behaviors.ignore(), "any-ref", org.apache.pekko.actor.typed.Props.empty());
        int checked = 0;
        for (Class<?> c : KryoSerializer.registeredClasses().values()) {
            Object sample = sample(c, ref, 0);
            if (sample == null) {
                System.out.println("no sample of " + c.getName());
                continue; // its constructor refused the sample values
            }
            byte[] bytes = serializer.toBinary(sample);
            Object back = serializer.fromBinary(bytes);
            assertEquals(c, back.getClass(), c.getName());
            assertArrayEquals(bytes, serializer.toBinary(back), c.getName() + " round-trips");
            checked++;
        }
        assertTrue(checked >= 40, "classes round-tripped: " + checked);
    }

    /** A sample value of a type: records from samples of their components, the first constant of an enum. */
    private static Object sample(Class<?> type, ActorRef<Object> ref, int depth) throws Exception {
        if (type == int.class || type == Integer.class) {
            return 7;
        } else if (type == long.class || type == Long.class) {
            return 11L;
        } else if (type == double.class || type == Double.class) {
            return 0.5;
        } else if (type == boolean.class || type == Boolean.class) {
            return true;
        } else if (type == char.class) {
            return 'c';
        } else if (type == String.class) {
            return "text";
        } else if (type == io.cortex.core.identity.Address.class) {
            return DevKeys.coldkey("alice").address();
        } else if (type == io.cortex.core.identity.Address[].class) {
            return new io.cortex.core.identity.Address[] {DevKeys.coldkey("alice").address(), DevKeys.coldkey("bob").address()};
        } else if (type == byte[].class) {
            return new byte[] {1, 2, 3};
        } else if (type == int[].class) {
            return new int[] {1, 2};
        } else if (type == long[].class) {
            return new long[] {3, 4};
        } else if (type == double[].class) {
            return new double[] {0.25};
        } else if (type == boolean[].class) {
            return new boolean[] {true};
        } else if (type == List.class) {
            return List.of();
        } else if (type == Map.class) {
            return Map.of();
        } else if (ActorRef.class.isAssignableFrom(type)) {
            return ref;
        } else if (type.isEnum()) {
            return type.getEnumConstants()[0];
        } else if (type.isRecord() && depth < 4) {
            var components = type.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = sample(types[i], ref, depth + 1);
            }
            var constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            try {
                return constructor.newInstance(values);
            } catch (java.lang.reflect.InvocationTargetException refused) {
                return null; // the record refuses the sample values (a validating constructor)
            }
        } else if (type.isInterface() && type.isSealed() && depth < 4) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                Object value = sample(permitted, ref, depth + 1);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
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
        record Unlisted(int x) implements io.cortex.core.message.CortexMessage {
        }
        assertThrows(IllegalArgumentException.class, () -> SerializationExtension.get(a).serialize(new Unlisted(1)).get());
    }
}

package io.cortex.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import io.cortex.core.identity.Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;

/**
 * The Pekko serializer for everything that crosses nodes ({@code CortexMessage}): Kryo 5 with registration
 * required, so an unlisted class fails loudly instead of silently falling back; Kryo instances come from
 * a pool because Kryo is not thread-safe. Typed actor references travel as their serialization format,
 * addresses as their 32 bytes, immutable lists as lists.
 */
public final class KryoSerializer extends JSerializer {
    /** The serializer id in {@code pekko.actor.serialization-identifiers}; never reuse another's. */
    public static final int IDENTIFIER = 7_331_001;
    /** Ids below this are the serializer's own building blocks (addresses, references, lists, arrays). */
    public static final int FIRST_MESSAGE_ID = 200;

    private final ExtendedActorSystem system;
    private final Pool<Kryo> pool;
    private final AtomicLong serialized = new AtomicLong();
    private final AtomicLong deserialized = new AtomicLong();

    public KryoSerializer(ExtendedActorSystem system) {
        this.system = system;
        Map<Integer, Class<?>> classes = registeredClasses();
        this.pool = new Pool<>(true, false, 64) {
            @Override
            protected Kryo create() {
                return newKryo(classes);
            }
        };
    }

    /**
     * Every class the registrars on the class path list, by its Kryo id. Two registrars claiming one id, one
     * class under two ids, or an id below {@link #FIRST_MESSAGE_ID} stop the node at start.
     */
    public static Map<Integer, Class<?>> registeredClasses() {
        TreeMap<Integer, Class<?>> byId = new TreeMap<>();
        Map<Class<?>, Integer> idOf = new HashMap<>();
        for (KryoRegistrar registrar : ServiceLoader.load(KryoRegistrar.class)) {
            registrar.classes().forEach((id, c) -> {
                if (id < FIRST_MESSAGE_ID) {
                    throw new IllegalStateException(registrar.getClass().getName() + " gives " + c.getName() + " the Kryo id "
                            + id + ", below " + FIRST_MESSAGE_ID + " (the serializer's own)");
                }
                Class<?> taken = byId.putIfAbsent(id, c);
                if (taken != null && taken != c) {
                    throw new IllegalStateException("Kryo id " + id + " is claimed by " + taken.getName() + " and " + c.getName());
                }
                Integer other = idOf.putIfAbsent(c, id);
                if (other != null && other.intValue() != id) {
                    throw new IllegalStateException(c.getName() + " has two Kryo ids, " + other + " and " + id);
                }
            });
        }
        return byId;
    }

    private Kryo newKryo(Map<Integer, Class<?>> classes) {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        // fixed ids for the building blocks, then the message classes at the ids their registrars give
        int id = 100;
        kryo.register(Address.class, new AddressSerializer(), id++);
        ActorRefSerializer refs = new ActorRefSerializer(ActorRefResolver.get(Adapter.toTyped(system)));
        kryo.addDefaultSerializer(ActorRef.class, refs);
        for (String name : List.of("org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter",
                "org.apache.pekko.cluster.sharding.typed.internal.EntityRefImpl")) {
            try {
                kryo.register(Class.forName(name), refs, id++);
            } catch (ClassNotFoundException e) {
                id++; // keep ids aligned when an optional module is absent
            }
        }
        ImmutableListSerializer lists = new ImmutableListSerializer();
        kryo.register(List.of().getClass(), lists, id++);
        kryo.register(List.of(1).getClass(), lists, id++);
        kryo.register(List.of(1, 2, 3).getClass(), lists, id++);
        kryo.register(ArrayList.class, id++);
        for (Class<?> c : List.of(byte[].class, int[].class, long[].class, double[].class, boolean[].class, char[].class,
                String[].class, Address[].class, Object[].class)) {
            kryo.register(c, id++);
        }
        classes.forEach((messageId, c) -> kryo.register(c, messageId));
        return kryo;
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object o) {
        Kryo kryo = pool.obtain();
        try (Output out = new Output(256, -1)) {
            kryo.writeClassAndObject(out, o);
            serialized.incrementAndGet();
            return out.toBytes();
        } finally {
            pool.free(kryo);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        Kryo kryo = pool.obtain();
        try (Input in = new Input(bytes)) {
            Object o = kryo.readClassAndObject(in);
            deserialized.incrementAndGet();
            return o;
        } finally {
            pool.free(kryo);
        }
    }

    /** Messages this serializer wrote: tests use it to see a cross-node message went through Kryo. */
    public long serializedCount() {
        return serialized.get();
    }

    public long deserializedCount() {
        return deserialized.get();
    }

    private static final class AddressSerializer extends Serializer<Address> {
        AddressSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, Address address) {
            output.writeBytes(address.bytes());
        }

        @Override
        public Address read(Kryo kryo, Input input, Class<? extends Address> type) {
            return Address.of(input.readBytes(Address.LENGTH));
        }
    }

    private static final class ActorRefSerializer extends Serializer<ActorRef<?>> {
        private final ActorRefResolver resolver;

        ActorRefSerializer(ActorRefResolver resolver) {
            this.resolver = resolver;
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, ActorRef<?> ref) {
            output.writeString(resolver.toSerializationFormat(ref));
        }

        @Override
        public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
            return resolver.resolveActorRef(input.readString());
        }
    }

    private static final class ImmutableListSerializer extends Serializer<List<?>> {
        ImmutableListSerializer() {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, List<?> list) {
            output.writeVarInt(list.size(), true);
            for (Object o : list) {
                kryo.writeClassAndObject(output, o);
            }
        }

        @Override
        public List<?> read(Kryo kryo, Input input, Class<? extends List<?>> type) {
            int n = input.readVarInt(true);
            Object[] items = new Object[n];
            for (int i = 0; i < n; i++) {
                items[i] = kryo.readClassAndObject(input);
            }
            return List.of(items);
        }
    }

}

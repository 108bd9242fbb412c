package io.cortex.protocol.serialization;

import java.util.List;

/**
 * Lists the classes a module sends between nodes. Found with {@link java.util.ServiceLoader}; every node
 * has the same modules, and the classes of all registrars are registered sorted by name, so a class gets
 * the same Kryo id on every node.
 */
public interface KryoRegistrar {
    List<Class<?>> classes();
}

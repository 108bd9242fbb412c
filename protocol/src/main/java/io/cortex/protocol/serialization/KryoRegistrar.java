package io.cortex.protocol.serialization;

import java.util.Map;

/**
 * Lists the classes a module sends between nodes, each with its Kryo id. Found with
 * {@link java.util.ServiceLoader}. The ids are written in the source and never change, so a node of the
 * next version, which sends a new class, still reads and writes every other class as this one does
 * (`KryoSerializationTest` fails when an id changes). Ids 200 to 244 were given before; a module's new
 * classes take ids from its own range: the ledger 300 to 399, the actors 400 to 499, the node (sharding)
 * 500 to 599. A record is written by position, with no schema: a class that gains a component is read
 * only by nodes of the same version (the whole cluster restarts together to take it).
 */
public interface KryoRegistrar {
    /** This module's classes by Kryo id, each at least {@link KryoSerializer#FIRST_MESSAGE_ID}. */
    Map<Integer, Class<?>> classes();
}

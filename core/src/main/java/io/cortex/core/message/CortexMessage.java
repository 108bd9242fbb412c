package io.cortex.core.message;

/**
 * Marks every message that may cross nodes: Pekko serializes these with Kryo ({@code KryoSerializer}),
 * never with Java serialization (switched off). A message class must also be listed by a
 * {@code KryoRegistrar} (in cortex-protocol): unregistered classes are refused.
 */
public interface CortexMessage {
}

/**
 * Wire formats (ARCHITECTURE.md sections 1 and 5): the Aeron query transport ({@code aeron}: {@code Axon},
 * {@code Dendrite}, the frame flyweights and one inbound frame path), the Kryo serializer Pekko uses for
 * cluster messages ({@code serialization}), TLS files for the gRPC API ({@code tls}), and the {@code .proto}
 * files of the public gRPC API. Identities are the core module's ({@code io.cortex.core.identity}).
 */
package io.cortex.protocol;

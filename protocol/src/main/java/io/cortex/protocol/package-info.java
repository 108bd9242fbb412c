/**
 * Wire formats and identities (ARCHITECTURE.md section 1 and 5).
 *
 * <p>Here now: {@code identity} — Ed25519 key pairs over the JDK provider, addresses with a checksum,
 * wallet files, dev keys. Still to come: Java records for every message that crosses a node, the Aeron
 * request/response frame codec as Agrona flyweights, the {@code Axon} and {@code Dendrite} Aeron
 * transport, the Kryo serializer Pekko uses for cluster messages, and the {@code .proto} files of the
 * public gRPC API.
 */
package io.cortex.protocol;

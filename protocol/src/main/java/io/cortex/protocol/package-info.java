/**
 * Wire formats and identities (ARCHITECTURE.md section 1 and 5). Nothing lives here yet.
 *
 * <p>What will: Java records for every message that crosses a node, grouped as sealed interfaces per
 * protocol; the Aeron request/response frame codec as Agrona flyweights; the {@code Axon} (inbound) and
 * {@code Dendrite} (outbound) Aeron transport; Ed25519 hotkey/coldkey identities and signatures over the
 * JDK provider; the Kryo serializer Pekko uses for cluster messages; and the {@code .proto} files of the
 * public gRPC API ({@code Ledger}, {@code Network}).
 */
package io.cortex.protocol;

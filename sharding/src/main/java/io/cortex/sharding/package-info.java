/**
 * Cluster wiring (ARCHITECTURE.md section 2 and 3). Nothing lives here yet.
 *
 * <p>What will: the entity type keys and message extractors of Subnet ({@code netuid}), Miner and
 * Validator ({@code netuid/hotkey}); a shard allocation strategy that spreads each subnet's neurons
 * evenly over the nodes; the {@code LedgerActor} cluster singleton and its proxy; the split-brain
 * resolver settings and cluster bootstrap.
 */
package io.cortex.sharding;

/**
 * Cluster wiring (ARCHITECTURE.md sections 2 and 3): how the neurons, the ledger and the query transport
 * become one network across nodes.
 *
 * <ul>
 *   <li>{@code node}: {@code CortexNode}, one node (actor system, Aeron transport, entity types, ledger
 *   singleton and proxy) and {@code NodeSettings}, its checked configuration;</li>
 *   <li>{@code neurons}: the Subnet, Miner and Validator entity types and {@code SpreadBySubnet}, the
 *   allocation strategy that spreads each subnet's neurons (in 16 shards a subnet) evenly over the nodes;</li>
 *   <li>{@code ledger}: the neurons' client of the ledger singleton, each node's copy of the subnets' latest
 *   metagraphs ({@code NodeMetagraphs}) and the genesis of a network plan.</li>
 * </ul>
 * The Pekko settings of a node (cluster provider, Artery on loopback, split-brain resolver) are in
 * {@code cortex-node.conf}; the Cortex ones, with their defaults, in {@code reference.conf}.
 */
package io.cortex.sharding;

/**
 * Subnets: each one competition (ARCHITECTURE.md section 1 and 8). Nothing lives here yet.
 *
 * <p>What will: the {@code SubnetMechanism} SPI (task generator, miner model, scorer, baseline miner),
 * discovered with {@link java.util.ServiceLoader}; the built-in subnets ({@code compute},
 * {@code price-forecast}, {@code text-predict}), each with a baseline miner to beat; and the adversarial
 * strategies the simulator measures (weight copier, lazy or copycat miner, sybil swarm, cabal).
 */
package io.cortex.subnets;

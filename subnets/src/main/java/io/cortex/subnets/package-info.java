/**
 * Subnets: each one competition (ARCHITECTURE.md section 1 and 8). {@link io.cortex.subnets.SubnetMechanism}
 * is the SPI (task generator, miner model, scorer, baseline miner), discovered with
 * {@link java.util.ServiceLoader}; {@code compute} is the built-in subnet whose answers are checked exactly.
 * Still to come: {@code price-forecast}, {@code text-predict} and the adversarial strategies the simulator
 * measures.
 */
package io.cortex.subnets;

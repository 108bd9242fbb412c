/**
 * Subnets: each one competition (ARCHITECTURE.md section 1 and 8). {@link io.cortex.subnets.SubnetMechanism}
 * is the SPI (task generator, miner model, scorer, baseline miner), discovered with
 * {@link java.util.ServiceLoader}; the built-in ones are {@code compute}, {@code text-predict} and
 * {@code price-forecast}. {@link io.cortex.subnets.validator.ValidatorCycle} is the one validator cycle every
 * validator runs, live or simulated; {@code adversary} holds the lazy miners the simulator measures.
 */
package io.cortex.subnets;

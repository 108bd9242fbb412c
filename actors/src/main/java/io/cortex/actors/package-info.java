/**
 * The neuron actors (ARCHITECTURE.md section 3 and 4). Nothing lives here yet.
 *
 * <p>What will: {@code MinerActor} (registers, serves its axon, answers queries with its model),
 * {@code ValidatorActor} (rounds: pick miners, query them over Aeron with a deadline, score, keep moving
 * average scores, commit and reveal weights within the rate limit) and {@code SubnetActor} (round
 * schedule, metagraph cache). They call the subnet SPI and the Aeron transport of {@code protocol}.
 */
package io.cortex.actors;

/**
 * The neuron actors (ARCHITECTURE.md section 3 and 4): {@link io.cortex.actors.neuron.MinerActor},
 * {@link io.cortex.actors.neuron.ValidatorActor} and {@link io.cortex.actors.neuron.SubnetActor}, created
 * from a {@link io.cortex.actors.plan.NetworkPlan}. They call the subnet SPI and the Aeron transport; the
 * cluster reaches them through sharding ({@code io.cortex.sharding}), which they do not know.
 */
package io.cortex.actors;

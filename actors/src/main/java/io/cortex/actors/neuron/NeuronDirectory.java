package io.cortex.actors.neuron;

import io.cortex.core.identity.Address;

/** How a subnet actor reaches its neurons wherever sharding placed them (and starts them when it must). */
public interface NeuronDirectory {
    void tellMiner(int netuid, Address hotkey, MinerActor.Command command);

    void tellValidator(int netuid, Address hotkey, ValidatorActor.Command command);
}

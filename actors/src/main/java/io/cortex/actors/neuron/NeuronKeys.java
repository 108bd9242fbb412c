package io.cortex.actors.neuron;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.core.identity.Keypair;

/**
 * Who a neuron is: the subnet it is registered on, the hotkey it answers and sets weights with, and the
 * coldkey that owns it (registers it and stakes). The miner and the validator entities both start from it.
 */
public record NeuronKeys(int netuid, Keypair hotkey, Keypair coldkey) {

    /** The keys the network plan gives the neuron placed there (every node derives the same ones). */
    static NeuronKeys of(NetworkPlan plan, NetworkPlan.Placement placement) {
        String name = placement.neuron().name();
        return new NeuronKeys(placement.subnet().netuid(), plan.hotkey(name), plan.coldkey(name));
    }

    /** What every log line of the neuron carries (fields of a JSON line with {@code --log-format json}). */
    java.util.Map<String, String> mdc() {
        return java.util.Map.of("netuid", Integer.toString(netuid), "hotkey", hotkey.address().toString());
    }
}

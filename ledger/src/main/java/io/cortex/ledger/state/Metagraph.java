package io.cortex.ledger.state;

import io.cortex.protocol.identity.Address;
import io.cortex.protocol.message.CortexMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * What neurons and users see of a subnet (Bittensor's metagraph): per uid its hotkey, owner, stake, served
 * axon, permit and last epoch's outputs, plus the clock and the weight rules validators follow. Published
 * after every epoch; immutable.
 */
public record Metagraph(int netuid, long block, long epochIndex, long lastEpochBlock, int tempo, boolean commitReveal,
                        long weightsRateLimit, long revealPeriod, Address ownerHotkey, double price,
                        List<Neuron> neurons) implements CortexMessage {

    /** One uid of the metagraph. */
    public record Neuron(int uid, Address hotkey, Address coldkey, long stake, String axon, boolean validatorPermit,
                         int incentive, int dividends, int consensus, int validatorTrust, long emission, long lastUpdate,
                         long registeredAt, boolean active) implements CortexMessage {
    }

    public Metagraph {
        neurons = List.copyOf(neurons);
    }

    /** The metagraph of a subnet in the given state. */
    public static Metagraph of(LedgerState state, int netuid) {
        Subnet s = state.subnet(netuid);
        if (s == null) {
            throw new IllegalArgumentException("no subnet " + netuid);
        }
        List<Neuron> neurons = new ArrayList<>(s.size());
        for (int uid = 0; uid < s.size(); uid++) {
            Address hotkey = s.hotkey(uid);
            neurons.add(new Neuron(uid, hotkey, state.ownerOf(hotkey), s.stakeOf(hotkey), s.axon(uid), s.validatorPermit(uid),
                    s.incentive(uid), s.dividends(uid), s.consensus(uid), s.validatorTrust(uid), s.emission(uid),
                    s.lastUpdate(uid), s.registeredAt(uid), s.active(uid)));
        }
        SubnetHyperparameters h = s.hyperparameters();
        return new Metagraph(netuid, state.height(), s.epochIndex(), s.lastEpochBlock(), h.tempo(), h.commitReveal(),
                h.get("weights_rate_limit"), h.get("reveal_period"), s.ownerHotkey(), s.price(), neurons);
    }

    /** The uid of a hotkey, or -1. */
    public int uidOf(Address hotkey) {
        for (Neuron n : neurons) {
            if (n.hotkey().equals(hotkey)) {
                return n.uid();
            }
        }
        return -1;
    }

    public Neuron neuron(Address hotkey) {
        int uid = uidOf(hotkey);
        return uid < 0 ? null : neurons.get(uid);
    }
}

package io.cortex.actors.plan;

import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.fixed.Rao;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a network is made of, identical on every node: its subnets (netuids 1, 2, ... in order), each with an
 * owner, a mechanism, hyper-parameter overrides and its neurons — miners of a given quality, validators
 * with a stake. Every key derives from the plan's seed and a name, so each node can act for any neuron that
 * sharding places on it (a local testnet's dev keys; a real miner keeps its own). Owners named after a dev
 * account (alice ... ferdie) use its dev coldkey, so the CLI can act for them.
 */
public final class NetworkPlan {

    public enum Role { MINER, VALIDATOR }

    /** One neuron: a name its keys derive from, its role, a miner's quality, a validator's stake (rao). */
    public record NeuronPlan(String name, Role role, double quality, long stake) {
    }

    /** One subnet: netuid, mechanism name, owner name, hyper-parameter overrides, neurons. */
    public record SubnetPlan(int netuid, String mechanism, String owner, Map<String, Long> hyperparameters,
                             List<NeuronPlan> neurons) {
        public SubnetPlan {
            hyperparameters = Map.copyOf(hyperparameters);
            neurons = List.copyOf(neurons);
        }
    }

    private final long seed;
    private final List<SubnetPlan> subnets;
    private final Map<String, Keypair> keys = new ConcurrentHashMap<>();
    private final Map<Address, Placement> index = new HashMap<>();

    public NetworkPlan(long seed, List<SubnetPlan> subnets) {
        this.seed = seed;
        this.subnets = List.copyOf(subnets);
        for (int i = 0; i < this.subnets.size(); i++) {
            if (this.subnets.get(i).netuid() != i + 1) {
                throw new IllegalArgumentException("subnets must be netuids 1, 2, ... in order");
            }
        }
        for (SubnetPlan s : this.subnets) {
            for (NeuronPlan n : s.neurons()) {
                index.put(hotkey(n.name()).address(), new Placement(s, n));
            }
        }
    }

    public long seed() {
        return seed;
    }

    public List<SubnetPlan> subnets() {
        return subnets;
    }

    /** A neuron's place in the plan. */
    public record Placement(SubnetPlan subnet, NeuronPlan neuron) {
    }

    /** A coldkey by name: the dev key for the dev names (alice ... ferdie), else one derived from the seed. */
    public Keypair coldkey(String name) {
        return keys.computeIfAbsent("coldkey/" + name, k -> DevKeys.NAMES.contains(name) ? DevKeys.coldkey(name)
                : Keypair.fromSeed(seed("coldkey", name)));
    }

    public Keypair hotkey(String name) {
        return keys.computeIfAbsent("hotkey/" + name, k -> Keypair.fromSeed(seed("hotkey", name)));
    }

    /** The owner's hotkey of a subnet: it holds uid 0. */
    public Keypair ownerHotkey(SubnetPlan subnet) {
        return hotkey(subnet.owner() + "/owner/" + subnet.netuid());
    }

    public SubnetPlan subnet(int netuid) {
        if (netuid < 1 || netuid > subnets.size()) {
            throw new IllegalArgumentException("no subnet " + netuid + " in the plan");
        }
        return subnets.get(netuid - 1);
    }

    /** Where a hotkey sits in the plan (null when it is not a planned neuron). */
    public Placement placement(Address hotkey) {
        return index.get(hotkey);
    }

    /** The key pair of a planned hotkey. */
    public Keypair keysOf(Address hotkey) {
        Placement p = placement(hotkey);
        if (p == null) {
            throw new IllegalArgumentException(hotkey + " is not a neuron of this network");
        }
        return hotkey(p.neuron().name());
    }

    /** Genesis balances: owners get 100 000 TAO, each neuron's coldkey its stake plus 1 000 TAO. */
    public Map<Address, Long> genesisBalances() {
        Map<Address, Long> balances = new TreeMap<>();
        for (SubnetPlan s : subnets) {
            balances.merge(coldkey(s.owner()).address(), Rao.tao(100_000), Long::sum);
            for (NeuronPlan n : s.neurons()) {
                balances.merge(coldkey(n.name()).address(), n.stake() + Rao.tao(1_000), Long::sum);
            }
        }
        return balances;
    }

    private byte[] seed(String kind, String name) {
        return Canonical.hashing().tag("cortex-plan/1").i64(seed).string(kind).string(name).digest();
    }
}

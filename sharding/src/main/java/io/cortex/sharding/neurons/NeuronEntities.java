package io.cortex.sharding.neurons;

import io.cortex.actors.neuron.LedgerGateway;
import io.cortex.actors.neuron.MinerActor;
import io.cortex.actors.neuron.NeuronDirectory;
import io.cortex.actors.neuron.NeuronEntity;
import io.cortex.actors.neuron.SubnetActor;
import io.cortex.actors.neuron.ValidatorActor;
import io.cortex.actors.plan.NetworkPlan;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.core.identity.Address;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Where the node puts the three sharded entity types of ARCHITECTURE.md section 3, each declared beside its
 * actor ({@link SubnetActor#entity}, {@link MinerActor#entity}, {@link ValidatorActor#entity}): a subnet's neurons in
 * sixteen shards, placed by {@link SpreadBySubnet}. Entities are never passivated: the subnet actor keeps
 * them alive, so after a node is lost they start again on the survivors within a keep-alive period.
 */
public final class NeuronEntities implements NeuronDirectory {

    /** The three entity types. */
    public static final List<EntityTypeKey<?>> TYPE_KEYS = List.of(SubnetActor.TYPE_KEY, MinerActor.TYPE_KEY,
            ValidatorActor.TYPE_KEY);
    /** The names of the three entity types. */
    public static final List<String> TYPES = TYPE_KEYS.stream().map(EntityTypeKey::name).toList();

    private final ClusterSharding sharding;

    private NeuronEntities(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    /** Starts the three entity types on this node; every node of the cluster does the same. */
    public static NeuronEntities start(ActorSystem<?> system, NetworkPlan plan, QueryTransport transport,
                                       LedgerGateway ledger, ValidatorActor.Settings validatorSettings) {
        ClusterSharding sharding = ClusterSharding.get(system);
        NeuronEntities directory = new NeuronEntities(sharding);
        sharding.init(placed(SubnetActor.entity(plan, directory, ledger), Map.of()));
        sharding.init(placed(MinerActor.entity(plan, transport, ledger), shards(plan, NetworkPlan.Role.MINER)));
        sharding.init(placed(ValidatorActor.entity(plan, transport, ledger, validatorSettings),
                shards(plan, NetworkPlan.Role.VALIDATOR)));
        return directory;
    }

    /** A subnet's neurons in {@link #SHARDS_PER_SUBNET} shards, spread by subnet. */
    private static <M> Entity<M, ShardingEnvelope<M>> placed(Entity<M, ShardingEnvelope<M>> entity,
                                                             Map<String, String> shards) {
        return entity.withMessageExtractor(new SubnetShards<M>(shards)).withAllocationStrategy(new SpreadBySubnet());
    }

    /**
     * The shard of each planned neuron of a role: a subnet's i-th one in shard {@code netuid/(i mod 16)}, so the
     * shards of a subnet hold as many neurons each, give or take one, and every node computes the same.
     */
    static Map<String, String> shards(NetworkPlan plan, NetworkPlan.Role role) {
        Map<String, String> shards = new HashMap<>();
        for (NetworkPlan.SubnetPlan subnet : plan.subnets()) {
            int i = 0;
            for (NetworkPlan.NeuronPlan n : subnet.neurons()) {
                if (n.role() == role) {
                    shards.put(NeuronEntity.id(subnet.netuid(), plan.hotkey(n.name()).address()),
                            subnet.netuid() + "/" + (i++ % SHARDS_PER_SUBNET));
                }
            }
        }
        return shards;
    }

    @Override
    public void tellMiner(int netuid, Address hotkey, MinerActor.Command command) {
        sharding.entityRefFor(MinerActor.TYPE_KEY, NeuronEntity.id(netuid, hotkey)).tell(command);
    }

    @Override
    public void tellValidator(int netuid, Address hotkey, ValidatorActor.Command command) {
        sharding.entityRefFor(ValidatorActor.TYPE_KEY, NeuronEntity.id(netuid, hotkey)).tell(command);
    }

    /** Tells a subnet actor, starting it where sharding places it if it is not running. */
    public static void tellSubnet(ActorSystem<?> system, int netuid, SubnetActor.Command command) {
        ClusterSharding.get(system).entityRefFor(SubnetActor.TYPE_KEY, Integer.toString(netuid)).tell(command);
    }

    /**
     * Shards a subnet's neurons fall into, by their hotkey's hash. Pekko keeps the coordinator's state (where each
     * shard lives) as one replicated value rewritten whole on every allocation, so a shard per neuron made 16,384
     * neurons (64 subnets of 256) 16,384 rewrites of a state that grew to 16,384 entries: five nodes on two cores
     * registered 5,900 of them in 11 minutes (BENCHMARKS.md, live). Sixteen a subnet keep the state to 16 entries
     * a subnet, and a subnet of 16 neurons or fewer a neuron a shard, so its neurons spread and move one at a time.
     */
    static final int SHARDS_PER_SUBNET = 16;

    /** A planned neuron's shard as {@link #shards} gives it; a subnet actor's, its netuid. */
    static final class SubnetShards<M> extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {
        private final Map<String, String> planned;

        SubnetShards(Map<String, String> planned) {
            this.planned = Map.copyOf(planned);
        }

        @Override
        public String entityId(ShardingEnvelope<M> envelope) {
            return envelope.entityId();
        }

        @Override
        public String shardId(String entityId) {
            String shard = planned.get(entityId);
            return shard != null ? shard : shardOf(entityId);
        }

        @Override
        public M unwrapMessage(ShardingEnvelope<M> envelope) {
            return envelope.message();
        }
    }

    /**
     * The shard of an entity id the plan does not hold: {@code netuid/hotkey} to {@code netuid/k} by the hotkey's
     * hash; any other id is its own shard.
     */
    static String shardOf(String entityId) {
        int slash = entityId.indexOf('/');
        if (slash < 0) {
            return entityId;
        }
        // String.hashCode is specified, so every node of the cluster computes the same shard
        return entityId.substring(0, slash) + "/" + Math.floorMod(entityId.substring(slash + 1).hashCode(), SHARDS_PER_SUBNET);
    }
}

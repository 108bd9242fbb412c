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
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Where the node puts the three sharded entity types of ARCHITECTURE.md section 3, each declared beside its
 * actor ({@link SubnetActor#entity}, {@link MinerActor#entity}, {@link ValidatorActor#entity}): every entity a
 * shard of its own, placed by {@link SpreadBySubnet}. Entities are never passivated: the subnet actor keeps
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
        sharding.init(placed(SubnetActor.entity(plan, directory, ledger)));
        sharding.init(placed(MinerActor.entity(plan, transport, ledger)));
        sharding.init(placed(ValidatorActor.entity(plan, transport, ledger, validatorSettings)));
        return directory;
    }

    /** Each entity its own shard, spread by subnet. */
    private static <M> Entity<M, ShardingEnvelope<M>> placed(Entity<M, ShardingEnvelope<M>> entity) {
        return entity.withMessageExtractor(new OwnShard<>()).withAllocationStrategy(new SpreadBySubnet());
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

    /** Each entity is its own shard, so the allocation strategy sees (and spreads) individual neurons. */
    static final class OwnShard<M> extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {
        @Override
        public String entityId(ShardingEnvelope<M> envelope) {
            return envelope.entityId();
        }

        @Override
        public String shardId(String entityId) {
            return entityId;
        }

        @Override
        public M unwrapMessage(ShardingEnvelope<M> envelope) {
            return envelope.message();
        }
    }
}

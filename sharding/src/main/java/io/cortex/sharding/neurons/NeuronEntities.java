package io.cortex.sharding.neurons;

import io.cortex.actors.neuron.LedgerGateway;
import io.cortex.actors.neuron.MinerActor;
import io.cortex.actors.neuron.NeuronDirectory;
import io.cortex.actors.neuron.SubnetActor;
import io.cortex.actors.neuron.ValidatorActor;
import io.cortex.actors.plan.NetworkPlan;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.identity.Address;
import io.cortex.protocol.identity.Keypair;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Duration;

/**
 * The three sharded entity types of ARCHITECTURE.md section 3: {@code Subnet} (id {@code netuid}),
 * {@code Miner} and {@code Validator} (id {@code netuid/hotkey}). Every entity is a shard of its own, placed
 * by {@link SpreadBySubnet}; an entity's keys, role and model come from the network plan, which every node
 * holds. Entities restart after a failure with a back-off, and are never passivated: the subnet actor keeps
 * them alive, so after a node is lost they start again on the survivors within a keep-alive period.
 */
public final class NeuronEntities implements NeuronDirectory {

    public static final EntityTypeKey<SubnetActor.Command> SUBNET = EntityTypeKey.create(SubnetActor.Command.class, "Subnet");
    public static final EntityTypeKey<MinerActor.Command> MINER = EntityTypeKey.create(MinerActor.Command.class, "Miner");
    public static final EntityTypeKey<ValidatorActor.Command> VALIDATOR =
            EntityTypeKey.create(ValidatorActor.Command.class, "Validator");

    /** The three entity types. */
    public static final java.util.List<EntityTypeKey<?>> TYPE_KEYS = java.util.List.of(SUBNET, MINER, VALIDATOR);
    /** The names of the three entity types. */
    public static final java.util.List<String> TYPES = java.util.List.of(SUBNET.name(), MINER.name(), VALIDATOR.name());

    private final ClusterSharding sharding;

    private NeuronEntities(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    public static String entityId(int netuid, Address hotkey) {
        return netuid + "/" + hotkey;
    }

    /** Starts the three entity types on this node; every node of the cluster does the same. */
    public static NeuronEntities start(ActorSystem<?> system, NetworkPlan plan, QueryTransport transport,
                                       LedgerGateway ledger, ValidatorActor.Settings validatorSettings) {
        ClusterSharding sharding = ClusterSharding.get(system);
        NeuronEntities directory = new NeuronEntities(sharding);
        sharding.init(Entity.of(SUBNET, ctx -> SubnetActor.create(plan, Integer.parseInt(ctx.getEntityId()), directory))
                .withMessageExtractor(new OwnShard<>())
                .withAllocationStrategy(new SpreadBySubnet()));
        sharding.init(Entity.of(MINER, ctx -> restarting(miner(plan, ctx.getEntityId(), transport, ledger)))
                .withMessageExtractor(new OwnShard<>())
                .withAllocationStrategy(new SpreadBySubnet()));
        sharding.init(Entity.of(VALIDATOR, ctx -> restarting(validator(plan, ctx.getEntityId(), transport, ledger,
                        validatorSettings)))
                .withMessageExtractor(new OwnShard<>())
                .withAllocationStrategy(new SpreadBySubnet()));
        return directory;
    }

    private static Behavior<MinerActor.Command> miner(NetworkPlan plan, String entityId, QueryTransport transport,
                                                      LedgerGateway ledger) {
        NetworkPlan.Placement p = placement(plan, entityId);
        SubnetMechanism mechanism = SubnetMechanisms.named(p.subnet().mechanism());
        Keypair hotkey = plan.hotkey(p.neuron().name());
        return MinerActor.create(p.subnet().netuid(), hotkey, plan.coldkey(p.neuron().name()),
                mechanism.miner(p.neuron().quality()), transport, ledger, plan.seed());
    }

    private static Behavior<ValidatorActor.Command> validator(NetworkPlan plan, String entityId, QueryTransport transport,
                                                              LedgerGateway ledger, ValidatorActor.Settings settings) {
        NetworkPlan.Placement p = placement(plan, entityId);
        SubnetMechanism mechanism = SubnetMechanisms.named(p.subnet().mechanism());
        return ValidatorActor.create(p.subnet().netuid(), plan.hotkey(p.neuron().name()), plan.coldkey(p.neuron().name()),
                p.neuron().stake(), mechanism, transport, ledger, settings, plan.seed());
    }

    private static NetworkPlan.Placement placement(NetworkPlan plan, String entityId) {
        int slash = entityId.indexOf('/');
        NetworkPlan.Placement p = slash < 0 ? null : plan.placement(Address.parse(entityId.substring(slash + 1)));
        if (p == null || p.subnet().netuid() != Integer.parseInt(entityId.substring(0, slash))) {
            throw new IllegalArgumentException("entity " + entityId + " is not a neuron of the network plan");
        }
        return p;
    }

    private static <T> Behavior<T> restarting(Behavior<T> behavior) {
        return Behaviors.supervise(behavior)
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    }

    @Override
    public void tellMiner(int netuid, Address hotkey, MinerActor.Command command) {
        sharding.entityRefFor(MINER, entityId(netuid, hotkey)).tell(command);
    }

    @Override
    public void tellValidator(int netuid, Address hotkey, ValidatorActor.Command command) {
        sharding.entityRefFor(VALIDATOR, entityId(netuid, hotkey)).tell(command);
    }

    /** Tells a subnet actor, starting it where sharding places it if it is not running. */
    public static void tellSubnet(ActorSystem<?> system, int netuid, SubnetActor.Command command) {
        ClusterSharding.get(system).entityRefFor(SUBNET, Integer.toString(netuid)).tell(command);
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

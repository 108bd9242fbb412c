package io.cortex.actors.neuron;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.state.Metagraph;
import io.cortex.core.message.CortexMessage;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One subnet's coordinator (ARCHITECTURE.md section 3): caches the metagraph the ledger publishes after
 * each epoch (distributed pub/sub topic {@code metagraph-<netuid>}), hands it to the subnet's validators,
 * and on the ledger's ticks keeps every planned neuron running — a neuron whose node was lost starts again
 * wherever sharding now places it.
 */
public final class SubnetActor {

    public sealed interface Command {
    }

    /** From the ledger on every block. */
    public record Tick(long block) implements Command, CortexMessage {
    }

    public record GetMetagraph(ActorRef<Metagraph> replyTo) implements Command, CortexMessage {
    }

    private record Published(Metagraph metagraph) implements Command {
    }

    /** The ledger's answer to the read a new incarnation makes; nothing when it did not answer. */
    private record Read(Metagraph metagraph) implements Command {
    }

    /**
     * How long after it starts a subnet actor reads the metagraph itself: pushes on its topic reach it only once the
     * ledger's node has heard of the topic (the receptionist's gossip), and it may have started on a new node
     * just as the subnet's miners moved and announced their new axons.
     */
    static final Duration CATCH_UP = Duration.ofSeconds(3);

    /** Ticks between keep-alives to every neuron: about every two seconds at the default block time. */
    static final int KEEP_ALIVE_EVERY = 8;

    private final NetworkPlan.SubnetPlan plan;
    private final NetworkPlan network;
    private final NeuronDirectory directory;
    private final LedgerGateway ledger;
    private Metagraph metagraph;
    private long ticks;

    private SubnetActor(NetworkPlan.SubnetPlan plan, NetworkPlan network, NeuronDirectory directory, LedgerGateway ledger) {
        this.plan = plan;
        this.network = network;
        this.directory = directory;
        this.ledger = ledger;
    }

    /** The sharded entity type: a subnet of the network plan, id its netuid. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Subnet");

    /** The entity every node starts (the node adds where entities are placed). */
    public static Entity<Command, ShardingEnvelope<Command>> entity(NetworkPlan network, NeuronDirectory directory,
                                                                   LedgerGateway ledger) {
        return Entity.of(TYPE_KEY, ctx -> create(network, Integer.parseInt(ctx.getEntityId()), directory, ledger));
    }

    public static Behavior<Command> create(NetworkPlan network, int netuid, NeuronDirectory directory, LedgerGateway ledger) {
        // its log lines carry the netuid (a field of a JSON line with --log-format json)
        return Behaviors.withMdc(Command.class, java.util.Map.of("netuid", Integer.toString(netuid)), Behaviors.setup(context -> {
            ActorRef<Topic.Command<Metagraph>> topic =
                    context.spawn(Topic.create(Metagraph.class, LedgerActor.metagraphTopic(netuid)), "metagraph-topic");
            topic.tell(Topic.subscribe(context.messageAdapter(Metagraph.class, Published::new)));
            // what pushes this incarnation may have missed before the ledger's node heard of its topic
            context.scheduleOnce(CATCH_UP, context.getSelf(), new CatchUp());
            return new SubnetActor(network.subnet(netuid), network, directory, ledger).behavior(context);
        }));
    }

    private record CatchUp() implements Command {
    }

    private Behavior<Command> behavior(ActorContext<Command> context) {
        return Behaviors.receive(Command.class)
                .onMessage(Tick.class, this::onTick)
                .onMessage(Published.class, this::onPublished)
                .onMessage(CatchUp.class, c -> {
                    context.pipeToSelf(ledger.metagraph(plan.netuid()), (m, failure) -> new Read(failure == null ? m : null));
                    return Behaviors.same();
                })
                .onMessage(Read.class, r -> r.metagraph() == null || metagraph != null && r.metagraph().block() <= metagraph.block()
                        ? Behaviors.same() : onPublished(new Published(r.metagraph())))
                .onMessage(GetMetagraph.class, g -> {
                    if (metagraph != null) {
                        g.replyTo().tell(metagraph);
                    }
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Command> onTick(Tick t) {
        if (ticks++ % KEEP_ALIVE_EVERY == 0) {
            for (NetworkPlan.NeuronPlan n : plan.neurons()) {
                var hotkey = network.hotkey(n.name()).address();
                if (n.role() == NetworkPlan.Role.MINER) {
                    directory.tellMiner(plan.netuid(), hotkey, new MinerActor.KeepAlive());
                } else {
                    directory.tellValidator(plan.netuid(), hotkey, new ValidatorActor.KeepAlive());
                }
            }
        }
        return Behaviors.same();
    }

    private Behavior<Command> onPublished(Published p) {
        metagraph = p.metagraph();
        if (!metagraph.sentWhole()) {
            return Behaviors.same(); // too big to send whole: the validators read it in pages when it is overdue
        }
        for (NetworkPlan.NeuronPlan n : plan.neurons()) {
            if (n.role() == NetworkPlan.Role.VALIDATOR) {
                directory.tellValidator(plan.netuid(), network.hotkey(n.name()).address(),
                        new ValidatorActor.NewMetagraph(metagraph));
            }
        }
        return Behaviors.same();
    }
}

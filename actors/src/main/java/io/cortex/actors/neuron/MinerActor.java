package io.cortex.actors.neuron;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.aeron.Axon;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.protocol.aeron.Status;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import io.cortex.core.message.CortexMessage;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A miner (ARCHITECTURE.md section 3): registers its hotkey on the subnet, serves its axon — the endpoint of
 * the node it lives on — and answers validators' queries with its model after the model's working time.
 * Only validators may query it: hotkeys holding a validator permit on the subnet (the top
 * {@code max_allowed_validators} stakes), as Bittensor's miners blacklist everyone else. That also keeps a
 * lazy miner from having it work the lazy miner's own tasks: a relay can copy only answers it sees, and
 * validators score those as copies ({@link io.cortex.subnets.validator.ValidatorCycle}).
 *
 * <p>It keeps nothing durable: when sharding moves it to another node it starts again there, registers with
 * that node's axon and serves the new endpoint. Its facts (uid, stake, served axon) live in the ledger.
 */
public final class MinerActor {

    public sealed interface Command {
    }

    /** From the subnet actor: keeps this entity running (and starts it again after its node was lost). */
    public record KeepAlive() implements Command, CortexMessage {
    }

    /** A query the node's axon authenticated; local to the node, never serialized. */
    record Query(Axon.Request request, Axon.Responder responder) implements Command {
    }

    private record Reply(Axon.Responder responder, byte[] payload) implements Command {
    }

    private record Check() implements Command {
    }

    private record Checked(Metagraph metagraph, Throwable failure) implements Command {
    }

    private record Submitted(String what, Receipt receipt, Throwable failure) implements Command {
    }

    /** How often the miner checks the ledger for its registration and served axon. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final NeuronKeys self;
    private final SubnetMechanism.MinerModel model;
    private final QueryTransport transport;
    private final LedgerGateway ledger;
    private final SplittableRandom random;
    /** The ledger's view the axon checks HELLOs against, replaced at each check. */
    private final AtomicReference<Admission> admission = new AtomicReference<>(new Admission(Set.of(), Set.of()));
    private boolean submitting;
    /** The metagraph the admission was built from (a node's neurons share one a subnet until the ledger pushes anew). */
    private Metagraph admitted;

    private MinerActor(ActorContext<Command> context, TimerScheduler<Command> timers, NeuronKeys self,
                       SubnetMechanism.MinerModel model, QueryTransport transport, LedgerGateway ledger, long seed) {
        this.context = context;
        this.timers = timers;
        this.self = self;
        this.model = model;
        this.transport = transport;
        this.ledger = ledger;
        this.random = new SplittableRandom(seed ^ self.hotkey().address().hashCode());
    }

    /** The sharded entity type: a miner of the network plan, id {@code netuid/hotkey} ({@link NeuronEntity#id}). */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Miner");

    /**
     * The entity every node starts (the node adds where entities are placed): the plan's miner of that id, its
     * keys and its mechanism's model of the quality the plan gives it.
     */
    public static Entity<Command, ShardingEnvelope<Command>> entity(NetworkPlan plan, QueryTransport transport,
                                                                    LedgerGateway ledger) {
        return Entity.of(TYPE_KEY, ctx -> {
            NetworkPlan.Placement p = NeuronEntity.placement(plan, ctx.getEntityId());
            SubnetMechanism mechanism = SubnetMechanisms.named(p.subnet().mechanism());
            return NeuronEntity.restarting(create(NeuronKeys.of(plan, p), mechanism.miner(p.neuron().quality()), transport,
                    ledger, plan.seed()));
        });
    }

    public static Behavior<Command> create(int netuid, Keypair hotkey, Keypair coldkey, SubnetMechanism.MinerModel model,
                                           QueryTransport transport, LedgerGateway ledger, long seed) {
        return create(new NeuronKeys(netuid, hotkey, coldkey), model, transport, ledger, seed);
    }

    static Behavior<Command> create(NeuronKeys self, SubnetMechanism.MinerModel model, QueryTransport transport,
                                    LedgerGateway ledger, long seed) {
        return Behaviors.withMdc(Command.class, self.mdc(), Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            context.setLoggerName(MinerActor.class); // else its lines go out under Pekko's behaviour class, at WARN
            MinerActor miner = new MinerActor(context, timers, self, model, transport, ledger, seed);
            transport.axon().register(self.hotkey(), (request, responder) -> context.getSelf().tell(new Query(request, responder)),
                    miner.new Policy());
            timers.startTimerWithFixedDelay(new Check(), Duration.ZERO, CHECK_EVERY);
            return miner.behavior();
        })));
    }

    /** Who holds a validator permit on the subnet, and the axons served there: the only reply channels a HELLO may name. */
    private record Admission(Set<Address> callers, Set<String> axons) {
    }

    /** The axon asks from its poller thread; the answer is the last metagraph the miner read. */
    private final class Policy implements Axon.CallerPolicy {
        @Override
        public boolean admits(int n, Address caller) {
            return n == self.netuid() && admission.get().callers().contains(caller);
        }

        @Override
        public boolean announced(int n, String channel) {
            return n == self.netuid() && admission.get().axons().contains(channel);
        }
    }

    private Behavior<Command> behavior() {
        return Behaviors.receive(Command.class)
                .onMessage(KeepAlive.class, m -> Behaviors.same())
                .onMessage(Query.class, this::onQuery)
                .onMessage(Reply.class, this::onReply)
                .onMessage(Check.class, this::onCheck)
                .onMessage(Checked.class, this::onChecked)
                .onMessage(Submitted.class, this::onSubmitted)
                .onSignal(PostStop.class, s -> {
                    transport.axon().unregister(self.hotkey().address());
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Command> onQuery(Query q) {
        SubnetMechanism.Answer answer;
        try {
            answer = model.answer(q.request().body(), random);
        } catch (RuntimeException e) {
            q.responder().respond(Status.MINER_ERROR, new byte[0]);
            return Behaviors.same();
        }
        Reply reply = new Reply(q.responder(), answer.payload());
        if (answer.delayMillis() <= 0) {
            return onReply(reply);
        }
        timers.startSingleTimer(reply, reply, Duration.ofMillis(answer.delayMillis())); // the model's working time
        return Behaviors.same();
    }

    private Behavior<Command> onReply(Reply r) {
        r.responder().respond(Status.OK, r.payload());
        return Behaviors.same();
    }

    private Behavior<Command> onCheck(Check c) {
        context.pipeToSelf(ledger.metagraph(self.netuid()), Checked::new);
        return Behaviors.same();
    }

    private Behavior<Command> onChecked(Checked c) {
        if (c.failure() != null) {
            return Behaviors.same(); // the ledger is moving; the next check tries again
        }
        Metagraph m = c.metagraph();
        if (m != admitted) {
            admitted = m;
            admission.set(new Admission(
                    m.neurons().stream().filter(Metagraph.Neuron::validatorPermit).map(Metagraph.Neuron::hotkey)
                            .collect(Collectors.toUnmodifiableSet()),
                    m.neurons().stream().map(Metagraph.Neuron::axon).filter(a -> !a.isEmpty()).collect(Collectors.toUnmodifiableSet())));
        }
        if (submitting) {
            return Behaviors.same();
        }
        Metagraph.Neuron me = m.neuron(self.hotkey().address());
        if (me == null) {
            submit("register", self.coldkey(), new Transaction.RegisterNeuron(self.netuid(), self.hotkey().address(), 0));
        } else if (!transport.axonChannel().equals(me.axon())) {
            submit("serve axon", self.hotkey(), new Transaction.ServeAxon(self.netuid(), transport.axonChannel()));
        }
        return Behaviors.same();
    }

    private void submit(String what, Keypair signer, Transaction body) {
        submitting = true;
        context.pipeToSelf(ledger.signAndSubmit(signer, body), (receipt, failure) -> new Submitted(what, receipt, failure));
    }

    private Behavior<Command> onSubmitted(Submitted s) {
        submitting = false;
        if (s.failure() != null) {
            context.getLog().debug("miner {} {}: {}", self.hotkey().address().shortForm(), s.what(), s.failure().toString());
        } else if (s.receipt() instanceof Receipt.Rejected r) {
            context.getLog().info("miner {} {} rejected: {}", self.hotkey().address().shortForm(), s.what(), r.message());
        } else {
            context.getSelf().tell(new Check()); // see the result at once
        }
        return Behaviors.same();
    }
}

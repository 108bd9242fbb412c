package io.cortex.actors.neuron;

import io.cortex.actors.plan.NetworkPlan;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.Transaction;
import io.cortex.protocol.aeron.Dendrite;
import io.cortex.protocol.aeron.QueryTransport;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import io.cortex.core.message.CortexMessage;
import io.cortex.subnets.SubnetMechanism;
import io.cortex.subnets.SubnetMechanisms;
import io.cortex.subnets.Weighting;
import io.cortex.subnets.validator.ValidatorCycle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A validator (ARCHITECTURE.md section 4): registers and stakes, announces its axon when it is outside the
 * cluster (the reply channel its queries name, which miners answer only when it is announced on the subnet;
 * a hosted validator's is its node's, which the node's miners announce), then runs rounds — every miner that serves
 * an axon gets the round's task over Aeron with a deadline — and once per epoch sets weights. What it does with
 * the answers (scores, copies, the baseline, weights, the commit-reveal schedule) is the {@link ValidatorCycle}
 * the simulator runs too; this actor adds the network and the ledger.
 *
 * <p>Its scores are lost when sharding moves it; it rebuilds them in a few rounds.
 */
public final class ValidatorActor {

    public sealed interface Command {
    }

    /** From the subnet actor: keeps this entity running (and starts it again after its node was lost). */
    public record KeepAlive() implements Command, CortexMessage {
    }

    /** The metagraph after an epoch, forwarded by the subnet actor. */
    public record NewMetagraph(Metagraph metagraph) implements Command, CortexMessage {
    }

    private record Round() implements Command {
    }

    private record Refresh() implements Command {
    }

    private record Fetched(Metagraph metagraph, Throwable failure) implements Command {
    }

    private record Answered(long round, Address miner, SubnetMechanism.Task task, Dendrite.Response response)
            implements Command {
    }

    /** How a transaction of this validator's ended: by its type, not its name. */
    private record Submitted(Transaction body, boolean byHotkey, Receipt receipt, Throwable failure) implements Command {
    }

    /**
     * How long a validator waits for a pushed metagraph before it reads one itself: the ledger pushes each
     * epoch's and each change of the subnet's neurons, so this happens only when pushes were lost.
     */
    static final Duration OVERDUE = Duration.ofSeconds(30);
    /** How soon a read the ledger did not answer is asked again. */
    static final Duration RETRY = Duration.ofSeconds(2);

    /** How a validator works: round interval, query deadline, score smoothing, weights from scores. */
    public record Settings(Duration roundInterval, Duration queryTimeout, double scoreAlpha, Weighting weighting,
                           boolean announceAxon) {
        public Settings {
            java.util.Objects.requireNonNull(weighting, "weighting");
        }

        public Settings(Duration roundInterval, Duration queryTimeout, double scoreAlpha, Weighting weighting) {
            this(roundInterval, queryTimeout, scoreAlpha, weighting, false);
        }

        public Settings(Duration roundInterval, Duration queryTimeout, double scoreAlpha) {
            this(roundInterval, queryTimeout, scoreAlpha, Weighting.DEFAULT);
        }

        /**
         * The same, for a validator that announces its own axon (a serve-axon transaction) because no miner
         * of its process does: one outside the cluster. A hosted validator answers on its node's axon, which the
         * node's hosted miners announce, and announces nothing itself, so it is never taken for a miner.
         */
        public Settings announcingAxon() {
            return new Settings(roundInterval, queryTimeout, scoreAlpha, weighting, true);
        }

        public static Settings defaults() {
            return new Settings(Duration.ofMillis(500), Duration.ofMillis(800), 0.2);
        }
    }

    private final ActorContext<Command> context;
    private final NeuronKeys self;
    private final long stake;
    private final SubnetMechanism mechanism;
    private final QueryTransport transport;
    private final LedgerGateway ledger;
    private final Settings settings;
    private final ValidatorCycle<Address> cycle;
    private final ArrayDeque<Transaction> hotkeyQueue = new ArrayDeque<>();
    private Metagraph metagraph;
    private final TimerScheduler<Command> timers;
    private long weightsEpoch = -1;
    private boolean coldkeyBusy;
    private boolean hotkeyBusy;
    private boolean staked;
    /** A serve-axon transaction is queued or in flight. */
    private boolean serveQueued;
    /** The epoch whose task seed the rounds use, the seed, and the rounds run with it. */
    private long seedEpoch = -1;
    private long epochSeed;
    private long roundInEpoch;

    private ValidatorActor(ActorContext<Command> context, TimerScheduler<Command> timers, NeuronKeys self, long stake,
                           SubnetMechanism mechanism, QueryTransport transport, LedgerGateway ledger, Settings settings,
                           long seed) {
        this.context = context;
        this.timers = timers;
        this.self = self;
        this.stake = stake;
        this.mechanism = mechanism;
        this.transport = transport;
        this.ledger = ledger;
        this.settings = settings;
        this.cycle = new ValidatorCycle<>(mechanism, new ValidatorCycle.Settings(settings.scoreAlpha(), settings.weighting(),
                ValidatorCycle.Settings.settleRounds(settings.queryTimeout().toMillis(), settings.roundInterval().toMillis())),
                new SplittableRandom(seed ^ self.hotkey().address().hashCode() * 31L));
    }

    /** The sharded entity type: a validator of the network plan, id {@code netuid/hotkey} ({@link NeuronEntity#id}). */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Validator");

    /** The entity every node starts (the node adds where entities are placed): the plan's validator of that id. */
    public static Entity<Command, ShardingEnvelope<Command>> entity(NetworkPlan plan, QueryTransport transport,
                                                                    LedgerGateway ledger, Settings settings) {
        return Entity.of(TYPE_KEY, ctx -> {
            NetworkPlan.Placement p = NeuronEntity.placement(plan, ctx.getEntityId());
            return NeuronEntity.restarting(create(NeuronKeys.of(plan, p), p.neuron().stake(),
                    SubnetMechanisms.named(p.subnet().mechanism()), transport, ledger, settings, plan.seed()));
        });
    }

    public static Behavior<Command> create(int netuid, Keypair hotkey, Keypair coldkey, long stake,
                                           SubnetMechanism mechanism, QueryTransport transport, LedgerGateway ledger,
                                           Settings settings, long seed) {
        return create(new NeuronKeys(netuid, hotkey, coldkey), stake, mechanism, transport, ledger, settings, seed);
    }

    static Behavior<Command> create(NeuronKeys self, long stake, SubnetMechanism mechanism, QueryTransport transport,
                                    LedgerGateway ledger, Settings settings, long seed) {
        return Behaviors.withMdc(Command.class, self.mdc(), Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            context.setLoggerName(ValidatorActor.class); // else its lines go out under Pekko's behaviour class, at WARN
            timers.startTimerWithFixedDelay(new Round(), settings.roundInterval());
            // the metagraph now; from then on the ledger pushes it (each epoch's, and each change of the subnet's
            // neurons, through the subnet actor), and the validator reads it itself only after its own registration
            // and stake, or when no push came for OVERDUE
            timers.startSingleTimer(new Refresh(), Duration.ZERO);
            return new ValidatorActor(context, timers, self, stake, mechanism, transport, ledger, settings, seed)
                    .behavior();
        })));
    }

    private Behavior<Command> behavior() {
        return Behaviors.receive(Command.class)
                .onMessage(KeepAlive.class, m -> Behaviors.same())
                // the metagraph: read, then pushed
                .onMessage(Refresh.class, this::onRefresh)
                .onMessage(Fetched.class, this::onFetched)
                .onMessage(NewMetagraph.class, m -> onMetagraph(m.metagraph()))
                // the rounds, and the weights and transactions they lead to
                .onMessage(Round.class, this::onRound)
                .onMessage(Answered.class, this::onAnswered)
                .onMessage(Submitted.class, this::onSubmitted)
                .build();
    }

    private static String name(Transaction body) {
        return body.getClass().getSimpleName();
    }

    private Behavior<Command> onRefresh(Refresh r) {
        context.pipeToSelf(ledger.metagraph(self.netuid()), Fetched::new);
        return Behaviors.same();
    }

    private Behavior<Command> onFetched(Fetched f) {
        if (f.failure() != null) {
            timers.startSingleTimer(new Refresh(), RETRY); // the ledger did not answer (moving, or busy): ask again soon
            return Behaviors.same();
        }
        return onMetagraph(f.metagraph());
    }

    private Behavior<Command> onMetagraph(Metagraph m) {
        timers.startSingleTimer(new Refresh(), OVERDUE); // replaces the one before: read again only if nothing comes
        if (metagraph != null && m.block() < metagraph.block()) {
            return Behaviors.same(); // an older view arriving late
        }
        metagraph = m;
        cycle.leaveOneOut(m.leaveOneOut());
        if (m.epochIndex() != seedEpoch) {
            seedEpoch = m.epochIndex();
            epochSeed = m.taskSeed();
            roundInEpoch = 0;
        }
        Metagraph.Neuron me = m.neuron(self.hotkey().address());
        if (me == null) {
            serveQueued = false; // pruned: once registered again, its axon is announced again
            coldkey(new Transaction.RegisterNeuron(self.netuid(), self.hotkey().address(), 0));
            return Behaviors.same();
        }
        if (!staked && me.stake() == 0 && stake > 0) {
            coldkey(new Transaction.AddStake(self.hotkey().address(), self.netuid(), stake, 0));
            return Behaviors.same();
        }
        staked = true;
        if (settings.announceAxon() && !transport.axonChannel().equals(me.axon()) && !serveQueued) {
            serveQueued = true; // miners send replies only to axons announced on the subnet: announce ours
            hotkey(new Transaction.ServeAxon(self.netuid(), transport.axonChannel()));
        }
        if (m.epochIndex() > weightsEpoch && me.validatorPermit()) {
            weightsEpoch = m.epochIndex();
            setWeights(m);
        }
        return Behaviors.same();
    }

    /** Once per epoch: weights from the scores, directly or by commit-reveal (reveal first, then commit anew). */
    private void setWeights(Metagraph m) {
        List<Address> byUid = new ArrayList<>();
        for (Metagraph.Neuron n : m.neurons()) {
            while (byUid.size() <= n.uid()) {
                byUid.add(null);
            }
            byUid.set(n.uid(), n.hotkey());
        }
        ValidatorCycle.Weights weights = cycle.weights(byUid, self.hotkey().address());
        for (ValidatorCycle.WeightsAction action : cycle.epoch(m.epochIndex(), m.commitReveal(), m.revealPeriod(), weights)) {
            hotkey(WeightsTransactions.of(self.netuid(), self.hotkey().address(), action));
        }
    }

    private Behavior<Command> onRound(Round r) {
        if (metagraph == null) {
            cycle.beginRound();
        } else {
            cycle.beginRound(ValidatorCycle.roundSeed(epochSeed, roundInEpoch++)); // the tasks the subnet's validators share
        }
        if (metagraph != null && metagraph.neuron(self.hotkey().address()) != null) {
            long round = cycle.round();
            for (Metagraph.Neuron n : metagraph.neurons()) {
                if (n.axon().isEmpty() || n.hotkey().equals(self.hotkey().address())) {
                    continue;
                }
                SubnetMechanism.Task task = cycle.task(n.hotkey());
                context.pipeToSelf(transport.dendrite().query(self.hotkey(), n.hotkey(), n.axon(), self.netuid(), task.payload(),
                        settings.queryTimeout()), (response, failure) -> new Answered(round, n.hotkey(), task, response));
            }
        }
        cycle.endRound();
        return Behaviors.same();
    }

    private Behavior<Command> onAnswered(Answered a) {
        Dendrite.Response r = a.response();
        byte[] answer = r != null && r.ok() ? r.body() : null;
        cycle.answer(a.round(), a.miner(), a.task(), answer, answer == null ? Long.MAX_VALUE : r.roundTripNanos());
        return Behaviors.same();
    }

    private void coldkey(Transaction body) {
        if (!coldkeyBusy) {
            coldkeyBusy = true;
            context.pipeToSelf(ledger.signAndSubmit(self.coldkey(), body),
                    (receipt, failure) -> new Submitted(body, false, receipt, failure));
        }
    }

    /** Hotkey transactions go one at a time, in order: their nonces follow each other. */
    private void hotkey(Transaction body) {
        hotkeyQueue.add(body);
        nextHotkeyTransaction();
    }

    private void nextHotkeyTransaction() {
        if (!hotkeyBusy && !hotkeyQueue.isEmpty()) {
            hotkeyBusy = true;
            Transaction body = hotkeyQueue.poll();
            context.pipeToSelf(ledger.signAndSubmit(self.hotkey(), body),
                    (receipt, failure) -> new Submitted(body, true, receipt, failure));
        }
    }

    private Behavior<Command> onSubmitted(Submitted s) {
        if (s.byHotkey()) {
            hotkeyBusy = false;
            if (s.body() instanceof Transaction.ServeAxon && (s.failure() != null || !s.receipt().accepted())) {
                serveQueued = false; // try again with the next metagraph; once accepted, it is served
            }
        } else {
            coldkeyBusy = false;
        }
        if (s.failure() != null) {
            context.getLog().debug("validator {} {}: {}", self.hotkey().address().shortForm(), name(s.body()), s.failure().toString());
        } else if (s.receipt() instanceof Receipt.Rejected r) {
            context.getLog().info("validator {} {} rejected: {}", self.hotkey().address().shortForm(), name(s.body()), r.message());
        } else if (s.body() instanceof Transaction.AddStake) {
            staked = true;
        }
        if (s.byHotkey()) {
            nextHotkeyTransaction();
        } else {
            context.getSelf().tell(new Refresh());
        }
        return Behaviors.same();
    }
}

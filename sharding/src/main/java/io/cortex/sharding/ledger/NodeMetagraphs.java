package io.cortex.sharding.ledger;

import io.cortex.actors.neuron.LedgerGateway;
import io.cortex.core.identity.Address;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The neurons' ledger on one node, with each subnet's metagraph held once for all of them. The ledger publishes a
 * subnet's metagraph after each of its epochs and after each block that registers one of its neurons or serves an
 * axon (topic {@code metagraph-<netuid>}); the node keeps the latest, and its neurons read it here instead of
 * each asking the ledger singleton every two seconds: 16,384 neurons would ask 8,000 times a second, every answer
 * a whole metagraph. A metagraph held for {@code maxAge} without a push (one missed while the ledger moved) is read
 * from the ledger again, once for every neuron of the node that asks meanwhile; so is one whose subnet a neuron of
 * the node has just changed (an accepted registration, axon or stake), which the neuron checks at once.
 */
public final class NodeMetagraphs implements LedgerGateway {

    private record Held(Metagraph metagraph, long receivedNanos) {
    }

    /** A read of the ledger under way, and the subnet's change count when it started. */
    private record Reading(CompletableFuture<Metagraph> answer, long changes) {
    }

    private final LedgerGateway ledger;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final Map<Integer, Held> held = new ConcurrentHashMap<>();
    /** Per subnet, the read from the ledger under way, which every neuron asking meanwhile shares. */
    private final Map<Integer, Reading> reading = new ConcurrentHashMap<>();
    /** Per subnet, how many accepted transactions of the node's neurons changed it: a read begun before one is stale. */
    private final Map<Integer, Long> changes = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> watched = new ConcurrentHashMap<>();
    private final ActorRef<Command> watcher;

    public NodeMetagraphs(ActorSystem<?> system, LedgerGateway ledger, Duration maxAge) {
        this(system, ledger, maxAge, System::nanoTime);
    }

    NodeMetagraphs(ActorSystem<?> system, LedgerGateway ledger, Duration maxAge, LongSupplier nanoTime) {
        this.ledger = ledger;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
        this.watcher = system.systemActorOf(watching(), "node-metagraphs", org.apache.pekko.actor.typed.Props.empty());
    }

    private sealed interface Command {
    }

    private record Watch(int netuid) implements Command {
    }

    private record Pushed(Metagraph metagraph) implements Command {
    }

    /** Subscribes to a subnet's topic on the first read of its metagraph; keeps what every push brings. */
    private Behavior<Command> watching() {
        return Behaviors.setup(context -> {
            ActorRef<Metagraph> pushed = context.messageAdapter(Metagraph.class, Pushed::new);
            return Behaviors.receive(Command.class)
                    .onMessage(Watch.class, w -> {
                        context.spawn(Topic.create(Metagraph.class, LedgerActor.metagraphTopic(w.netuid())),
                                "metagraph-topic-" + w.netuid()).tell(Topic.subscribe(pushed));
                        return Behaviors.same();
                    })
                    .onMessage(Pushed.class, p -> {
                        Metagraph m = p.metagraph();
                        // a push older than what is held came late; one from a ledger that started over is lower too,
                        // and the next read of the ledger replaces what is held whatever its block
                        held.merge(m.netuid(), new Held(m, nanoTime.getAsLong()),
                                (old, fresh) -> fresh.metagraph().block() >= old.metagraph().block() ? fresh : old);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    @Override
    public CompletionStage<Metagraph> metagraph(int netuid) {
        if (watched.putIfAbsent(netuid, Boolean.TRUE) == null) {
            watcher.tell(new Watch(netuid));
        }
        Held h = held.get(netuid);
        if (h != null && nanoTime.getAsLong() - h.receivedNanos() < maxAgeNanos) {
            return CompletableFuture.completedFuture(h.metagraph());
        }
        long changed = changes.getOrDefault(netuid, 0L);
        Reading mine = new Reading(new CompletableFuture<>(), changed);
        Reading underWay = reading.merge(netuid, mine, (old, fresh) -> old.changes() == fresh.changes() ? old : fresh);
        if (underWay != mine) {
            return underWay.answer().minimalCompletionStage();
        }
        ledger.metagraph(netuid).whenComplete((m, failure) -> {
            if (failure == null && changes.getOrDefault(netuid, 0L) == changed) {
                held.put(netuid, new Held(m, nanoTime.getAsLong())); // the ledger's own answer, whatever its block
            }
            reading.remove(netuid, mine);
            if (failure != null) {
                mine.answer().completeExceptionally(failure);
            } else {
                mine.answer().complete(m);
            }
        });
        return mine.answer().minimalCompletionStage();
    }

    /**
     * Submits through the ledger; an accepted registration, axon or stake makes the subnet's held metagraph stale, so
     * that the neuron's next read (it checks at once) sees its change.
     */
    @Override
    public CompletionStage<Receipt> submit(SignedTransaction tx) {
        Transaction body = tx.body();
        int netuid = body instanceof Transaction.RegisterNeuron r ? r.netuid()
                : body instanceof Transaction.ServeAxon s ? s.netuid()
                : body instanceof Transaction.AddStake a ? a.netuid() : -1;
        return ledger.submit(tx).thenApply(receipt -> {
            if (netuid >= 0 && receipt.accepted()) {
                changes.merge(netuid, 1L, Long::sum);
                held.remove(netuid);
            }
            return receipt;
        });
    }

    @Override
    public CompletionStage<Long> nonce(Address account) {
        return ledger.nonce(account);
    }
}

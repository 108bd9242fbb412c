package io.cortex.sharding.ledger;

import io.cortex.ledger.actor.LedgerActor;

import io.cortex.actors.neuron.LedgerGateway;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.core.identity.Address;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The neurons' way to the ledger singleton: every call is an ask through the node's singleton proxy, which
 * buffers while the singleton moves. A call fails with a timeout when no answer comes within
 * {@code timeout}; callers retry on their next check.
 */
public final class LedgerProxy implements LedgerGateway {

    private final ActorRef<LedgerActor.Command> ledger;
    private final Scheduler scheduler;
    private final Duration timeout;

    public LedgerProxy(ActorRef<LedgerActor.Command> ledger, Scheduler scheduler, Duration timeout) {
        this.ledger = ledger;
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<Receipt> submit(SignedTransaction tx) {
        return AskPattern.ask(ledger, replyTo -> new LedgerActor.Submit(tx, replyTo), timeout, scheduler);
    }

    @Override
    public CompletionStage<Metagraph> metagraph(int netuid) {
        return AskPattern.ask(ledger, replyTo -> new LedgerActor.GetMetagraph(netuid, replyTo), timeout, scheduler);
    }

    @Override
    public CompletionStage<Long> nonce(Address account) {
        return AskPattern.<LedgerActor.Command, LedgerActor.Nonce>ask(ledger,
                replyTo -> new LedgerActor.GetNonce(account, replyTo), timeout, scheduler).thenApply(LedgerActor.Nonce::next);
    }

    /** Any question to the ledger: {@code question} builds the command around the reply address. */
    public <R> CompletionStage<R> ask(org.apache.pekko.japi.function.Function<ActorRef<R>, LedgerActor.Command> question) {
        return AskPattern.ask(ledger, question, timeout, scheduler);
    }

    /** Any question to the ledger, answered within {@code patience} or failed with a timeout. */
    public <R> CompletionStage<R> ask(org.apache.pekko.japi.function.Function<ActorRef<R>, LedgerActor.Command> question,
                                      Duration patience) {
        return AskPattern.ask(ledger, question, patience, scheduler);
    }

    /** Height, state hash, conservation and a balance, as the ledger sees them now. */
    public CompletionStage<LedgerActor.Inspection> inspect(Address account) {
        return AskPattern.ask(ledger, replyTo -> new LedgerActor.Inspect(account, replyTo), timeout, scheduler);
    }
}

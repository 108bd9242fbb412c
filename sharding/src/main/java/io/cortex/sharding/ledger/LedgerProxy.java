package io.cortex.sharding.ledger;

import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerViews;

import io.cortex.actors.neuron.LedgerGateway;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.core.identity.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    /**
     * A subnet's whole metagraph, read a page at a time, every page of one block: a subnet of more than about
     * 3,000 uids does not fit in one message between nodes (Artery's 256 KiB frame). A subnet of up to
     * {@link LedgerActor.GetMetagraphPage#MOST} uids is one ask, as before. Fails when the subnet does not exist,
     * or when blocks overtake the reading {@value #READINGS} times running.
     */
    @Override
    public CompletionStage<Metagraph> metagraph(int netuid) {
        return readPages(netuid, -1, new ArrayList<>(), 1);
    }

    /** Readings of a paged metagraph begun before giving up, each overtaken by blocks. */
    private static final int READINGS = 3;

    private CompletionStage<Metagraph> readPages(int netuid, long atBlock, List<Metagraph.Neuron> read, int reading) {
        int from = read.size();
        return this.<LedgerViews.SubnetAnswer>ask(replyTo -> new LedgerActor.GetMetagraphPage(netuid, atBlock, from,
                LedgerActor.GetMetagraphPage.MOST, true, replyTo)).thenCompose(answer -> {
            if (answer instanceof LedgerViews.MetagraphPage page) {
                Metagraph got = page.page();
                if (from == 0 && got.neurons().size() >= page.n()) {
                    return CompletableFuture.completedFuture(got);
                }
                read.addAll(got.neurons());
                return read.size() >= page.n() || got.neurons().isEmpty()
                        ? CompletableFuture.completedFuture(got.withNeurons(read))
                        : readPages(netuid, got.block(), read, reading);
            }
            if (answer instanceof LedgerViews.Overtaken && reading < READINGS) {
                return readPages(netuid, -1, new ArrayList<>(), reading + 1);
            }
            return CompletableFuture.failedFuture(new IllegalStateException("the metagraph of subnet " + netuid + ": "
                    + (answer instanceof LedgerViews.Missing m ? m.reason() : answer)));
        });
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

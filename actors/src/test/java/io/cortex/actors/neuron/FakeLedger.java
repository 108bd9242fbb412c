package io.cortex.actors.neuron;

import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.RejectReason;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.DevKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/**
 * The ledger of one subnet as a test holds it: reads answer the metagraph the test last published; a
 * submission is checked (signature, the signer's next nonce) and answered after a block of its own, and the
 * few transactions neurons send for themselves change their row — register (a new uid, stake 0, no axon),
 * serve axon, add stake (which also grants the validator permit, as the top stakes of a small subnet hold
 * one). Every read and submission goes to {@link #calls()}, in the order the actors made them.
 */
final class FakeLedger implements LedgerGateway {

    /** What an actor asked of the ledger. */
    sealed interface Call {
    }

    record Read(int netuid) implements Call {
    }

    record Submit(SignedTransaction tx) implements Call {
    }

    /** A submission is answered after the block that holds it. */
    static final Duration BLOCK = Duration.ofMillis(20);
    static final Address OWNER = DevKeys.hotkey("alice", 0).address();

    private final TestProbe<Call> calls;
    private final Map<Address, Long> nonces = new HashMap<>();
    private Metagraph metagraph;
    private boolean answeringReads = true;

    FakeLedger(ActorTestKit kit, Metagraph genesis) {
        this.calls = kit.createTestProbe(Call.class);
        this.metagraph = genesis;
    }

    /** Subnet {@code netuid} at block 1 of epoch 0 with these neurons (uids in order from 0), reveal period 1. */
    static Metagraph subnet(int netuid, boolean commitReveal, Metagraph.Neuron... neurons) {
        return new Metagraph(netuid, 1, 0, 0, 10, commitReveal, 0, 1, OWNER, 1.0, List.of(neurons));
    }

    static Metagraph.Neuron neuron(int uid, Address hotkey, Address coldkey, long stake, String axon, boolean permit) {
        return new Metagraph.Neuron(uid, hotkey, coldkey, stake, axon, permit, 0, 0, 0, 0, 0, 0, 0, true);
    }

    /** The same metagraph at another block and epoch, with these neurons. */
    static Metagraph at(Metagraph m, long block, long epochIndex, List<Metagraph.Neuron> neurons) {
        return new Metagraph(m.netuid(), block, epochIndex, epochIndex == m.epochIndex() ? m.lastEpochBlock() : block,
                m.tempo(), m.commitReveal(), m.weightsRateLimit(), m.revealPeriod(), m.ownerHotkey(), m.price(), neurons);
    }

    TestProbe<Call> calls() {
        return calls;
    }

    synchronized Metagraph current() {
        return metagraph;
    }

    /** The next epoch's metagraph, one block on: what reads answer from now on. */
    synchronized Metagraph nextEpoch() {
        metagraph = at(metagraph, metagraph.block() + 1, metagraph.epochIndex() + 1, metagraph.neurons());
        return metagraph;
    }

    /** Reads are never answered from now on: the actors see only the metagraphs the test sends them. */
    synchronized void stopAnsweringReads() {
        answeringReads = false;
    }

    /** The next transaction submitted within {@code max}, reads before it skipped. */
    SignedTransaction nextSubmission(Duration max) {
        List<Call> fished = calls.fishForMessage(max, "a submission",
                c -> c instanceof Submit ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        return ((Submit) fished.get(fished.size() - 1)).tx();
    }

    SignedTransaction nextSubmission() {
        return nextSubmission(Duration.ofSeconds(10));
    }

    /** Fails on any submission before {@code reads} more reads: the actors checked the ledger and found nothing to do. */
    void expectReadsWithoutSubmission(int reads, Duration max) {
        int[] seen = {0};
        calls.fishForMessage(max, reads + " reads without a submission", c -> {
            if (c instanceof Submit s) {
                return FishingOutcomes.fail("submitted " + s.tx());
            }
            return ++seen[0] == reads ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore();
        });
    }

    @Override
    public CompletionStage<Metagraph> metagraph(int netuid) {
        calls.ref().tell(new Read(netuid));
        synchronized (this) {
            return answeringReads ? CompletableFuture.completedFuture(metagraph) : new CompletableFuture<>();
        }
    }

    @Override
    public synchronized CompletionStage<Long> nonce(Address account) {
        return CompletableFuture.completedFuture(nonces.getOrDefault(account, 0L));
    }

    @Override
    public CompletionStage<Receipt> submit(SignedTransaction tx) {
        calls.ref().tell(new Submit(tx));
        return CompletableFuture.supplyAsync(() -> include(tx),
                CompletableFuture.delayedExecutor(BLOCK.toMillis(), TimeUnit.MILLISECONDS));
    }

    private synchronized Receipt include(SignedTransaction tx) {
        if (!tx.signatureValid()) {
            return new Receipt.Rejected(tx.hash(), RejectReason.BAD_SIGNATURE, "");
        }
        long next = nonces.getOrDefault(tx.signer(), 0L);
        if (tx.nonce() != next) {
            return new Receipt.Rejected(tx.hash(), RejectReason.WRONG_NONCE, "expected " + next);
        }
        nonces.put(tx.signer(), next + 1);
        List<Metagraph.Neuron> neurons = new ArrayList<>(metagraph.neurons());
        if (tx.body() instanceof Transaction.RegisterNeuron r && metagraph.neuron(r.hotkey()) == null) {
            neurons.add(neuron(neurons.size(), r.hotkey(), tx.signer(), 0, "", false));
        } else if (tx.body() instanceof Transaction.ServeAxon s) {
            change(neurons, tx.signer(), n -> neuron(n.uid(), n.hotkey(), n.coldkey(), n.stake(), s.endpoint(),
                    n.validatorPermit()));
        } else if (tx.body() instanceof Transaction.AddStake a) {
            change(neurons, a.hotkey(), n -> neuron(n.uid(), n.hotkey(), n.coldkey(), n.stake() + a.amount(), n.axon(), true));
        }
        metagraph = at(metagraph, metagraph.block() + 1, metagraph.epochIndex(), neurons);
        return new Receipt.Accepted(tx.hash());
    }

    private static void change(List<Metagraph.Neuron> neurons, Address hotkey, UnaryOperator<Metagraph.Neuron> change) {
        neurons.replaceAll(n -> n.hotkey().equals(hotkey) ? change.apply(n) : n);
    }
}

package io.cortex.ledger.actor;

import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.Conservation;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.protocol.identity.Address;
import io.cortex.protocol.message.CortexMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The ledger as a cluster singleton (ARCHITECTURE.md section 4): it collects signed transactions, produces a
 * block every {@code block-time} by applying the ledger state machine, answers each submission with its
 * receipt once its block is applied, ticks every subnet actor, and after each epoch publishes the subnet's
 * new metagraph on the distributed pub/sub topic {@code metagraph-<netuid>}.
 *
 * <p>The only Pekko class of the ledger module besides {@code LedgerKryoRegistrar}'s registrations: the state
 * machine it wraps imports nothing of Pekko. In memory in this version: if the singleton's node is lost, the ledger starts over from genesis on
 * another node (durability is ARCHITECTURE.md section 6, a later issue).
 */
public final class LedgerActor {

    public sealed interface Command {
    }

    public record Submit(SignedTransaction transaction, ActorRef<Receipt> replyTo) implements Command, CortexMessage {
    }

    public record GetMetagraph(int netuid, ActorRef<Metagraph> replyTo) implements Command, CortexMessage {
    }

    public record GetNonce(Address account, ActorRef<Nonce> replyTo) implements Command, CortexMessage {
    }

    public record Nonce(long next) implements CortexMessage {
    }

    /** What tests and tools inspect: height, state hash, conservation, balance of an account. */
    public record Inspect(Address account, ActorRef<Inspection> replyTo) implements Command, CortexMessage {
    }

    public record Inspection(long height, String stateHash, List<String> conservationViolations, long balance,
                             long epochsRun) implements CortexMessage {
    }

    private record ProduceBlock() implements Command {
    }

    /** Where the ledger reports each new block to every subnet: the subnet actors, wherever they run. */
    public interface SubnetTicks {
        void tick(int netuid, long block);
    }

    /** The distributed pub/sub topic a subnet's metagraph is published on after each of its epochs. */
    public static String metagraphTopic(int netuid) {
        return "metagraph-" + netuid;
    }

    private record Pending(SignedTransaction transaction, ActorRef<Receipt> replyTo) {
    }

    private final ActorContext<Command> context;
    private final LedgerState state;
    private final SubnetTicks ticks;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<Address, Long> queuedNonce = new HashMap<>();
    private final Map<Integer, ActorRef<Topic.Command<Metagraph>>> topics = new HashMap<>();
    private long epochsRun;

    private LedgerActor(ActorContext<Command> context, LedgerState state, SubnetTicks ticks) {
        this.context = context;
        this.state = state;
        this.ticks = ticks;
    }

    /**
     * @param genesisTransactions applied in the first block (the network's subnets, for a testnet)
     * @param blockTime time between blocks; zero produces blocks back to back
     */
    public static Behavior<Command> create(LedgerConfig config, List<SignedTransaction> genesisTransactions,
                                           Duration blockTime, SubnetTicks ticks) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            LedgerActor ledger = new LedgerActor(context, LedgerState.genesis(config), ticks);
            for (SignedTransaction tx : genesisTransactions) {
                ledger.enqueue(tx, null);
            }
            if (blockTime.isZero()) {
                context.getSelf().tell(new ProduceBlock());
            } else {
                timers.startTimerAtFixedRate(new ProduceBlock(), blockTime);
            }
            context.getLog().info("ledger started at genesis, {} ms blocks", blockTime.toMillis());
            return ledger.behavior(blockTime.isZero());
        }));
    }

    private Behavior<Command> behavior(boolean backToBack) {
        return Behaviors.receive(Command.class)
                .onMessage(Submit.class, s -> {
                    enqueue(s.transaction(), s.replyTo());
                    return Behaviors.same();
                })
                .onMessage(GetMetagraph.class, this::onGetMetagraph)
                .onMessage(GetNonce.class, g -> {
                    g.replyTo().tell(new Nonce(queuedNonce.getOrDefault(g.account(), state.nonce(g.account()))));
                    return Behaviors.same();
                })
                .onMessage(Inspect.class, i -> {
                    i.replyTo().tell(new Inspection(state.height(), state.stateHashHex(), Conservation.violations(state),
                            state.balance(i.account()), epochsRun));
                    return Behaviors.same();
                })
                .onMessage(ProduceBlock.class, p -> {
                    produceBlock();
                    if (backToBack) {
                        context.getSelf().tell(new ProduceBlock());
                    }
                    return Behaviors.same();
                })
                .build();
    }

    private void enqueue(SignedTransaction tx, ActorRef<Receipt> replyTo) {
        pending.add(new Pending(tx, replyTo));
        // the next nonce counts transactions already waiting for this block
        queuedNonce.merge(tx.signer(), tx.nonce() + 1, Math::max);
    }

    private Behavior<Command> onGetMetagraph(GetMetagraph g) {
        if (state.subnet(g.netuid()) != null) {
            g.replyTo().tell(Metagraph.of(state, g.netuid()));
        }
        return Behaviors.same();
    }

    private void produceBlock() {
        List<Pending> batch = new ArrayList<>(pending);
        pending.clear();
        queuedNonce.clear();
        List<SignedTransaction> txs = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            txs.add(p.transaction());
        }
        BlockResult result = state.apply(new Block(state.height() + 1, System.currentTimeMillis(), txs));
        for (int i = 0; i < batch.size(); i++) {
            ActorRef<Receipt> replyTo = batch.get(i).replyTo();
            if (replyTo != null) {
                replyTo.tell(result.receipts().get(i));
            } else if (!result.receipts().get(i).accepted()) {
                context.getLog().warn("genesis transaction rejected: {}", result.receipts().get(i));
            }
        }
        for (EpochRecord e : result.epochs()) {
            epochsRun++;
            context.getLog().info(e.summary(state.subnet(e.netuid()).price()));
            topic(e.netuid()).tell(Topic.publish(Metagraph.of(state, e.netuid())));
        }
        for (Integer netuid : state.subnets().keySet()) {
            if (netuid != 0) {
                ticks.tick(netuid, state.height());
            }
        }
    }

    private ActorRef<Topic.Command<Metagraph>> topic(int netuid) {
        return topics.computeIfAbsent(netuid, n ->
                context.spawn(Topic.create(Metagraph.class, metagraphTopic(n)), "metagraph-topic-" + n));
    }
}

package io.cortex.ledger.actor;

import io.cortex.ledger.actor.LedgerViews.Account;
import io.cortex.ledger.actor.LedgerViews.BlockEvent;
import io.cortex.ledger.actor.LedgerViews.EpochEvent;
import io.cortex.ledger.actor.LedgerViews.EpochView;
import io.cortex.ledger.actor.LedgerViews.Missing;
import io.cortex.ledger.actor.LedgerViews.Status;
import io.cortex.ledger.actor.LedgerViews.SubnetAnswer;
import io.cortex.ledger.actor.LedgerViews.SubnetDetail;
import io.cortex.ledger.actor.LedgerViews.SubnetList;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.Conservation;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.state.Subnet;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.protocol.identity.Address;
import io.cortex.protocol.message.CortexMessage;
import java.time.Duration;
import java.util.ArrayDeque;
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
 * receipt once its block is applied, ticks every subnet actor, and publishes on distributed pub/sub: each
 * subnet's new metagraph after its epoch ({@code metagraph-<netuid>}), every block ({@link #BLOCKS_TOPIC})
 * and every epoch ({@link #EPOCHS_TOPIC}). It keeps the last {@link #EPOCHS_KEPT} epoch records of each
 * subnet for {@code explain}, and answers questions about accounts, subnets and the chain.
 *
 * <p>The ledger module's only Pekko code: the state machine it wraps imports nothing of Pekko. In memory in
 * this version: if the singleton's node is lost, the ledger starts over from genesis on another node
 * (durability is ARCHITECTURE.md section 6, a later issue).
 */
public final class LedgerActor {

    public static final String BLOCKS_TOPIC = "ledger-blocks";
    public static final String EPOCHS_TOPIC = "ledger-epochs";
    /** Epoch records kept per subnet. */
    public static final int EPOCHS_KEPT = 256;

    public sealed interface Command {
    }

    public record Submit(SignedTransaction transaction, ActorRef<Receipt> replyTo) implements Command, CortexMessage {
    }

    /** Answered only when the subnet exists (neurons retry); the API asks {@link GetSubnet}. */
    public record GetMetagraph(int netuid, ActorRef<Metagraph> replyTo) implements Command, CortexMessage {
    }

    public record GetNonce(Address account, ActorRef<Nonce> replyTo) implements Command, CortexMessage {
    }

    public record Nonce(long next) implements CortexMessage {
    }

    public record GetAccount(Address account, ActorRef<Account> replyTo) implements Command, CortexMessage {
    }

    public record GetSubnets(ActorRef<SubnetList> replyTo) implements Command, CortexMessage {
    }

    public record GetSubnet(int netuid, ActorRef<SubnetAnswer> replyTo) implements Command, CortexMessage {
    }

    /** An epoch record of a subnet; {@code epochIndex} -1 asks for the latest. */
    public record GetEpoch(int netuid, long epochIndex, ActorRef<SubnetAnswer> replyTo) implements Command, CortexMessage {
    }

    public record GetStatus(ActorRef<Status> replyTo) implements Command, CortexMessage {
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
    private final Duration blockTime;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<Address, Long> queuedNonce = new HashMap<>();
    private final Map<Integer, ActorRef<Topic.Command<Metagraph>>> topics = new HashMap<>();
    private final Map<Integer, ArrayDeque<EpochRecord>> records = new HashMap<>();
    private final ActorRef<Topic.Command<BlockEvent>> blocks;
    private final ActorRef<Topic.Command<EpochEvent>> epochs;
    private long epochsRun;

    private LedgerActor(ActorContext<Command> context, LedgerState state, SubnetTicks ticks, Duration blockTime) {
        this.context = context;
        this.state = state;
        this.ticks = ticks;
        this.blockTime = blockTime;
        this.blocks = context.spawn(Topic.create(BlockEvent.class, BLOCKS_TOPIC), "blocks-topic");
        this.epochs = context.spawn(Topic.create(EpochEvent.class, EPOCHS_TOPIC), "epochs-topic");
    }

    /**
     * @param genesisTransactions applied in the first block (the network's subnets, for a testnet)
     * @param blockTime time between blocks; zero produces blocks back to back
     */
    public static Behavior<Command> create(LedgerConfig config, List<SignedTransaction> genesisTransactions,
                                           Duration blockTime, SubnetTicks ticks) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            LedgerActor ledger = new LedgerActor(context, LedgerState.genesis(config), ticks, blockTime);
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
                .onMessage(GetAccount.class, g -> {
                    g.replyTo().tell(Account.of(state, g.account()));
                    return Behaviors.same();
                })
                .onMessage(GetSubnets.class, g -> {
                    g.replyTo().tell(SubnetList.of(state));
                    return Behaviors.same();
                })
                .onMessage(GetSubnet.class, this::onGetSubnet)
                .onMessage(GetEpoch.class, this::onGetEpoch)
                .onMessage(GetStatus.class, g -> {
                    g.replyTo().tell(new Status(state.height(), state.stateHashHex(), state.totalIssuance(),
                            state.subnets().size() - 1, epochsRun, blockTime.toMillis(), Conservation.violations(state)));
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

    private Behavior<Command> onGetSubnet(GetSubnet g) {
        Subnet s = state.subnet(g.netuid());
        g.replyTo().tell(s == null || s.isRoot() ? new Missing("no subnet " + g.netuid()) : SubnetDetail.of(state, s));
        return Behaviors.same();
    }

    private Behavior<Command> onGetEpoch(GetEpoch g) {
        ArrayDeque<EpochRecord> kept = records.get(g.netuid());
        if (kept == null || kept.isEmpty()) {
            g.replyTo().tell(new Missing(state.subnet(g.netuid()) == null ? "no subnet " + g.netuid()
                    : "subnet " + g.netuid() + " has run no epoch yet"));
            return Behaviors.same();
        }
        if (g.epochIndex() < 0) {
            g.replyTo().tell(EpochView.of(kept.peekLast()));
            return Behaviors.same();
        }
        for (EpochRecord r : kept) {
            if (r.epochIndex() == g.epochIndex()) {
                g.replyTo().tell(EpochView.of(r));
                return Behaviors.same();
            }
        }
        g.replyTo().tell(new Missing("epoch " + g.epochIndex() + " of subnet " + g.netuid() + " is not kept (epochs "
                + kept.peekFirst().epochIndex() + " to " + kept.peekLast().epochIndex() + " are)"));
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
        long now = System.currentTimeMillis();
        BlockResult result = state.apply(new Block(state.height() + 1, now, txs));
        int rejected = 0;
        for (int i = 0; i < batch.size(); i++) {
            Receipt receipt = result.receipts().get(i);
            rejected += receipt.accepted() ? 0 : 1;
            ActorRef<Receipt> replyTo = batch.get(i).replyTo();
            if (replyTo != null) {
                replyTo.tell(receipt);
            } else if (!receipt.accepted()) {
                context.getLog().warn("genesis transaction rejected: {}", receipt);
            }
        }
        for (EpochRecord e : result.epochs()) {
            epochsRun++;
            context.getLog().info(e.summary(state.subnet(e.netuid()).price()));
            ArrayDeque<EpochRecord> kept = records.computeIfAbsent(e.netuid(), n -> new ArrayDeque<>());
            kept.addLast(e);
            if (kept.size() > EPOCHS_KEPT) {
                kept.removeFirst();
            }
            Metagraph metagraph = Metagraph.of(state, e.netuid());
            topic(e.netuid()).tell(Topic.publish(metagraph));
            long[] paid = new long[e.payout().miner().length];
            for (int uid = 0; uid < paid.length; uid++) {
                paid[uid] = e.payout().total(uid);
            }
            epochs.tell(Topic.publish(new EpochEvent(metagraph, e.input().emission(), paid, e.inputHashHex())));
        }
        blocks.tell(Topic.publish(new BlockEvent(state.height(), now, txs.size(), rejected, state.stateHashHex())));
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

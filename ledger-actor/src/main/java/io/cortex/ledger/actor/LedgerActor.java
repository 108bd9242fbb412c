package io.cortex.ledger.actor;

import io.cortex.ledger.actor.LedgerViews.Account;
import io.cortex.ledger.actor.LedgerViews.BlockEvent;
import io.cortex.ledger.actor.LedgerViews.Missing;
import io.cortex.ledger.actor.LedgerViews.Status;
import io.cortex.ledger.actor.LedgerViews.SubnetAnswer;
import io.cortex.ledger.actor.LedgerViews.SubnetDetail;
import io.cortex.ledger.actor.LedgerViews.SubnetList;
import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.emission.BlockEmission;
import io.cortex.ledger.state.Block;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.Conservation;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.state.StateCodec;
import io.cortex.ledger.state.Subnet;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.core.identity.Address;
import io.cortex.core.message.CortexMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The ledger as a cluster singleton (ARCHITECTURE.md sections 4 and 6): it collects signed transactions,
 * produces a block every {@code block-time} by applying the ledger state machine, and persists each block
 * as an event ({@link Journal.BlockPersisted}: the block and the state hash it led to), with a snapshot of
 * the state every {@code snapshot-every} blocks. Only once a block is persisted does it answer the
 * submissions it holds, tick the subnet actors and publish on distributed pub/sub: each subnet's new
 * metagraph after its epoch ({@code metagraph-<netuid>}), every block ({@link #BLOCKS_TOPIC}) and every
 * epoch ({@link #EPOCHS_TOPIC}). A submission whose block was never persisted is never answered.
 *
 * <p>On start — on any node, after the last one was lost — it recovers from the latest snapshot and the
 * blocks after it, re-applying each and checking it reaches the recorded state hash; a difference stops it
 * (the journal and the code disagree: {@code cortex replay} shows where). It keeps the last
 * {@link #EPOCHS_KEPT} epoch records of each subnet (those since its last recovery) for {@code explain}, and
 * hands every one to the {@link EpochArchive}, which answers for the others.
 *
 * <p>The block is applied to a copy of the state before its event is written, so that the event can carry
 * the resulting hash; the event handler adopts the copy once the event is written, and if the write fails
 * the actor restarts and recovers from the journal, so the state never keeps a block the journal does not
 * have. It lives in its own module: the state machine it wraps
 * (cortex-ledger) depends on no framework.
 */
public final class LedgerActor extends EventSourcedBehavior<LedgerActor.Command, Journal.BlockPersisted, LedgerActor.Chain> {

    public static final String BLOCKS_TOPIC = "ledger-blocks";
    public static final String EPOCHS_TOPIC = "ledger-epochs";
    /** Epoch records kept per subnet. */
    public static final int EPOCHS_KEPT = 256;

    public sealed interface Command {
    }

    public record Submit(SignedTransaction transaction, ActorRef<Receipt> replyTo) implements Command, CortexMessage {
    }

    /**
     * The whole metagraph, answered only when the subnet exists. Between nodes a subnet of more than about 3,000
     * uids does not fit in a message: this version's nodes read {@link GetMetagraphPage}s, and it is answered for
     * nodes of earlier versions (its Kryo id is released).
     */
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

    /**
     * A page of a subnet's metagraph: at most {@code limit} neurons (and {@link #MOST}) from uid
     * {@code fromUid}, of the metagraph of block {@code atBlock} (-1: the latest block), answered as a
     * {@link LedgerViews.MetagraphPage}, {@link Missing} (no such subnet, a bad range) or
     * {@link LedgerViews.Overtaken} (that block's metagraph is no longer held). {@code hold}: more pages of this
     * reading follow, so the ledger holds the block's metagraph for them.
     */
    public record GetMetagraphPage(int netuid, long atBlock, int fromUid, int limit, boolean hold,
                                   ActorRef<SubnetAnswer> replyTo) implements Command, CortexMessage {
        /** The most neurons in a page: about 83 KB in Kryo, a third of Artery's 256 KiB frame (BENCHMARKS.md). */
        public static final int MOST = 1024;
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

    /**
     * How the ledger is kept: a snapshot every {@code snapshotEvery} blocks (0: never, for a journal that
     * keeps no snapshots), the last {@code keepSnapshots} of them kept.
     */
    public record Persistence(int snapshotEvery, int keepSnapshots) {
        public static Persistence snapshotsEvery(int blocks) {
            return new Persistence(blocks, 2);
        }

        public static Persistence noSnapshots() {
            return new Persistence(0, 0);
        }
    }

    /** The distributed pub/sub topic a subnet's metagraph is published on after each of its epochs. */
    public static String metagraphTopic(int netuid) {
        return "metagraph-" + netuid;
    }

    /** The journal's name for a ledger: one per configuration, so another network plan starts its own. */
    public static PersistenceId persistenceId(LedgerConfig config) {
        return PersistenceId.ofUniqueId("ledger-" + Canonical.hex(StateCodec.configFingerprint(config)).substring(0, 16));
    }

    /** A produced block's emission, and how long applying and writing it took (for its BlockEvent). */
    record BlockTimes(long blockEmission, long applyMicros, long journalWriteMicros) {
    }

    /** A block made on a copy of the state, waiting for the journal to hold it. */
    private record Proposed(LedgerState state, BlockResult result) {
    }

    /**
     * The persistent state: the ledger state once there is one. The empty chain (before the first block) is
     * never changed, and every recovery starts from it: Pekko keeps the empty state for restarts, and the
     * live ledger state is changed in place, so a restart after a failed write must not find it there.
     */
    public static final class Chain {
        private final LedgerState state;

        private Chain(LedgerState state) {
            this.state = state;
        }

        /** The ledger state; a fresh genesis before the first block. */
        LedgerState ledger(LedgerConfig config) {
            return state != null ? state : LedgerState.genesis(config);
        }
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final LedgerConfig config;
    /** The first blocks' transactions, a list for each block from block 1 (a testnet's subnets, one a block). */
    private final List<List<SignedTransaction>> genesisBlocks;
    private final Duration blockTime;
    private final Persistence persistence;
    private final TransactionQueue queue = new TransactionQueue();
    private final EpochRecords records;
    private final LedgerPublisher publisher;
    private final MetagraphPages pages = new MetagraphPages();
    /** The state after the block being persisted, and what applying it gave; the event handler adopts it. */
    private Proposed proposed;
    private long recoveredHeight = -1;
    private String recoveredStateHash = "";
    /** When this incarnation started recovering, and the height of the snapshot it recovered from (0: none). */
    private long startedNanos;
    private long snapshotHeight;
    private long snapshotLoadedNanos;
    private long recoveredNanos;
    private boolean producedSinceRecovery;

    private LedgerActor(ActorContext<Command> context, TimerScheduler<Command> timers, LedgerConfig config,
                        List<List<SignedTransaction>> genesisBlocks, Duration blockTime, SubnetTicks ticks,
                        Persistence persistence, EpochArchive archive) {
        // a failed journal write restarts the behaviour, not its children: the topics keep their subscribers
        super(persistenceId(config), SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2)
                .withStopChildren(false));
        this.context = context;
        this.timers = timers;
        this.config = config;
        this.genesisBlocks = List.copyOf(genesisBlocks);
        this.blockTime = blockTime;
        this.persistence = persistence;
        this.records = new EpochRecords(archive);
        this.publisher = new LedgerPublisher(context, ticks);
    }

    /**
     * @param genesisBlocks the first blocks' transactions of a new ledger, block 1's first (the network's subnets,
     *     one a block, for a testnet)
     * @param blockTime time between blocks; zero produces blocks back to back
     */
    public static Behavior<Command> create(LedgerConfig config, List<List<SignedTransaction>> genesisBlocks,
                                           Duration blockTime, SubnetTicks ticks, Persistence persistence) {
        return create(config, genesisBlocks, blockTime, ticks, persistence, EpochArchive.NONE);
    }

    /** @param archive keeps every epoch, for {@code explain} of one no longer in memory */
    public static Behavior<Command> create(LedgerConfig config, List<List<SignedTransaction>> genesisBlocks,
                                           Duration blockTime, SubnetTicks ticks, Persistence persistence,
                                           EpochArchive archive) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new LedgerActor(context, timers, config, genesisBlocks, blockTime, ticks, persistence, archive)));
    }

    /**
     * Every (re)start: what the last incarnation held is gone with it. Submissions it had not answered were
     * in no persisted block; their senders time out.
     */
    @Override
    public Behavior<Command> apply(org.apache.pekko.actor.typed.TypedActorContext<Command> ctx) {
        queue.clear();
        records.clear();
        timers.cancelAll();
        startedNanos = System.nanoTime();
        snapshotHeight = 0;
        producedSinceRecovery = false;
        return super.apply(ctx);
    }

    @Override
    public Chain emptyState() {
        return new Chain(null);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return persistence.snapshotEvery() > 0
                ? RetentionCriteria.snapshotEvery(persistence.snapshotEvery(), Math.max(1, persistence.keepSnapshots()))
                : RetentionCriteria.disabled();
    }

    /** Snapshots are {@link StateCodec} bytes, made on the actor's thread from the state as it is then. */
    @Override
    public SnapshotAdapter<Chain> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(Chain chain) {
                return new Journal.LedgerSnapshot(StateCodec.encode(chain.ledger(config)));
            }

            @Override
            public Chain fromJournal(Object from) {
                Chain chain = new Chain(StateCodec.decode(((Journal.LedgerSnapshot) from).state(), config));
                snapshotHeight = chain.state.height();
                snapshotLoadedNanos = System.nanoTime();
                return chain;
            }
        };
    }

    @Override
    public SignalHandler<Chain> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), chain -> {
                    LedgerState state = chain.ledger(config);
                    recoveredHeight = state.height();
                    recoveredStateHash = state.stateHashHex();
                    recoveredNanos = System.nanoTime();
                    long tookMillis = (recoveredNanos - startedNanos) / 1_000_000;
                    queueGenesis(state.height()); // a ledger that moved during genesis goes on with the next block's
                    if (state.height() == 0) {
                        context.getLog().info("ledger started at genesis in {} ms, {} ms blocks", tookMillis,
                                blockTime.toMillis());
                    } else {
                        context.getLog().atInfo().addKeyValue("block", state.height())
                                .log("ledger recovered at block {} in {} ms ({}, then {} blocks replayed), state {}, "
                                        + "{} ms blocks", state.height(), tookMillis,
                                snapshotHeight > 0 ? "the snapshot at block " + snapshotHeight + " loaded in "
                                        + (snapshotLoadedNanos - startedNanos) / 1_000_000 + " ms" : "no snapshot",
                                state.height() - snapshotHeight, state.stateHashHex(), blockTime.toMillis());
                    }
                    // every subnet's metagraph topic now, so that it knows its subscribers before its first epoch
                    publisher.topicsOf(state);
                    // the first block at once: after a failover, every moment without one is a moment without blocks
                    context.getSelf().tell(new ProduceBlock());
                    if (!blockTime.isZero()) {
                        timers.startTimerAtFixedRate(new ProduceBlock(), blockTime);
                    }
                })
                .build();
    }

    /**
     * A block this actor made: the state it made it on becomes the chain's. A block of the journal (recovery):
     * re-applied, and the recorded hash checked.
     */
    @Override
    public EventHandler<Chain, Journal.BlockPersisted> eventHandler() {
        return (chain, event) -> {
            Proposed made = proposed;
            if (made != null && made.state().height() == event.height()) {
                proposed = null;
                records.keep(made.result().epochs());
                return new Chain(made.state());
            }
            LedgerState state = chain.state != null ? chain.state : LedgerState.genesis(config);
            if (event.height() <= state.height()) {
                return chain;
            }
            BlockResult result = state.apply(event.block());
            if (!Arrays.equals(result.header().stateHash(), event.stateHash())) {
                throw new IllegalStateException("the journal and the ledger disagree at block " + event.height()
                        + ": recorded state " + Canonical.hex(event.stateHash()) + ", replayed "
                        + Canonical.hex(result.header().stateHash()) + " (cortex replay shows the first divergence)");
            }
            records.keep(result.epochs());
            return chain.state != null ? chain : new Chain(state);
        };
    }

    @Override
    public CommandHandler<Command, Journal.BlockPersisted, Chain> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Submit.class, this::onSubmit)
                .onCommand(GetMetagraph.class, this::onGetMetagraph)
                .onCommand(GetNonce.class, this::onGetNonce)
                .onCommand(GetAccount.class, this::onGetAccount)
                .onCommand(GetSubnets.class, this::onGetSubnets)
                .onCommand(GetSubnet.class, this::onGetSubnet)
                .onCommand(GetMetagraphPage.class, this::onGetMetagraphPage)
                .onCommand(GetEpoch.class, this::onGetEpoch)
                .onCommand(GetStatus.class, this::onGetStatus)
                .onCommand(Inspect.class, this::onInspect)
                .onCommand(ProduceBlock.class, this::produceBlock)
                .build();
    }

    private Effect<Journal.BlockPersisted, Chain> onSubmit(Chain chain, Submit s) {
        queue.add(s.transaction(), s.replyTo());
        return Effect().none();
    }

    private Effect<Journal.BlockPersisted, Chain> onGetMetagraph(Chain chain, GetMetagraph g) {
        LedgerState state = chain.ledger(config);
        if (state.subnet(g.netuid()) != null) {
            g.replyTo().tell(Metagraph.of(state, g.netuid()));
        }
        return Effect().none();
    }

    private Effect<Journal.BlockPersisted, Chain> onGetNonce(Chain chain, GetNonce g) {
        g.replyTo().tell(new Nonce(queue.nextNonce(chain.ledger(config), g.account())));
        return Effect().none();
    }

    private Effect<Journal.BlockPersisted, Chain> onGetAccount(Chain chain, GetAccount g) {
        g.replyTo().tell(Account.of(chain.ledger(config), g.account()));
        return Effect().none();
    }

    private Effect<Journal.BlockPersisted, Chain> onGetSubnets(Chain chain, GetSubnets g) {
        g.replyTo().tell(SubnetList.of(chain.ledger(config)));
        return Effect().none();
    }

    private Effect<Journal.BlockPersisted, Chain> onGetSubnet(Chain chain, GetSubnet g) {
        LedgerState state = chain.ledger(config);
        Subnet s = state.subnet(g.netuid());
        g.replyTo().tell(s == null || s.isRoot() ? new Missing("no subnet " + g.netuid()) : SubnetDetail.of(state, s));
        return Effect().none();
    }

    private Effect<Journal.BlockPersisted, Chain> onGetMetagraphPage(Chain chain, GetMetagraphPage g) {
        g.replyTo().tell(pages.page(chain.ledger(config), g));
        return Effect().none();
    }

    private Effect<Journal.BlockPersisted, Chain> onGetEpoch(Chain chain, GetEpoch g) {
        records.answer(chain.ledger(config), g.netuid(), g.epochIndex(), g.replyTo());
        return Effect().none();
    }

    private Effect<Journal.BlockPersisted, Chain> onGetStatus(Chain chain, GetStatus g) {
        LedgerState state = chain.ledger(config);
        g.replyTo().tell(new Status(state.height(), state.stateHashHex(), state.totalIssuance(), state.subnets().size() - 1,
                records.run(), blockTime.toMillis(), Conservation.violations(state), recoveredHeight, recoveredStateHash,
                context.getSystem().address().toString()));
        return Effect().none();
    }

    private Effect<Journal.BlockPersisted, Chain> onInspect(Chain chain, Inspect i) {
        LedgerState state = chain.ledger(config);
        i.replyTo().tell(new Inspection(state.height(), state.stateHashHex(), Conservation.violations(state),
                state.balance(i.account()), records.run()));
        return Effect().none();
    }

    /**
     * Makes the next block on a copy of the state and persists it; the event handler adopts the copy once the
     * block is the journal's, so the live state changes only through a persisted event (a write that fails
     * stops the actor, and the copy goes with it).
     */
    private Effect<Journal.BlockPersisted, Chain> produceBlock(Chain chain, ProduceBlock p) {
        LedgerState state = chain.state != null ? chain.state.snapshot() : LedgerState.genesis(config);
        List<TransactionQueue.Pending> batch = queue.drain();
        List<SignedTransaction> txs = new ArrayList<>(batch.size());
        for (TransactionQueue.Pending b : batch) {
            txs.add(b.transaction());
        }
        long now = System.currentTimeMillis();
        Block block = new Block(state.height() + 1, now, txs);
        long blockEmission = BlockEmission.of(state.totalIssuance());
        long applying = System.nanoTime();
        BlockResult result = state.apply(block);
        long writing = System.nanoTime();
        proposed = new Proposed(state, result);
        return Effect().persist(new Journal.BlockPersisted(block.height(), now, txs, result.header().stateHash()))
                .thenRun(after -> afterPersisted(after.ledger(config), batch, result, now, new BlockTimes(blockEmission,
                        (writing - applying) / 1000, (System.nanoTime() - writing) / 1000)));
    }

    /** Queues the genesis transactions of the block after {@code height}, if it is one of the genesis blocks. */
    private void queueGenesis(long height) {
        if (height < genesisBlocks.size()) {
            genesisBlocks.get((int) height).forEach(tx -> queue.add(tx, null));
        }
    }

    /** The block is durable: answer its submissions, publish it and its epochs, tick the subnets. */
    private void afterPersisted(LedgerState state, List<TransactionQueue.Pending> batch, BlockResult result, long now,
                                BlockTimes times) {
        if (!producedSinceRecovery) {
            producedSinceRecovery = true;
            context.getLog().atInfo().addKeyValue("block", state.height()).log("first block {} written, {} ms after recovery",
                    state.height(), (System.nanoTime() - recoveredNanos) / 1_000_000);
        }
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
        // the subnets' ticks start their neurons: only once every genesis subnet exists, so that no neuron's
        // registration moves the prices a later genesis subnet's pool opens at (the median of the others')
        publisher.published(state, result, batch, now, rejected, times, state.height() >= genesisBlocks.size());
        queueGenesis(state.height());
        if (blockTime.isZero()) {
            context.getSelf().tell(new ProduceBlock());
        }
    }
}

package io.cortex.ledger.actor;

import io.cortex.ledger.actor.LedgerViews.BlockEvent;
import io.cortex.ledger.actor.LedgerViews.EpochEvent;
import io.cortex.ledger.audit.Canonical;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.state.BlockResult;
import io.cortex.ledger.state.LedgerState;
import io.cortex.ledger.state.Metagraph;
import io.cortex.ledger.tx.Transaction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * What the ledger tells the cluster after each block: a subnet's metagraph (on {@code metagraph-<netuid>})
 * after its epoch and after a block that registered a neuron there or moved an axon, so that validators never
 * need to ask for it (a subnet of up to {@link Metagraph#SENT_WHOLE_MOST} uids); every epoch
 * ({@link LedgerActor#EPOCHS_TOPIC}), every block ({@link LedgerActor#BLOCKS_TOPIC}), and a tick to every subnet.
 * The topics are children of the ledger actor that outlive its restarts.
 */
final class LedgerPublisher {
    private final ActorContext<?> context;
    private final LedgerActor.SubnetTicks ticks;
    private final Map<Integer, ActorRef<Topic.Command<Metagraph>>> metagraphs = new HashMap<>();
    private final ActorRef<Topic.Command<BlockEvent>> blocks;
    private final ActorRef<Topic.Command<EpochEvent>> epochs;

    LedgerPublisher(ActorContext<?> context, LedgerActor.SubnetTicks ticks) {
        this.context = context;
        this.ticks = ticks;
        this.blocks = context.spawn(Topic.create(BlockEvent.class, LedgerActor.BLOCKS_TOPIC), "blocks-topic");
        this.epochs = context.spawn(Topic.create(EpochEvent.class, LedgerActor.EPOCHS_TOPIC), "epochs-topic");
    }

    /**
     * Makes every subnet's metagraph topic that is not made yet. A topic drops what it is given until the
     * receptionist has told it of its subscribers, a moment after it is made: topics are made early for that.
     */
    void topicsOf(LedgerState state) {
        for (Integer netuid : state.subnets().keySet()) {
            if (netuid != 0) {
                metagraph(netuid);
            }
        }
    }

    /** A durable block of these transactions ({@code rejected} of them refused), made at {@code now}. */
    void published(LedgerState state, BlockResult result, List<TransactionQueue.Pending> batch, long now, int rejected,
                   LedgerActor.BlockTimes times, boolean tick) {
        topicsOf(state); // a new subnet's topic from its first block on, so it knows its subscribers by its first push
        Set<Integer> ranEpochs = new HashSet<>();
        for (EpochRecord e : result.epochs()) {
            ranEpochs.add(e.netuid());
            // netuid, block and epoch as fields too, for a log collector (cortex node --log-format json)
            context.getLog().atInfo().addKeyValue("netuid", e.netuid()).addKeyValue("block", e.block())
                    .addKeyValue("epoch", e.epochIndex()).log(e.summary(state.subnet(e.netuid()).price()));
            Metagraph metagraph = Metagraph.of(state, e.netuid());
            push(metagraph);
            long[] paid = new long[e.payout().miner().length];
            for (int uid = 0; uid < paid.length; uid++) {
                paid[uid] = e.payout().total(uid);
            }
            epochs.tell(Topic.publish(new EpochEvent(metagraph, e.input().emission(), paid, e.inputHashHex())));
        }
        for (int netuid : neuronsChanged(batch, result)) {
            if (!ranEpochs.contains(netuid) && state.subnet(netuid) != null) {
                push(Metagraph.of(state, netuid));
            }
        }
        int[] netuids = new int[result.taoIn().size()];
        long[] taoIn = new long[netuids.length];
        int i = 0;
        for (Map.Entry<Integer, Long> in : new TreeMap<>(result.taoIn()).entrySet()) {
            netuids[i] = in.getKey();
            taoIn[i++] = in.getValue();
        }
        // the header's state hash: hashing the state again would encode every subnet a second time each block
        blocks.tell(Topic.publish(new BlockEvent(state.height(), now, batch.size(), rejected, Canonical.hex(result.header().stateHash()),
                result.epochs().size(), times.applyMicros(), times.journalWriteMicros(), times.blockEmission(), netuids,
                taoIn, result.epochNanos().stream().mapToLong(nanos -> nanos / 1000).toArray())));
        for (Integer netuid : state.subnets().keySet()) {
            if (netuid != 0 && tick) {
                ticks.tick(netuid, state.height());
            }
        }
    }

    /**
     * A metagraph to its topic, unless it is too big to go whole between nodes: the nodes then read a big
     * subnet's metagraph in pages when their neurons ask, at most every few seconds ({@code NodeMetagraphs}).
     */
    private void push(Metagraph metagraph) {
        if (metagraph.sentWhole()) {
            metagraph(metagraph.netuid()).tell(Topic.publish(metagraph));
        }
    }

    /** The subnets where an accepted transaction of the block registered a neuron or served an axon. */
    private static Set<Integer> neuronsChanged(List<TransactionQueue.Pending> batch, BlockResult result) {
        Set<Integer> changed = new TreeSet<>();
        for (int i = 0; i < batch.size(); i++) {
            if (result.receipts().get(i).accepted()) {
                Transaction body = batch.get(i).transaction().body();
                if (body instanceof Transaction.ServeAxon t) {
                    changed.add(t.netuid());
                } else if (body instanceof Transaction.RegisterNeuron t) {
                    changed.add(t.netuid());
                }
            }
        }
        return changed;
    }

    private ActorRef<Topic.Command<Metagraph>> metagraph(int netuid) {
        return metagraphs.computeIfAbsent(netuid, n ->
                context.spawn(Topic.create(Metagraph.class, LedgerActor.metagraphTopic(n)), "metagraph-topic-" + n));
    }
}

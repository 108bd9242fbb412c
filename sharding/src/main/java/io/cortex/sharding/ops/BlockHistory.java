package io.cortex.sharding.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cortex.ledger.actor.LedgerViews;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The last blocks this node has seen (at most {@link #KEPT}): each one's height, time, TAO emission and the TAO
 * it minted into each subnet's pool, which is each subnet's share of emission over time (the dashboard's
 * network chart). Kept in memory since the node started; the page follows later blocks on its feed.
 */
public final class BlockHistory {
    public static final int KEPT = 512;

    private final Deque<LedgerViews.BlockEvent> blocks = new ArrayDeque<>();

    /** Keeps the blocks published on {@code topic} from now on. */
    public static BlockHistory start(ActorSystem<?> system, ActorRef<Topic.Command<LedgerViews.BlockEvent>> topic) {
        BlockHistory history = new BlockHistory();
        var subscriber = system.systemActorOf(Behaviors.<LedgerViews.BlockEvent>receiveMessage(b -> {
            history.add(b);
            return Behaviors.same();
        }), "dashboard-blocks", Props.empty());
        topic.tell(Topic.subscribe(subscriber));
        return history;
    }

    synchronized void add(LedgerViews.BlockEvent b) {
        blocks.addLast(b);
        while (blocks.size() > KEPT) {
            blocks.removeFirst();
        }
    }

    /**
     * As JSON: {@code netuids} (every subnet minted into), then per block {@code height}, {@code timeMs},
     * {@code emission} and {@code taoIn}, one number per netuid in that order (rao).
     */
    synchronized void write(JsonGenerator g) throws IOException {
        TreeSet<Integer> netuids = new TreeSet<>();
        for (LedgerViews.BlockEvent b : blocks) {
            for (int n : b.taoInNetuids()) {
                netuids.add(n);
            }
        }
        g.writeStartObject();
        g.writeArrayFieldStart("netuids");
        for (int n : netuids) {
            g.writeNumber(n);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("blocks");
        for (LedgerViews.BlockEvent b : blocks) {
            g.writeStartObject();
            g.writeNumberField("height", b.height());
            g.writeNumberField("timeMs", b.timestampMillis());
            g.writeNumberField("emission", b.blockEmission());
            g.writeArrayFieldStart("taoIn");
            int i = 0;
            for (int n : netuids) {
                while (i < b.taoInNetuids().length && b.taoInNetuids()[i] < n) {
                    i++;
                }
                g.writeNumber(i < b.taoInNetuids().length && b.taoInNetuids()[i] == n ? b.taoIn()[i] : 0);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}

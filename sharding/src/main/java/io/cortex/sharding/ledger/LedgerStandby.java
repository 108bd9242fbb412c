package io.cortex.sharding.ledger;

import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerReplay;
import io.cortex.ledger.actor.LedgerViews;
import io.cortex.ledger.state.LedgerConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readies a node to take the ledger over, once, on a thread of its own, so that a failover spends its time on
 * the blocks since the last snapshot and not on first-time work (BENCHMARKS.md, failover):
 * <ol>
 *   <li>once the ledger answers, the journal's store ({@link LedgerStore#warmUp}). It waits for the ledger so
 *   that with H2 the node holding the ledger is the one that opened the file first and serves it to the
 *   others ({@code AUTO_SERVER}); a standby serving it would pause the ledger's writes when it is lost;</li>
 *   <li>once the chain has a snapshot, on a node that does not hold the ledger, a read-only replay from that
 *   snapshot to the end of the journal ({@link LedgerReplay}, as {@code cortex replay} does): the code of a
 *   recovery, loaded and run once.</li>
 * </ol>
 * A failure is logged and changes nothing: the ledger then does the same work when it starts.
 */
public final class LedgerStandby {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerStandby.class);
    private static final Duration POLL = Duration.ofSeconds(2);

    private LedgerStandby() {
    }

    /** Starts readying this node; {@code snapshotEvery} 0 (a store without snapshots) skips the replay. */
    public static void start(ActorSystem<?> system, LedgerProxy ledger, LedgerConfig config, int snapshotEvery) {
        if (LedgerStore.kind(system.settings().config()) == LedgerStore.Kind.MEMORY) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                LedgerViews.Status status = status(system, ledger, 0);
                if (status == null) {
                    return;
                }
                LedgerStore.warmUp(system);
                status = status(system, ledger, snapshotEvery + 1L);
                String self = Cluster.get(system).selfMember().address().toString();
                if (snapshotEvery > 0 && status != null && !status.ledgerAddress().equals(self)) {
                    replay(system, config);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("this node could not ready itself to take the ledger over: {}", e.toString());
            }
        }, "ledger-standby");
        t.setDaemon(true);
        t.start();
    }

    /** The ledger's status once it has reached {@code height}; null if the node stops first. */
    private static LedgerViews.Status status(ActorSystem<?> system, LedgerProxy ledger, long height)
            throws InterruptedException {
        while (!system.whenTerminated().isCompleted()) {
            try {
                LedgerViews.Status s = ledger.ask(LedgerActor.GetStatus::new).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                if (s.height() >= height) {
                    return s;
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notYet) {
                // the ledger is starting or moving
            }
            Thread.sleep(POLL.toMillis());
        }
        return null;
    }

    private static void replay(ActorSystem<?> system, LedgerConfig config) throws InterruptedException {
        long started = System.nanoTime();
        CompletableFuture<String> done = new CompletableFuture<>();
        system.systemActorOf(LedgerReplay.create(config, Long.MAX_VALUE, new LedgerReplay.Listener() {
            private long from;

            @Override
            public void start(long height, String stateHash) {
                from = height;
            }

            @Override
            public void block(long height, int epochs) {
            }

            @Override
            public void verified(long height, String stateHash, long blocks, long epochs) {
                done.complete("from the snapshot at block " + from + ", " + blocks + " blocks replayed");
            }

            @Override
            public void diverged(long height, String recorded, String replayed) {
                done.complete("block " + height + " replays to another state than the journal's");
            }

            @Override
            public void failed(Throwable cause) {
                done.complete("the journal could not be read: " + cause);
            }
        }), "ledger-standby-replay", Props.empty());
        try {
            String outcome = done.get(60, TimeUnit.SECONDS);
            LOG.info("ready to take the ledger over: a trial recovery {} in {} ms", outcome,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("the trial recovery did not end: {}", e.toString());
        }
    }
}

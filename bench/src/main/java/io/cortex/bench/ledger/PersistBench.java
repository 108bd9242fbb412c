package io.cortex.bench.ledger;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerViews;
import io.cortex.ledger.state.LedgerConfig;
import io.cortex.ledger.fixed.Rao;
import io.cortex.ledger.tx.Receipt;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.core.identity.Address;
import io.cortex.core.identity.Keypair;
import io.cortex.sharding.ledger.LedgerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Persisted blocks per second: the ledger actor producing blocks back to back (block-time 0), each written
 * to its journal before the next, with a snapshot every 1000 blocks (the default; none in memory); empty blocks, then blocks carrying
 * signed transfers (each verified), for each store named on the command line. The in-memory journal of
 * the same run is the baseline. {@code PersistBench SECONDS STORE...} with STORE memory, h2 or postgres.
 */
public final class PersistBench {

    private PersistBench() {
    }

    private static final int SENDERS = 64;

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        // signed once, on every core, for all runs: enough for the warm-up and the measurement at well above
        // the verification rate (BENCHMARKS.md: about 2,500 verified transfers per second here)
        List<Keypair> senders = IntStream.range(0, SENDERS).mapToObj(i -> Keypair.generate()).toList();
        int perSender = Math.min(4000, (seconds + WARM_UP_SECONDS) * 6000 / SENDERS);
        System.err.printf(Locale.ROOT, "signing %,d transfers...%n", perSender * SENDERS);
        List<SignedTransaction> transfers = IntStream.range(0, perSender * SENDERS).parallel()
                .mapToObj(i -> SignedTransaction.sign(senders.get(i % SENDERS), i / SENDERS,
                        new Transaction.Transfer(senders.get(0).address(), 1)))
                .toList();
        System.out.printf(Locale.ROOT, "%-10s %-22s %14s %14s%n", "store", "blocks", "blocks/s", "transfers/s");
        for (int i = 1; i < args.length; i++) {
            for (int perBlock : new int[] {0, 100}) {
                run(args[i], seconds, perBlock, senders, transfers);
            }
        }
    }

    private static final int WARM_UP_SECONDS = 5;

    /** Submits the transactions, signed up front, keeping about {@code transfersPerBlock} waiting per block. */
    private static Thread feed(ActorSystem<LedgerActor.Command> system, List<SignedTransaction> txs, int transfersPerBlock,
                               AtomicLong accepted) {
        ActorRef<Receipt> receipts = system.systemActorOf(Behaviors.<Receipt>receiveMessage(r -> {
            if (r.accepted()) {
                accepted.incrementAndGet();
            }
            return Behaviors.same();
        }), "receipts", org.apache.pekko.actor.typed.Props.empty());
        Thread feeder = new Thread(() -> {
            long sent = 0;
            for (SignedTransaction tx : txs) {
                while (sent - accepted.get() > transfersPerBlock * 2L && !Thread.currentThread().isInterrupted()) {
                    LockSupport.parkNanos(100_000); // two cores: leave them to the ledger
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                system.tell(new LedgerActor.Submit(tx, receipts));
                sent++;
            }
        }, "feeder");
        feeder.setDaemon(true);
        feeder.start();
        return feeder;
    }

    static void run(String store, int seconds, int transfersPerBlock, List<Keypair> senders, List<SignedTransaction> txs)
            throws Exception {
        Path h2 = Files.createTempDirectory("persist-bench");
        Config config = ConfigFactory.parseString("""
                pekko.actor.provider = local
                pekko.loglevel = WARNING
                cortex.ledger.store = %s
                cortex.ledger.h2.directory = "%s"
                """.formatted(store, h2.toString().replace('\\', '/'))).withFallback(ConfigFactory.load());
        config = LedgerStore.persistenceConfig(config).withFallback(config).resolve();

        // a funded account of its own per run, so each run is a ledger (persistence id) of its own
        Map<Address, Long> balances = new TreeMap<>(LedgerConfig.devnet().balances());
        for (Keypair k : senders) {
            balances.put(k.address(), Rao.tao(1_000_000));
        }
        balances.put(Keypair.generate().address(), 1L);
        LedgerConfig ledger = LedgerConfig.devnet().withBalances(balances);
        Behavior<LedgerActor.Command> behavior = Behaviors.setup(context -> {
            LedgerStore.prepare(context.getSystem(), Duration.ofSeconds(60));
            return LedgerActor.create(ledger, List.of(), Duration.ZERO, (netuid, block) -> { },
                    LedgerStore.persistence(context.getSystem().settings().config()));
        });
        ActorSystem<LedgerActor.Command> system = ActorSystem.create(behavior, "persist-bench", config);
        AtomicLong accepted = new AtomicLong();
        Thread feeder = null;
        try {
            if (transfersPerBlock > 0) {
                feeder = feed(system, txs, transfersPerBlock, accepted);
            }
            Thread.sleep(WARM_UP_SECONDS * 1000L);
            LedgerViews.Status s0 = status(system);
            long a0 = accepted.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            LedgerViews.Status s1 = status(system);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%-10s %-22s %14.1f %14.1f%n", store,
                    transfersPerBlock == 0 ? "empty" : "~" + transfersPerBlock + " transfers each",
                    (s1.height() - s0.height()) / elapsed, (accepted.get() - a0) / elapsed);
        } finally {
            if (feeder != null) {
                feeder.interrupt();
            }
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    static LedgerViews.Status status(ActorSystem<LedgerActor.Command> system) throws Exception {
        return AskPattern.<LedgerActor.Command, LedgerViews.Status>ask(system, LedgerActor.GetStatus::new,
                Duration.ofSeconds(30), system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}

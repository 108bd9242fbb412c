package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cortex.deploy.cli.Api;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.TransactionCodec;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.QueryRequest;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import io.cortex.protocol.api.SubmitReply;
import io.cortex.protocol.api.SubmitRequest;
import io.cortex.protocol.identity.DevKeys;
import io.cortex.protocol.identity.Keypair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A testnet of three real processes under steady transactions and queries loses the node that holds the
 * ledger to {@code kill -9}: blocks resume on another node, every transaction whose submission succeeded is
 * in the ledger, conservation holds and {@code replay} verifies every hash. Then the whole testnet stops and
 * starts again: it resumes at the same state hash and its epochs go on.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ChaosTest {

    @TempDir
    Path home;

    @AfterEach
    void down() {
        // the end of every node's log first: on a failure, what the cluster did is the first thing to look at
        TestnetState.read(home.resolve("testnet")).ifPresent(state -> state.nodes().forEach(n ->
                System.out.println("---- " + n.log() + "\n" + Testnet.tail(n.log(), 30))));
        CliRun.of("testnet", "down");
        System.clearProperty("cortex.home");
    }

    @Test
    void theLedgerSurvivesKillMinus9AndAFullRestart() throws Exception {
        System.setProperty("cortex.home", home.toString());
        CliRun.ok("testnet", "up", "--detach", "--nodes", "3", "--subnets", "1", "--miners", "6", "--validators", "2",
                "--block-time", "100ms", "--tempo", "20");
        Path dir = home.resolve("testnet");
        TestnetState state = TestnetState.read(dir).orElseThrow();

        StatusReply first;
        try (Api api = new Api(state.nodes().get(0).grpc())) {
            first = api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
        }
        TestnetState.Node victim = state.nodes().stream()
                .filter(n -> first.getLedgerAddress().endsWith(":" + n.clusterPort())).findFirst().orElseThrow();
        TestnetState.Node survivor = state.nodes().stream().filter(n -> n != victim).findFirst().orElseThrow();

        try (Api api = new Api(survivor.grpc()); Load load = new Load(api)) {
            load.start();
            Thread.sleep(4_000);
            long heightAtKill = status(api).getHeight();
            long killedAt = System.nanoTime();
            ProcessHandle.of(victim.pid()).orElseThrow().destroyForcibly(); // kill -9
            long resumedAfterMillis = -1;
            while (System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(60)) {
                try {
                    // a short wait: while the ledger moves, an answer does not come, and the next poll asks again
                    StatusReply s = api.ledger().status(StatusRequest.getDefaultInstance()).toCompletableFuture()
                            .get(1, TimeUnit.SECONDS);
                    if (s.getHeight() > heightAtKill + 1 && !s.getLedgerAddress().equals(first.getLedgerAddress())) {
                        resumedAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
                        break;
                    }
                } catch (Exception e) {
                    // the ledger is moving: no answer, or a timeout
                }
                Thread.sleep(200);
            }
            System.out.println("blocks resumed " + resumedAfterMillis + " ms after kill -9 of " + victim.name()
                    + "; transactions acknowledged so far " + load.acknowledged() + ", queries answered " + load.queries.get());
            for (TestnetState.Node n : state.nodes()) {
                if (n != victim) {
                    java.nio.file.Files.readAllLines(n.log()).stream()
                            .filter(l -> l.matches(".*(UNREACHABLE|SBR took|removing unreachable|ledger starts|journal is ready|recovered at).*"))
                            .forEach(l -> System.out.println("  " + n.name() + ": " + l.substring(0, Math.min(140, l.length()))));
                }
            }
            assertTrue(resumedAfterMillis > 0 && resumedAfterMillis < 15_000,
                    "blocks resume on another node within 15 s (" + resumedAfterMillis + " ms)");
            long acknowledgedBefore = load.acknowledged();
            Thread.sleep(4_000);
            load.close();
            assertTrue(load.acknowledged() > acknowledgedBefore, "transactions go through after the failover");
            assertTrue(load.queries.get() > 0, "queries were answered");

            // every transaction whose submission succeeded is in the ledger: its sender's nonce passed it
            for (Map.Entry<Keypair, Long> e : load.lastAcknowledged.entrySet()) {
                long nonce = api.call(api.ledger().balance(AccountRequest.newBuilder()
                        .setAddress(e.getKey().address().toString()).build())).getNonce();
                assertTrue(nonce > e.getValue(), "acknowledged nonce " + e.getValue() + " is in the ledger (now " + nonce + ")");
            }
            assertEquals(List.of(), status(api).getConservationViolationsList());
        }
        CliRun replay = CliRun.ok("replay", "--data", dir.toString());
        assertTrue(replay.out().contains("every state hash matches"), replay.out());

        // full stop and restart: the same state, and the epochs go on
        CliRun.ok("testnet", "down");
        CliRun stopped = CliRun.ok("replay", "--data", dir.toString());
        Matcher last = Pattern.compile("state at block (\\d+): ([0-9a-f]{64})").matcher(stopped.out());
        assertTrue(last.find(), stopped.out());
        long lastEpoch;
        CliRun.ok("testnet", "up", "--detach", "--nodes", "3", "--subnets", "1", "--miners", "6", "--validators", "2",
                "--block-time", "100ms", "--tempo", "20");
        TestnetState restarted = TestnetState.read(dir).orElseThrow();
        try (Api api = new Api(restarted.nodes().get(1).grpc())) {
            StatusReply s = status(api);
            assertEquals(Long.parseLong(last.group(1)), s.getRecoveredHeight());
            assertEquals(last.group(2), s.getRecoveredStateHash());
            lastEpoch = metagraph().getEpochIndex();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (metagraph().getEpochIndex() <= lastEpoch + 1) {
                assertTrue(System.nanoTime() < deadline, "epochs continue after the restart");
                Thread.sleep(300);
            }
        }
        CliRun.ok("testnet", "down");
        for (TestnetState.Node n : restarted.nodes()) {
            assertFalse(ProcessHandle.of(n.pid()).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    private static StatusReply status(Api api) throws Exception {
        return api.ledger().status(StatusRequest.getDefaultInstance()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static Metagraph metagraph() {
        return CliRun.ok("metagraph", "--netuid", "1", "--json").json(Metagraph.newBuilder()).build();
    }

    /** Transfers from four dev accounts, one at a time each, and end users' queries, until closed. */
    static final class Load implements AutoCloseable {
        final Api api;
        final AtomicBoolean running = new AtomicBoolean(true);
        final Map<Keypair, Long> lastAcknowledged = new ConcurrentHashMap<>();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong queries = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();

        Load(Api api) {
            this.api = api;
        }

        void start() {
            for (String name : List.of("charlie", "dave", "eve", "ferdie")) {
                Keypair sender = DevKeys.coldkey(name);
                threads.add(new Thread(() -> transfers(sender), "load-" + name));
            }
            threads.add(new Thread(this::queries, "load-queries"));
            threads.forEach(Thread::start);
        }

        long acknowledged() {
            return acknowledged.get();
        }

        private void transfers(Keypair sender) {
            long nonce = -1;
            while (running.get()) {
                try {
                    if (nonce < 0) {
                        nonce = api.ledger().balance(AccountRequest.newBuilder().setAddress(sender.address().toString()).build())
                                .toCompletableFuture().get(5, TimeUnit.SECONDS).getNonce();
                    }
                    SignedTransaction tx = SignedTransaction.sign(sender, nonce,
                            new Transaction.Transfer(DevKeys.coldkey("alice").address(), 1));
                    SubmitReply r = api.ledger().submit(SubmitRequest.newBuilder()
                            .setTransaction(ByteString.copyFrom(TransactionCodec.encode(tx))).build())
                            .toCompletableFuture().get(10, TimeUnit.SECONDS);
                    if (r.getAccepted()) {
                        lastAcknowledged.put(sender, nonce);
                        acknowledged.incrementAndGet();
                        nonce++;
                    } else {
                        nonce = -1; // its fate was unknown once; ask the ledger where the account stands
                    }
                } catch (Exception e) {
                    nonce = -1;
                    pause();
                }
            }
        }

        private void queries() {
            while (running.get()) {
                try {
                    api.network().query(QueryRequest.newBuilder().setNetuid(1).setText("3 4 5 mod 7").setTop(2).build())
                            .toCompletableFuture().get(5, TimeUnit.SECONDS);
                    queries.incrementAndGet();
                } catch (Exception e) {
                    pause();
                }
                pause();
            }
        }

        private static void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(20_000);
            }
        }
    }
}

package io.cortex.deploy.testnet;

import static io.cortex.deploy.testnet.LiveTestnet.awaitUntil;
import static io.cortex.deploy.testnet.LiveTestnet.quietly;
import static io.cortex.deploy.testnet.LiveTestnet.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cortex.deploy.cli.Api;
import io.cortex.ledger.tx.SignedTransaction;
import io.cortex.ledger.tx.Transaction;
import io.cortex.ledger.tx.TransactionCodec;
import io.cortex.protocol.api.AccountRequest;
import io.cortex.protocol.api.EpochRequest;
import io.cortex.protocol.api.Metagraph;
import io.cortex.protocol.api.MinerAnswer;
import io.cortex.protocol.api.NetuidRequest;
import io.cortex.protocol.api.Neuron;
import io.cortex.protocol.api.QueryReply;
import io.cortex.protocol.api.QueryRequest;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.SubmitReply;
import io.cortex.protocol.api.SubmitRequest;
import io.cortex.core.identity.DevKeys;
import io.cortex.core.identity.Keypair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * A testnet of four real processes under steady transactions and queries loses the node that holds the ledger
 * (the oldest, which also hosts the shard coordinators) to {@code kill -9}, and once it has healed, the node
 * that took the ledger over: a majority is left each time (3 of 4, then 2 of 3). After each loss blocks resume
 * on another node, and within four epochs every miner of the lost node serves a live node's axon, answers
 * queries there and earns in an epoch after it moved, and every validator sets weights again and earns
 * dividends (a validator serves no axon, so those of the lost node are found among all). Every transaction
 * whose submission succeeded is in the ledger, conservation holds and {@code replay} verifies every hash.
 * Then the testnet stops and starts again: it resumes at the same state hash and its epochs go on.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class ChaosTest {

    /**
     * Epochs the lost node's neurons have to answer and earn again after a kill. A validator that moved has lost its
     * scores and its pending commit: it scores for an epoch, commits, reveals an epoch later (reveal period 1), and the
     * epoch after that pays; when the one with most stake moved, a moved miner earns 3 epochs after it serves again
     * (2026-12-07: served in the kill's epoch, earned 3 later), and serving again can take into the next epoch.
     */
    static final int HEAL_EPOCHS = 4;
    static final int MINERS = 8;
    static final int VALIDATORS = 4;
    /** Linear weighting: every miner earns something, so "earns again" holds for each of them. */
    static final String[] UP = {"testnet", "up", "--detach", "--outside", "0", "--nodes", "4", "--subnets", "1", "--miners",
        Integer.toString(MINERS), "--validators", Integer.toString(VALIDATORS), "--block-time", "100ms", "--tempo", "50",
        "--weighting", "linear"};

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path home;

    private final Map<String, Api> apis = new LinkedHashMap<>();

    @AfterEach
    void down() {
        apis.values().forEach(Api::close);
        LiveTestnet.down(home, 30);
    }

    @Test
    void aFourNodeTestnetHealsAfterLosingTheOldestNodeAndThenTheNextLedgerHolder() throws Exception {
        System.setProperty("cortex.home", home.toString());
        CliRun.ok(UP);
        Path dir = home.resolve("testnet");
        TestnetState state = TestnetState.read(dir).orElseThrow();
        List<TestnetState.Node> alive = new ArrayList<>(state.nodes());
        alive.forEach(n -> apis.put(n.name(), new Api(n.grpc())));
        // Until the activity cutoff has passed since they registered, the owner and the miners count as active: their
        // stake (the owner's cut and the miners' incentive, paid as stake) weighs in the consensus with no weights.
        // At the default cutoff (13.9 tempos) it passes half of the active stake around epoch 11 and no miner earns,
        // until the owner turns inactive (Yuma's rules: ChaosTest once took that for a failed heal). The kills come
        // after that window, which the owner (alice) shortens to 8 tempos: still twice the epochs a moved validator
        // takes to set weights again (HEAL_EPOCHS), so that no validator turns inactive while it heals
        CliRun.ok("subnet", "hyperparameters", "1", "--set", "activity_cutoff_factor_milli=8000", "--wallet", "alice");
        awaitUntil(150, "every miner serving and earning, every validator earning, the owner no longer active", () -> {
            Metagraph m = metagraph(api(alive.get(0)));
            return m != null && miners(m).size() == MINERS && validators(m).size() == VALIDATORS
                    && miners(m).stream().allMatch(n -> !n.getAxon().isEmpty() && n.getIncentive() > 0)
                    && validators(m).stream().allMatch(n -> n.getDividends() > 0)
                    && m.getNeuronsList().stream().noneMatch(n -> n.getHotkey().equals(m.getOwnerHotkey()) && n.getActive());
        });

        TestnetState.Node first = LiveTestnet.ledgerHost(alive);
        TestnetState.Node loadNode = alive.stream().filter(n -> n != first).findFirst().orElseThrow();
        // an epoch's explanation, to be asked for again after each loss of the ledger and after the restart:
        // those ledgers re-apply only the blocks after their latest snapshot, so it comes from the epoch archive
        String[] explainFirstEpoch = {"explain", "--netuid", "1", "--uid", "0", "--epoch", "1", "--json", "--node", null};
        explainFirstEpoch[explainFirstEpoch.length - 1] = loadNode.grpc();
        String firstEpoch = CliRun.ok(explainFirstEpoch).out();
        assertTrue(firstEpoch.contains("\"epoch\": \"1\""), firstEpoch);
        try (Load load = new Load(api(loadNode))) {
            load.start();
            awaitUntil(30, "transactions acknowledged before the first kill", () -> load.acknowledged() >= 8);

            killAndHeal(first, alive, load, "the oldest node");

            TestnetState.Node second = LiveTestnet.ledgerHost(alive);
            if (second == loadNode) {
                loadNode = alive.stream().filter(n -> n != second).findFirst().orElseThrow();
                load.use(api(loadNode));
            }
            long acknowledged = load.acknowledged();
            awaitUntil(30, "transactions acknowledged after the first kill", () -> load.acknowledged() > acknowledged + 8);

            killAndHeal(second, alive, load, "the node that took the ledger over");

            long acknowledgedAfter = load.acknowledged();
            awaitUntil(30, "transactions acknowledged after the second kill", () -> load.acknowledged() > acknowledgedAfter + 8);
            load.close();
            assertTrue(load.queries.get() > 0, "queries were answered: " + load.queries.get() + ", failed " + load.failedQueries.get());
            System.out.println("transactions acknowledged " + load.acknowledged() + ", queries answered "
                    + load.queries.get() + ", failed " + load.failedQueries.get());

            // every transaction whose submission succeeded is in the ledger: its sender's nonce passed it
            Api api = api(loadNode);
            for (Map.Entry<Keypair, Long> e : load.lastAcknowledged.entrySet()) {
                long nonce = api.call(api.ledger().balance(AccountRequest.newBuilder()
                        .setAddress(e.getKey().address().toString()).build())).getNonce();
                assertTrue(nonce > e.getValue(), "acknowledged nonce " + e.getValue() + " is in the ledger (now " + nonce + ")");
            }
            assertEquals(List.of(), status(api).getConservationViolationsList());
            explainFirstEpoch[explainFirstEpoch.length - 1] = loadNode.grpc();
            assertEquals(firstEpoch, CliRun.ok(explainFirstEpoch).out(), "epoch 1 explained after two failovers");
            growAndShrink(dir, loadNode);
        }
        CliRun replay = CliRun.ok("replay", "--data", dir.toString());
        assertTrue(replay.out().contains("every state hash matches"), replay.out());

        // full stop and restart: the same state, and the epochs go on
        apis.values().forEach(Api::close);
        apis.clear();
        CliRun.ok("testnet", "down");
        // replayed with --report, the history also re-runs as a counterfactual under the recorded rule: every
        // epoch the same, to its input hash and payout, and the same final state
        Path sameRule = dir.resolveSibling("replay-recorded-rule");
        CliRun stopped = CliRun.ok("replay", "--data", dir.toString(), "--report", sameRule.toString());
        Matcher last = Pattern.compile("state at block (\\d+): ([0-9a-f]{64})").matcher(stopped.out());
        assertTrue(last.find(), stopped.out());
        Matcher epochs = Pattern.compile("(\\d+) blocks, (\\d+) epochs").matcher(stopped.out());
        assertTrue(epochs.find() && Long.parseLong(epochs.group(2)) > 0, stopped.out());
        assertTrue(stopped.out().contains("epochs with the same input (hash) " + epochs.group(2) + ", the same payout "
                + epochs.group(2) + ", unmatched 0; transactions refused on one side only 0"), stopped.out());
        assertTrue(stopped.out().contains("counterfactual state hash " + last.group(2)), stopped.out());
        // under mean consensus the same history pays some neurons differently, and the report says who
        Path mean = dir.resolveSibling("replay-mean");
        CliRun counterfactual = CliRun.ok("replay", "--data", dir.toString(), "--consensus", "mean", "--report", mean.toString());
        assertTrue(counterfactual.out().contains("counterfactual: consensus mean instead of"), counterfactual.out());
        List<String> neurons = java.nio.file.Files.readAllLines(mean.resolve("neurons.csv"));
        assertTrue(neurons.stream().skip(1).anyMatch(row -> !row.endsWith(",0")), "some neuron is paid differently: " + neurons);
        assertTrue(java.nio.file.Files.readString(mean.resolve("report.html")).contains("consensus mean instead of"));
        CliRun.ok(UP);
        TestnetState restarted = TestnetState.read(dir).orElseThrow();
        Api api = api(restarted.nodes().get(1));
        StatusReply s = status(api);
        assertEquals(Long.parseLong(last.group(1)), s.getRecoveredHeight());
        assertEquals(last.group(2), s.getRecoveredStateHash());
        explainFirstEpoch[explainFirstEpoch.length - 1] = restarted.nodes().get(1).grpc();
        assertEquals(firstEpoch, CliRun.ok(explainFirstEpoch).out(), "epoch 1 explained after the restart");
        long lastEpoch = awaitMetagraph(api).getEpochIndex();
        awaitUntil(60, "epochs going on after the restart", () -> {
            Metagraph m = metagraph(api);
            return m != null && m.getEpochIndex() > lastEpoch + 1;
        });
        CliRun.ok("testnet", "down");
        for (TestnetState.Node n : restarted.nodes()) {
            assertFalse(ProcessHandle.of(n.pid()).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    /**
     * The cluster of the two nodes left grows by one ({@code testnet add-node}): the miners rebalance onto it and serve
     * their axons there, and every miner answers an end user's query. Then the new node leaves gracefully
     * ({@code testnet remove-node}): its miners move back, and every miner answers again.
     */
    private void growAndShrink(Path dir, TestnetState.Node observer) throws Exception {
        long started = System.nanoTime();
        CliRun added = CliRun.ok("testnet", "add-node");
        TestnetState grown = TestnetState.read(dir).orElseThrow();
        TestnetState.Node fresh = grown.nodes().get(grown.nodes().size() - 1);
        assertTrue(added.out().contains("node " + fresh.name() + " up"), added.out());
        apis.put(fresh.name(), new Api(fresh.grpc()));
        String freshAxon = status(api(fresh)).getAxonChannel();
        Api api = api(observer);
        // 8 miners over 3 nodes (each entity type is placed apart: validators are shards of their own type): a
        // subnet's miners move until no node holds two more than another, so 2 or more reach the new node
        awaitUntil(90, "miners serving from " + fresh.name() + " and every miner answering", () -> {
            Metagraph m = metagraph(api);
            return m != null && miners(m).stream().filter(n -> n.getAxon().equals(freshAxon)).count() >= 2
                    && everyMinerAnswers(api);
        });
        System.out.printf("add-node: miners moved onto %s and every miner answered after %.1f s%n", fresh.name(),
                (System.nanoTime() - started) / 1e9);

        started = System.nanoTime();
        CliRun removed = CliRun.ok("testnet", "remove-node", fresh.name());
        assertTrue(removed.out().contains("node " + fresh.name() + " stopped"), removed.out());
        apis.remove(fresh.name()).close();
        assertTrue(TestnetState.read(dir).orElseThrow().nodes().stream().noneMatch(n -> n.name().equals(fresh.name())));
        awaitUntil(90, "no miner serving from " + fresh.name() + " and every miner answering", () -> {
            Metagraph m = metagraph(api);
            return m != null && miners(m).stream().noneMatch(n -> n.getAxon().equals(freshAxon)) && everyMinerAnswers(api);
        });
        System.out.printf("remove-node: every miner answered from the other nodes after %.1f s%n",
                (System.nanoTime() - started) / 1e9);
    }

    /** An end user's query to every miner of the subnet is answered by each. */
    private static boolean everyMinerAnswers(Api api) {
        Set<String> answered = answeredBy(api, MINERS, 1500);
        return answered != null && answered.size() == MINERS;
    }

    /**
     * The hotkeys of the miners that answered an end user's query to subnet 1's top {@code top} miners, each given
     * {@code timeoutMs}; null when the node did not answer.
     */
    private static Set<String> answeredBy(Api api, int top, int timeoutMs) {
        QueryReply reply = quietly(() -> api.network().query(QueryRequest.newBuilder().setNetuid(1).setText("3 4 5 mod 7")
                .setTop(top).setTimeoutMs(timeoutMs).build()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        return reply == null ? null : reply.getAnswersList().stream().filter(a -> a.getStatus() == 200)
                .map(MinerAnswer::getHotkey).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Kills {@code victim} with {@code kill -9} and waits, with deadlines, for blocks to resume on another node
     * and for its neurons to heal within {@link #HEAL_EPOCHS} epochs; removes it from {@code alive}.
     */
    private void killAndHeal(TestnetState.Node victim, List<TestnetState.Node> alive, Load load, String which)
            throws Exception {
        String lostAxon = status(api(victim)).getAxonChannel();
        alive.remove(victim);
        TestnetState.Node observer = alive.get(alive.size() - 1);
        Api api = api(observer);
        Metagraph before = awaitMetagraph(api);
        Set<String> lost = new TreeSet<>();
        miners(before).stream().filter(n -> n.getAxon().equals(lostAxon)).forEach(n -> lost.add(n.getHotkey()));
        assertFalse(lost.isEmpty(), victim.name() + " runs no miner");
        long killEpoch = before.getEpochIndex();

        LiveTestnet.Failover failover = LiveTestnet.killLedgerHost(victim, api, 60);
        long heightAtKill = failover.heightAtKill();
        System.out.println("kill -9 of " + which + " (" + victim.name() + "): blocks resumed after "
                + failover.millis() + " ms; transactions acknowledged so far " + load.acknowledged());
        assertTrue(failover.millis() < 10_000, "blocks resume within 10 s (" + failover.millis() + " ms)");

        Set<String> liveAxons = new HashSet<>();
        for (TestnetState.Node n : alive) {
            liveAxons.add(status(api(n)).getAxonChannel());
        }
        Map<String, Long> servedAt = new HashMap<>();
        Set<String> answered = new HashSet<>();
        Set<String> earned = new HashSet<>();
        long[] epoch = {killEpoch};
        try {
            awaitHealed(api, lost, liveAxons, servedAt, answered, earned, epoch, killEpoch, heightAtKill);
        } catch (AssertionError e) {
            // what the epochs after the kill were given: each validator's weights, stake, permit and last update
            for (long k = killEpoch + 1; k <= epoch[0]; k++) {
                long index = k;
                System.out.println("epoch " + k + " input: " + quietly(() -> api.ledger().epoch(EpochRequest.newBuilder()
                        .setNetuid(1).setEpoch(index).build()).toCompletableFuture().get(5, TimeUnit.SECONDS).getInputJson()));
            }
            throw e;
        }
        System.out.println("  healed by epoch " + epoch[0] + " (the kill at epoch " + killEpoch + "): " + lost.size()
                + " miners moved from " + victim.name() + ", serving again in epochs " + servedAt.values());
    }

    private void awaitHealed(Api api, Set<String> lost, Set<String> liveAxons, Map<String, Long> servedAt,
                             Set<String> answered, Set<String> earned, long[] epoch, long killEpoch, long heightAtKill)
            throws InterruptedException {
        awaitUntil(120, "the lost miners " + lost + " serving live axons, answering and earning, and every validator "
                + "setting weights and earning", () -> {
            Metagraph m = metagraph(api);
            if (m == null) {
                return false;
            }
            epoch[0] = m.getEpochIndex();
            assertTrue(epoch[0] <= killEpoch + HEAL_EPOCHS, "not healed within " + HEAL_EPOCHS + " epochs of the kill "
                    + "(epoch " + killEpoch + "): served again " + servedAt.keySet() + ", answered " + answered
                    + ", earned " + earned + " of " + lost + "; validators " + validators(m).stream()
                    .map(n -> "uid " + n.getUid() + " last update " + n.getLastUpdate() + " dividends " + n.getDividends())
                    .toList() + " (kill at block " + heightAtKill + ")");
            for (Neuron n : miners(m)) {
                if (lost.contains(n.getHotkey()) && liveAxons.contains(n.getAxon())) {
                    servedAt.putIfAbsent(n.getHotkey(), m.getEpochIndex());
                    if (n.getIncentive() > 0 && m.getEpochIndex() > servedAt.get(n.getHotkey())) {
                        earned.add(n.getHotkey());
                    }
                }
            }
            if (servedAt.keySet().containsAll(lost) && !answered.containsAll(lost)) {
                Set<String> answering = answeredBy(api, 64, 2000);
                if (answering != null) {
                    answering.stream().filter(lost::contains).forEach(answered::add);
                }
            }
            boolean validatorsBack = validators(m).stream()
                    .allMatch(n -> n.getLastUpdate() > heightAtKill && n.getDividends() > 0);
            return earned.containsAll(lost) && answered.containsAll(lost) && validatorsBack;
        });
    }


    private Api api(TestnetState.Node node) {
        return apis.computeIfAbsent(node.name(), k -> new Api(node.grpc()));
    }


    /** Subnet 1's metagraph as the node's API gives it, or null if the ledger does not answer now. */
    private static Metagraph metagraph(Api api) {
        return quietly(() -> api.ledger().subnet(NetuidRequest.newBuilder().setNetuid(1).build()).toCompletableFuture()
                .get(5, TimeUnit.SECONDS).getMetagraph());
    }

    /**
     * Subnet 1's metagraph, asked again while the ledger does not answer within its 5 s: on two cores with four
     * nodes and a standby's trial recovery, a read can wait that long without anything being wrong.
     */
    private static Metagraph awaitMetagraph(Api api) throws Exception {
        long giveUp = System.currentTimeMillis() + 60_000;
        Metagraph m = metagraph(api);
        while (m == null) {
            assertTrue(System.currentTimeMillis() < giveUp, "the ledger answers a metagraph read within 60 s");
            Thread.sleep(500);
            m = metagraph(api);
        }
        return m;
    }

    /** The neurons that serve an axon (a lost node's miners keep its axon until they serve again). */
    private static List<Neuron> miners(Metagraph m) {
        return m.getNeuronsList().stream().filter(n -> !n.getAxon().isEmpty()).toList();
    }

    /** The neurons but the owner that serve no axon: the validators, once every miner has served. */
    private static List<Neuron> validators(Metagraph m) {
        return m.getNeuronsList().stream().filter(n -> n.getAxon().isEmpty() && !n.getHotkey().equals(m.getOwnerHotkey()))
                .toList();
    }

    /** Transfers from four dev accounts, one at a time each, and end users' queries (three at a time), until closed. */
    static final class Load implements AutoCloseable {
        volatile Api api;
        final AtomicBoolean running = new AtomicBoolean(true);
        final Map<Keypair, Long> lastAcknowledged = new ConcurrentHashMap<>();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong queries = new AtomicLong();
        final AtomicLong failedQueries = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();

        Load(Api api) {
            this.api = api;
        }

        void start() {
            for (String name : List.of("charlie", "dave", "eve", "ferdie")) {
                Keypair sender = DevKeys.coldkey(name);
                threads.add(new Thread(() -> transfers(sender), "load-" + name));
            }
            for (int i = 1; i <= 3; i++) {
                threads.add(new Thread(this::queries, "load-queries-" + i));
            }
            threads.forEach(Thread::start);
        }

        /** Sends from now on through another node (the one used is to be killed). */
        void use(Api other) {
            api = other;
        }

        long acknowledged() {
            return acknowledged.get();
        }

        private void transfers(Keypair sender) {
            long nonce = -1;
            while (running.get()) {
                Api a = api;
                try {
                    if (nonce < 0) {
                        nonce = a.ledger().balance(AccountRequest.newBuilder().setAddress(sender.address().toString()).build())
                                .toCompletableFuture().get(5, TimeUnit.SECONDS).getNonce();
                    }
                    SignedTransaction tx = SignedTransaction.sign(sender, nonce,
                            new Transaction.Transfer(DevKeys.coldkey("alice").address(), 1));
                    SubmitReply r = a.ledger().submit(SubmitRequest.newBuilder()
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
                    QueryReply reply = api.network().query(QueryRequest.newBuilder().setNetuid(1).setText("3 4 5 mod 7")
                            .setTop(2).build()).toCompletableFuture().get(5, TimeUnit.SECONDS);
                    // answered: a miner's answer came to 3^4 mod 7 = 4 (a reply of timeouts is not an answer)
                    if (reply.getAggregate().equals(reply.getExpected()) && !reply.getAggregate().isEmpty()) {
                        queries.incrementAndGet();
                    } else {
                        failedQueries.incrementAndGet();
                    }
                } catch (Exception e) {
                    failedQueries.incrementAndGet();
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

package io.cortex.deploy.testnet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.deploy.cli.Api;
import io.cortex.protocol.api.StatusReply;
import io.cortex.protocol.api.StatusRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A testnet of real node processes for one test, in a cortex home of its own: brought up with
 * {@code testnet up --detach}, asked where the ledger singleton runs, awaited with deadlines, and, registered as
 * an extension, brought down after the test with the end of every node's log printed (on a failure, what the
 * cluster did is the first thing to look at).
 */
final class LiveTestnet implements BeforeEachCallback, AfterEachCallback {
    private final int tail;
    private Path home;

    /** @param tail how many lines of each node's log to print after the test */
    LiveTestnet(int tail) {
        this.tail = tail;
    }

    /** The test's cortex home: wallets, the testnet's data, the outside neurons' logs. */
    Path home() {
        return home;
    }

    /**
     * A fast testnet of one subnet ({@code testnet up --detach}): 100 ms blocks, a tempo of 20 (2 s epochs),
     * validators querying every 100 ms; {@code more} options after those.
     */
    TestnetState up(int nodes, int miners, int validators, String... more) {
        return up(home, Stream.concat(Stream.of("--nodes", Integer.toString(nodes), "--subnets", "1",
                "--miners", Integer.toString(miners), "--validators", Integer.toString(validators),
                "--block-time", "100ms", "--tempo", "20", "--round-interval", "100ms"), Stream.of(more))
                .toArray(String[]::new));
    }

    /** {@code cortex testnet up --detach ARGS} with {@code home} as the cortex home; the testnet it started. */
    static TestnetState up(Path home, String... args) {
        System.setProperty("cortex.home", home.toString());
        CliRun.ok(Stream.concat(Stream.of("testnet", "up", "--detach"), Stream.of(args)).toArray(String[]::new));
        return TestnetState.read(home.resolve("testnet")).orElseThrow();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        home = Files.createTempDirectory("cortex-test");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        down(home, tail);
        deleteTree(home);
    }

    /** Deletes {@code dir} and everything under it. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Prints the last {@code tail} lines of every node's log, then {@code cortex testnet down}. */
    static void down(Path home, int tail) {
        TestnetState.read(home.resolve("testnet")).ifPresent(state -> state.nodes().forEach(n ->
                System.out.println("---- " + n.log() + "\n" + Testnet.tail(n.log(), tail))));
        CliRun.of("testnet", "down");
        System.clearProperty("cortex.home");
    }

    static StatusReply status(TestnetState.Node node) {
        try (Api api = new Api(node.grpc())) {
            return status(api);
        }
    }

    /**
     * The node's status, asked again for up to 30 s while the ledger does not answer within its 5 s: on two cores
     * with four nodes under load, a ledger's answer can be that late without anything being wrong.
     */
    static StatusReply status(Api api) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return api.call(api.ledger().status(StatusRequest.getDefaultInstance()));
            } catch (RuntimeException e) {
                if (System.nanoTime() > giveUp || !String.valueOf(e.getMessage()).contains("did not answer")) {
                    throw e;
                }
            }
        }
    }

    /** The node of {@code nodes} whose cluster port the ledger singleton's address names. */
    static TestnetState.Node ledgerHost(List<TestnetState.Node> nodes) {
        String address = status(nodes.get(0)).getLedgerAddress();
        return nodes.stream().filter(n -> address.endsWith(":" + n.clusterPort())).findFirst()
                .orElseThrow(() -> new AssertionError("none of " + nodes + " holds the ledger (" + address + ")"));
    }

    /** A ledger failover as a test saw it: the height when the ledger's host was killed, and when blocks resumed. */
    record Failover(long heightAtKill, StatusReply resumed, long millis) {
    }

    /**
     * {@code kill -9} of the node that hosts the ledger singleton, then waits until a ledger on another node
     * answers {@code observer} (a surviving node's API) with blocks past the height at the kill. Fails after
     * {@code seconds}.
     */
    static Failover killLedgerHost(TestnetState.Node host, Api observer, int seconds) throws InterruptedException {
        StatusReply before = status(observer);
        String lostLedger = before.getLedgerAddress();
        assertTrue(lostLedger.endsWith(":" + host.clusterPort()), host.name() + " holds the ledger (" + lostLedger + ")");
        long killedAt = System.nanoTime();
        ProcessHandle killed = ProcessHandle.of(host.pid()).orElseThrow();
        killed.destroyForcibly();
        removeAeronDirectory(killed, host.log());
        StatusReply[] resumed = {null};
        awaitUntil(seconds, "blocks from a ledger on another node than " + lostLedger, () -> {
            StatusReply s = quietly(() -> observer.ledger().status(StatusRequest.getDefaultInstance()).toCompletableFuture()
                    .get(1, TimeUnit.SECONDS));
            resumed[0] = s;
            return s != null && s.getHeight() > before.getHeight() + 1 && !s.getLedgerAddress().equals(lostLedger);
        });
        return new Failover(before.getHeight(), resumed[0], (System.nanoTime() - killedAt) / 1_000_000);
    }

    /**
     * Once the node killed with {@code kill -9} has exited, removes the Aeron directory its log names (a node stopped
     * gracefully removes its own): the test leaves nothing under /dev/shm.
     */
    static void removeAeronDirectory(ProcessHandle killed, Path log) throws InterruptedException {
        try {
            killed.onExit().get(10, TimeUnit.SECONDS);
            removeAeronDirectory(Files.readString(log, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
            System.out.println("the Aeron directory of the killed node is left: " + e);
        }
    }

    /** Removes the Aeron directory a stopped node's output names last ("aeron DIR, dashboard"), if it is still there. */
    static void removeAeronDirectory(String nodeOutput) throws IOException {
        java.util.regex.Matcher aeron = java.util.regex.Pattern.compile(", aeron (\\S+), dashboard").matcher(nodeOutput);
        String last = null;
        while (aeron.find()) {
            last = aeron.group(1); // a log that an earlier node of the same name wrote to names others first
        }
        if (last != null && Files.isDirectory(Path.of(last))) {
            deleteTree(Path.of(last));
        }
    }

    /**
     * Polls {@code condition} every 300 ms until it holds; fails after {@code seconds}. This and the two below are
     * how the deploy tests wait: for a condition, with a deadline, never for a fixed time.
     */
    static void awaitUntil(int seconds, String what, BooleanSupplier condition) throws InterruptedException {
        awaitUntil(Duration.ofSeconds(seconds), () -> what, condition);
    }

    /**
     * Polls {@code condition} every 300 ms until it holds; fails after {@code timeout}, saying {@code what} was
     * awaited, told then (so it can show what was last seen). The condition may fail sooner by itself, when what
     * it waits for can no longer come (a process it needs exited).
     */
    static void awaitUntil(Duration timeout, Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        awaitValue(timeout, what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** The first value {@code poll} gives (not null), polled every 300 ms; fails as {@link #awaitUntil} does. */
    static <T> T awaitValue(Duration timeout, Supplier<String> what, Supplier<T> poll) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = poll.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
            }
            Thread.sleep(300);
        }
    }

    interface Call<T> {
        T get() throws Exception;
    }

    /** The call's answer, or null when it failed: the ledger is moving, or the node is busy; the next poll asks again. */
    static <T> T quietly(Call<T> call) {
        try {
            return call.get();
        } catch (Exception e) {
            return null;
        }
    }
}

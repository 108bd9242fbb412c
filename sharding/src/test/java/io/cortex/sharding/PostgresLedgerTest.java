package io.cortex.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.actor.LedgerActor;
import io.cortex.ledger.actor.LedgerReplay;
import io.cortex.ledger.actor.LedgerViews;
import io.cortex.sharding.ledger.JdbcEpochArchiveTest;
import io.cortex.sharding.node.CortexNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ledger on PostgreSQL, switched on by {@code cortex.ledger.store = postgres}: a node writes its blocks
 * there, a restarted node resumes from them (and still serves an epoch from before its last snapshot, from
 * the epoch archive), and a replay verifies every hash. Needs the database that
 * {@code .ci/postgres} prepares (127.0.0.1:5432, database and user {@code cortex}); skipped without it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PostgresLedgerTest {

    static final String URL = System.getenv().getOrDefault("CORTEX_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cortex");

    @BeforeAll
    static void needsPostgres() {
        String missing;
        try (Connection c = DriverManager.getConnection(URL, "cortex", "cortex")) {
            missing = c.isValid(5) ? null : "the connection to " + URL + " is not valid";
        } catch (Exception e) {
            missing = "no PostgreSQL at " + URL + " (run .ci/postgres): " + e.getMessage();
        }
        if (missing != null) {
            // CI (.ci/run sets CORTEX_CI) installs and starts PostgreSQL: there a missing one is a failure
            assertNull(System.getenv("CORTEX_CI"), "PostgresLedgerTest cannot run in CI: " + missing);
            Assumptions.abort(missing);
        }
    }

    @Test
    void aNodeKeepsItsLedgerInPostgresAndResumesFromIt() throws Exception {
        // a seed of its own: a ledger (persistence id) of its own in the shared database
        long seed = System.nanoTime();
        String network = """
                seed = %d
                block-time = 50ms
                subnets = [{ mechanism = compute, owner = alice, hyperparameters { tempo = 10 },
                             miners { count = 2, quality-low = 0.5, quality-high = 1.0 },
                             validators { count = 1, stake-tao = 100 } }]
                """.formatted(seed);
        String store = """
                cortex.ledger.store = postgres
                cortex.ledger.postgres.url = "%s"
                cortex.ledger.snapshot-every = 25
                """.formatted(URL);
        LedgerViews.Status before;
        LedgerViews.EpochView first;
        try (TestCluster cluster = TestCluster.start(1, network, store)) {
            CortexNode node = cluster.nodes.get(0);
            TestCluster.await(Duration.ofMinutes(1), "60 blocks on PostgreSQL", () -> status(node).height() >= 60);
            before = status(node);
            assertEquals(0, before.recoveredHeight());
            first = FailoverTest.epoch(node, 1, 1);
        }
        try (TestCluster cluster = TestCluster.start(1, network, store)) {
            LedgerViews.Status after = status(cluster.nodes.get(0));
            assertTrue(after.recoveredHeight() >= before.height(), after.recoveredHeight() + " < " + before.height());
            assertEquals(List.of(), after.conservationViolations());
            // recovered from a snapshot at block 50 or later: epoch 1 (block 20 or so) is the archive's
            assertTrue(first.block() < 50, "epoch 1 at block " + first.block());
            JdbcEpochArchiveTest.assertSameView(first, FailoverTest.epoch(cluster.nodes.get(0), 1, 1));

            // and the journal replays, every hash checked, from genesis and from a snapshot
            var config = cluster.nodes.get(0).settings().chain().ledger();
            for (long from : new long[] {0, 50}) {
                CompletableFuture<Long> verified = new CompletableFuture<>();
                ActorSystem<LedgerReplay.Stop> replay = ActorSystem.create(LedgerReplay.create(config, from,
                        new LedgerReplay.Listener() {
                            @Override
                            public void start(long height, String stateHash) {
                            }

                            @Override
                            public void block(long height, int epochs) {
                            }

                            @Override
                            public void verified(long height, String stateHash, long blocks, long epochs) {
                                verified.complete(height);
                            }

                            @Override
                            public void diverged(long height, String recorded, String replayed) {
                                verified.completeExceptionally(new AssertionError("diverged at block " + height));
                            }

                            @Override
                            public void failed(Throwable cause) {
                                verified.completeExceptionally(cause);
                            }
                        }), "replay", cluster.nodes.get(0).system().settings().config()
                        .withValue("pekko.actor.provider", com.typesafe.config.ConfigValueFactory.fromAnyRef("local")));
                try {
                    assertTrue(verified.get(60, TimeUnit.SECONDS) >= after.recoveredHeight());
                } finally {
                    replay.terminate();
                }
            }
        }
    }

    static LedgerViews.Status status(CortexNode node) {
        try {
            return node.ledger().<LedgerViews.Status>ask(LedgerActor.GetStatus::new).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new LedgerViews.Status(-1, "", 0, 0, 0, 0, List.of(), -1, "", "");
        }
    }
}

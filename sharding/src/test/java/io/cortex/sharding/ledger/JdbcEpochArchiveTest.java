package io.cortex.sharding.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cortex.ledger.actor.LedgerViews.EpochView;
import io.cortex.ledger.audit.EpochRecord;
import io.cortex.ledger.sim.LedgerSimulation;
import io.cortex.ledger.state.LedgerState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epoch archive in an H2 ledger database: every epoch a ledger ran is found again, field for field, by
 * another archive on the same file (a restarted or failed-over ledger), and not by another ledger's; keeping
 * one twice changes nothing; an epoch never kept is not found.
 */
public class JdbcEpochArchiveTest {
    @TempDir
    Path dir;

    @Test
    void everyEpochKeptIsFoundAgainByAnotherArchive() throws Exception {
        LedgerStore.Database database = new LedgerStore.Database(LedgerStore.Kind.H2, LedgerStore.h2Url(dir), "sa", "");
        LedgerSchema.migrate(LedgerStore.Kind.H2, database.url(), database.user(), database.password());
        List<EpochRecord> epochs = epochs(8);

        try (JdbcEpochArchive archive = new JdbcEpochArchive(database, "ledger-a")) {
            epochs.forEach(archive::keep);
            archive.keep(epochs.get(0)); // a recovery re-applying the block hands it over again
        }
        try (Connection c = DriverManager.getConnection(database.url(), "sa", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM \"cortex_epoch\"")) {
            r.next();
            assertEquals(epochs.size(), r.getInt(1), "one row an epoch");
        }

        try (JdbcEpochArchive other = new JdbcEpochArchive(database, "ledger-b")) {
            EpochRecord e = epochs.get(0);
            assertEquals(Optional.empty(), other.find(e.netuid(), e.epochIndex()).toCompletableFuture().get(10, TimeUnit.SECONDS),
                    "another ledger in the same database");
        }
        try (JdbcEpochArchive reopened = new JdbcEpochArchive(database, "ledger-a")) {
            for (EpochRecord e : epochs) {
                Optional<EpochView> found = reopened.find(e.netuid(), e.epochIndex()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertTrue(found.isPresent(), "epoch " + e.epochIndex() + " of subnet " + e.netuid());
                assertSameView(EpochView.of(e), found.get());
            }
            EpochRecord last = epochs.stream().filter(e -> e.netuid() == epochs.get(0).netuid())
                    .reduce((a, b) -> b).orElseThrow();
            assertSameView(EpochView.of(last), reopened.find(last.netuid(), -1).toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .orElseThrow());
            assertEquals(Optional.empty(), reopened.find(last.netuid(), last.epochIndex() + 1000).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), reopened.find(99, -1).toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
    }

    /** The first {@code count} epochs of a small simulated ledger (3 subnets of 24 neurons). */
    static List<EpochRecord> epochs(int count) {
        LedgerSimulation simulation = new LedgerSimulation(new LedgerSimulation.Settings(Long.MAX_VALUE, 3, 24, 7));
        simulation.prepare();
        LedgerState state = simulation.state().snapshot();
        List<EpochRecord> epochs = new ArrayList<>();
        for (int i = 0; i < 2_000 && epochs.size() < count; i++) {
            epochs.addAll(state.apply(simulation.stepBlock()).epochs());
        }
        assertTrue(epochs.size() >= count, "the simulation ran " + epochs.size() + " epochs");
        return epochs.subList(0, count);
    }

    public static void assertSameView(EpochView expected, EpochView actual) {
        String what = "epoch " + expected.epochIndex() + " of subnet " + expected.netuid();
        assertEquals(expected.netuid(), actual.netuid(), what);
        assertEquals(expected.block(), actual.block(), what);
        assertEquals(expected.epochIndex(), actual.epochIndex(), what);
        assertEquals(expected.inputHash(), actual.inputHash(), what);
        assertArrayEquals(expected.inputJson(), actual.inputJson(), what + ": input");
        assertArrayEquals(expected.outputJson(), actual.outputJson(), what + ": output");
        assertArrayEquals(expected.minerPaid(), actual.minerPaid(), what + ": miners' pay");
        assertArrayEquals(expected.validatorPaid(), actual.validatorPaid(), what + ": validators' pay");
        assertEquals(expected.validatorPot(), actual.validatorPot(), what);
        assertEquals(expected.validatorWeightSum(), actual.validatorWeightSum(), what);
        assertEquals(expected.ownerCut(), actual.ownerCut(), what);
        assertEquals(expected.burned(), actual.burned(), what);
    }
}

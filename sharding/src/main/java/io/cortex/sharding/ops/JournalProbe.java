package io.cortex.sharding.ops;

import io.cortex.sharding.ledger.LedgerConnection;
import io.cortex.sharding.ledger.LedgerStore;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can write to the ledger's database: it writes its row of {@code cortex_probe}
 * (migration V3) on a connection of its own, each probe within {@link #TIMEOUT_SECONDS}. A memory store is
 * always writable. A failure is logged once per change, not per probe.
 */
public final class JournalProbe {
    private static final Logger LOG = LoggerFactory.getLogger(JournalProbe.class);
    static final int TIMEOUT_SECONDS = 2;

    private final Optional<LedgerStore.Database> database;
    private final String node;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cortex-journal-probe");
        t.setDaemon(true);
        return t;
    });
    private final LedgerConnection connection;
    private boolean failing;
    /** The probe under way: readiness checks that come while it runs share it instead of queueing another. */
    private CompletableFuture<Boolean> running;

    public JournalProbe(Optional<LedgerStore.Database> database, String node) {
        this.database = database;
        this.node = node;
        this.connection = database.map(d -> new LedgerConnection(d, TIMEOUT_SECONDS)).orElse(null);
    }

    /** True when this node wrote its probe row; false when it could not, within the timeout. */
    public synchronized CompletionStage<Boolean> writable() {
        if (database.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        if (running == null || running.isDone()) {
            running = CompletableFuture.supplyAsync(this::probe, thread);
        }
        return running;
    }

    /** Closes the probe's connection and thread (the node is stopping). */
    public void close() {
        if (connection != null) {
            thread.execute(connection::drop);
        }
        thread.shutdown();
    }

    private boolean probe() {
        LedgerStore.Database db = database.get();
        String upsert = db.kind() == LedgerStore.Kind.H2
                ? "MERGE INTO \"cortex_probe\" (\"node\", \"at\") KEY (\"node\") VALUES (?, ?)"
                : "INSERT INTO \"cortex_probe\" (\"node\", \"at\") VALUES (?, ?) ON CONFLICT (\"node\") DO UPDATE SET \"at\" = EXCLUDED.\"at\"";
        try {
            if (!connection.get().isValid(TIMEOUT_SECONDS)) {
                connection.drop();
            }
            try (PreparedStatement p = connection.get().prepareStatement(upsert)) {
                p.setQueryTimeout(TIMEOUT_SECONDS);
                p.setString(1, node);
                p.setLong(2, System.currentTimeMillis());
                p.executeUpdate();
            }
            if (failing) {
                LOG.info("the ledger's database is writable again");
                failing = false;
            }
            return true;
        } catch (SQLException e) {
            if (!failing) {
                LOG.warn("the ledger's database is not writable: {}", e.toString());
                failing = true;
            }
            connection.drop();
            return false;
        }
    }
}

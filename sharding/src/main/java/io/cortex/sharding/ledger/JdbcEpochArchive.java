package io.cortex.sharding.ledger;

import io.cortex.ledger.actor.EpochArchive;
import io.cortex.ledger.actor.LedgerViews.EpochView;
import io.cortex.ledger.audit.EpochRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EpochArchive} in the ledger's own database, table {@code cortex_epoch} (migration V2), so that it
 * lives and fails over with the journal: an epoch per row, under the ledger's persistence id, its input and output as the JSON {@code cortex
 * epoch} reads, its payouts in a small binary column. Writes and reads run in order on one thread of its own
 * with one connection, opened on first use (a node that never holds the ledger never opens it) and opened
 * again after a failure, each statement within {@link #TIMEOUT_SECONDS}. A write that fails, or finds
 * {@link #QUEUE} epochs already waiting, is logged and dropped: that epoch is then not explainable once it
 * leaves the ledger's memory. Nothing it does can stop the ledger.
 */
public final class JdbcEpochArchive implements EpochArchive, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcEpochArchive.class);
    private static final byte PAYOUT_FORMAT = 1;
    private static final String COLUMNS = "\"epoch_index\", \"block\", \"input_hash\", \"input_json\", \"output_json\", \"payout\"";

    private final LedgerStore.Database database;
    private final String ledger;
    private final String insert;
    /** Epochs waiting to be written at the most; past it (the database down or slow) an epoch is dropped, and logged. */
    static final int QUEUE = 4096;
    static final int TIMEOUT_SECONDS = 10;

    private final ExecutorService thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "cortex-epoch-archive");
                t.setDaemon(true);
                return t;
            });
    private final LedgerConnection connection;

    /** @param ledger the ledger's persistence id, as in the journal: ledgers sharing a database keep apart */
    public JdbcEpochArchive(LedgerStore.Database database, String ledger) {
        this.database = database;
        this.ledger = ledger;
        this.connection = new LedgerConnection(database, TIMEOUT_SECONDS);
        String columns = "(\"ledger\", \"netuid\", " + COLUMNS + ")";
        String values = " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        this.insert = switch (database.kind()) {
            case H2 -> "MERGE INTO \"cortex_epoch\" " + columns + " KEY (\"ledger\", \"netuid\", \"epoch_index\")" + values;
            case POSTGRES -> "INSERT INTO \"cortex_epoch\" " + columns + values
                    + " ON CONFLICT (\"ledger\", \"netuid\", \"epoch_index\") DO NOTHING";
            case MEMORY -> throw new IllegalArgumentException("a memory store keeps no archive (EpochArchive.NONE)");
        };
    }

    @Override
    public void keep(EpochRecord epoch) {
        try {
            thread.execute(() -> write(epoch));
        } catch (RejectedExecutionException e) {
            LOG.warn("epoch {} of subnet {} (block {}) not archived: {} epochs already wait to be written, or the archive "
                    + "is closed", epoch.epochIndex(), epoch.netuid(), epoch.block(), QUEUE);
        }
    }

    private void write(EpochRecord epoch) {
        try {
            EpochView view = EpochView.of(epoch);
            try (PreparedStatement p = connection.get().prepareStatement(insert)) {
                p.setQueryTimeout(TIMEOUT_SECONDS);
                p.setString(1, ledger);
                p.setInt(2, view.netuid());
                p.setLong(3, view.epochIndex());
                p.setLong(4, view.block());
                p.setString(5, view.inputHash());
                p.setBytes(6, view.inputJson());
                p.setBytes(7, view.outputJson());
                p.setBytes(8, payout(view));
                p.executeUpdate();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("epoch {} of subnet {} (block {}) not archived: {}", epoch.epochIndex(), epoch.netuid(),
                    epoch.block(), e.toString());
            connection.drop();
        }
    }

    @Override
    public CompletionStage<Optional<EpochView>> find(int netuid, long epochIndex) {
        try {
            return CompletableFuture.supplyAsync(() -> read(netuid, epochIndex), thread)
                    .orTimeout(2L * TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the epoch archive is busy or closed"));
        }
    }

    private Optional<EpochView> read(int netuid, long epochIndex) {
        String sql = "SELECT " + COLUMNS + " FROM \"cortex_epoch\" WHERE \"ledger\" = ? AND \"netuid\" = ?"
                + (epochIndex < 0 ? " ORDER BY \"epoch_index\" DESC LIMIT 1" : " AND \"epoch_index\" = ?");
        try (PreparedStatement p = connection.get().prepareStatement(sql)) {
            p.setQueryTimeout(TIMEOUT_SECONDS);
            p.setString(1, ledger);
            p.setInt(2, netuid);
            if (epochIndex >= 0) {
                p.setLong(3, epochIndex);
            }
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(view(netuid, r)) : Optional.<EpochView>empty();
            }
        } catch (SQLException e) {
            connection.drop();
            throw new IllegalStateException("the epoch archive cannot be read: " + e, e);
        }
    }

    private static EpochView view(int netuid, ResultSet r) throws SQLException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(r.getBytes("payout")))) {
            if (in.readByte() != PAYOUT_FORMAT) {
                throw new SQLException("epoch archive: a payout of an unknown format");
            }
            long[] miner = longs(in);
            long[] validator = longs(in);
            return new EpochView(netuid, r.getLong("block"), r.getLong("epoch_index"), r.getString("input_hash"),
                    r.getBytes("input_json"), r.getBytes("output_json"), miner, validator, in.readLong(), in.readLong(),
                    in.readLong(), in.readLong());
        } catch (IOException e) {
            throw new SQLException("epoch archive: a payout cut short", e);
        }
    }

    static byte[] payout(EpochView view) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * view.minerPaid().length + 48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(PAYOUT_FORMAT);
            writeLongs(out, view.minerPaid());
            writeLongs(out, view.validatorPaid());
            out.writeLong(view.validatorPot());
            out.writeLong(view.validatorWeightSum());
            out.writeLong(view.ownerCut());
            out.writeLong(view.burned());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeLongs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static long[] longs(DataInputStream in) throws IOException {
        long[] values = new long[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    /** Finishes the writes handed over (for up to 5 s) and closes the connection. */
    @Override
    public void close() {
        try {
            thread.execute(connection::drop);
        } catch (RejectedExecutionException e) {
            // closed already, or full: the connection goes with the process
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the epoch archive did not finish its writes within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

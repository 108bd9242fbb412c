package io.cortex.sharding.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A connection of Cortex's own to the ledger's database (the epoch archive's, the journal probe's), used
 * from its owner's one thread: opened on first use with {@link LedgerStore#connectionProperties}, dropped
 * after a failure and opened again on the next use.
 */
public final class LedgerConnection {
    private final LedgerStore.Database database;
    private final int timeoutSeconds;
    private Connection connection;

    public LedgerConnection(LedgerStore.Database database, int timeoutSeconds) {
        this.database = database;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The open connection, opened now if there is none. */
    public Connection get() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(database.url(), LedgerStore.connectionProperties(database, timeoutSeconds));
        }
        return connection;
    }

    /** Closes the connection, if open; the next {@link #get} opens another. */
    public void drop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it failed already, or the database is gone: nothing more to close
            }
            connection = null;
        }
    }
}

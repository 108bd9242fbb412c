package io.cortex.sharding.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger database's schema, as numbered migrations shipped in the jar ({@code db/ledger/KIND/V<n>__*.sql}):
 * each one not yet recorded in {@code cortex_schema} runs, statement by statement, and is recorded. Every
 * statement may run again (IF NOT EXISTS), so two nodes may race, and a database made before migrations
 * existed (the same tables) only gains the record.
 */
public final class LedgerSchema {
    /** The migrations in order; a new one is appended, never edited once released. */
    static final List<String> MIGRATIONS = List.of("V1__journal.sql", "V2__epoch_archive.sql", "V3__probe.sql");

    private LedgerSchema() {
    }

    /** Brings the database at {@code url} up to the last migration; the number of migrations run. */
    public static int migrate(LedgerStore.Kind kind, String url, String user, String password) throws SQLException {
        String folder = switch (kind) {
            case H2 -> "h2";
            case POSTGRES -> "postgres";
            case MEMORY -> throw new IllegalArgumentException("a memory store has no schema");
        };
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS cortex_schema (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL, "
                        + "applied_at BIGINT NOT NULL)");
            }
            int done = applied(c);
            int ran = 0;
            for (int v = done + 1; v <= MIGRATIONS.size(); v++) {
                String script = MIGRATIONS.get(v - 1);
                try (Statement s = c.createStatement()) {
                    for (String statement : statements(read("db/ledger/" + folder + "/" + script))) {
                        s.execute(statement);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO cortex_schema (version, script, applied_at) VALUES (?, ?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, script);
                    p.setLong(3, System.currentTimeMillis());
                    p.executeUpdate();
                } catch (SQLException e) {
                    if (applied(c) < v) {
                        throw e; // not another node's record of the same migration
                    }
                }
                ran++;
            }
            return ran;
        }
    }

    /** The last migration recorded, 0 for none. */
    static int applied(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT MAX(version) FROM cortex_schema")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /** A script's statements: split at each semicolon that ends a line; comment lines dropped. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("a migration ends without a semicolon: " + current);
        }
        return statements;
    }

    private static String read(String resource) {
        try (InputStream in = LedgerSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the migration " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}

package io.cortex.sharding.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's schema comes from the migrations in the jar: on a new H2 file they make the journal's tables
 * and record themselves; run again, they do nothing. (PostgresLedgerTest runs them on PostgreSQL, through a
 * node.)
 */
class LedgerSchemaTest {
    @TempDir
    Path dir;

    @Test
    void migrationsMakeTheJournalOnceAndRecordIt() throws Exception {
        String url = LedgerStore.h2Url(dir);
        assertEquals(LedgerSchema.MIGRATIONS.size(), LedgerSchema.migrate(LedgerStore.Kind.H2, url, "sa", ""));
        assertEquals(0, LedgerSchema.migrate(LedgerStore.Kind.H2, url, "sa", ""), "a second run has nothing to do");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = c.getMetaData().getTables(null, "PUBLIC", null, new String[] {"TABLE"})) {
                while (r.next()) {
                    tables.add(r.getString("TABLE_NAME"));
                }
            }
            assertTrue(tables.containsAll(List.of("event_journal", "event_tag", "snapshot")), tables.toString());
            assertEquals(LedgerSchema.MIGRATIONS.size(), LedgerSchema.applied(c));
        }
    }

    @Test
    void aScriptSplitsIntoItsStatements() {
        List<String> statements = LedgerSchema.statements("-- a comment\nCREATE TABLE a (x INT);\n\nCREATE INDEX i\n  ON a (x);\n");
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE INDEX i\n  ON a (x)"), statements);
    }
}

package io.cortex.sharding.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit to the H2 ledger survives {@code kill -9} of the process that made it: a child JVM commits rows
 * one by one on {@link LedgerStore#h2Url}, saying after each that it is committed, and is killed outright
 * mid-stream; every row it reported is in the file when it is opened again. (With H2's default write
 * delay, the last second of commits, or the whole database, was gone.)
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LedgerStoreDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void everyReportedCommitSurvivesKillMinus9() throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Committer.class.getName(), dir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long reported = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                reported = Long.parseLong(line.trim());
                if (reported >= 300) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to flush
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(reported >= 300, "the child committed rows (last reported " + reported + ")");
        try (Connection c = DriverManager.getConnection(LedgerStore.h2Url(dir), "sa", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*), coalesce(max(n), -1) from blocks")) {
            r.next();
            long rows = r.getLong(1);
            assertTrue(rows >= reported, rows + " rows in the file, but " + reported + " were reported committed");
            assertEquals(rows - 1, r.getLong(2), "the rows are 0, 1, 2, ... with none missing");
        }
    }

    /** The child: commits rows 0, 1, 2, ... one transaction each, printing each row's number once committed. */
    public static final class Committer {
        public static void main(String[] args) throws Exception {
            try (Connection c = DriverManager.getConnection(LedgerStore.h2Url(Path.of(args[0])), "sa", "");
                 Statement s = c.createStatement()) {
                s.execute("create table blocks (n bigint primary key, payload varbinary(256))");
                c.setAutoCommit(false);
                for (long n = 0; n < 1_000_000; n++) {
                    s.execute("insert into blocks values (" + n + ", x'" + "ab".repeat(100) + "')");
                    c.commit();
                    System.out.println(n + 1);
                    System.out.flush();
                }
            }
        }
    }
}

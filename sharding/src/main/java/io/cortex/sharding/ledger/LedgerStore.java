package io.cortex.sharding.ledger;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.cortex.ledger.actor.EpochArchive;
import io.cortex.ledger.actor.LedgerActor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Where the ledger's journal and snapshots live ({@code cortex.ledger}): the Pekko Persistence settings for
 * the chosen store, and the tables, made when missing. H2 runs embedded on a file with
 * {@code AUTO_SERVER=TRUE}, so the nodes of one machine share it, and {@code FILE_LOCK=SOCKET}, so the node
 * that takes over from one killed outright opens the file in about a second (the default file lock waits
 * out its dead owner for several). H2 closes the file in its own JVM shutdown
 * hook, which may run before a stopping node's last block is written: that block is then not persisted and
 * not answered, and the node that takes over continues from the one before: whichever node holds the ledger opens it,
 * another node that takes over later connects or reopens it. PostgreSQL needs only its URL and user.
 */
public final class LedgerStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LedgerStore.class);

    static {
        // H2 retries a refused connection 16 times with growing pauses (1.2 s in all) before it concludes that the
        // process serving the file (AUTO_SERVER) is gone, and so does the node taking the ledger over from a node
        // killed outright; three tries are plenty for a server on this machine. A -D on the command line wins.
        if (System.getProperty("h2.socketConnectRetry") == null) {
            System.setProperty("h2.socketConnectRetry", "3");
        }
    }

    public enum Kind { H2, POSTGRES, MEMORY }

    private LedgerStore() {
    }

    public static Kind kind(Config config) {
        String store = config.getString("cortex.ledger.store");
        return switch (store) {
            case "h2" -> Kind.H2;
            case "postgres" -> Kind.POSTGRES;
            case "memory" -> Kind.MEMORY;
            default -> throw new ConfigException.BadValue(config.origin(), "cortex.ledger.store",
                    "'" + store + "' is not a ledger store (h2, postgres, memory)");
        };
    }

    /** Where a ledger database is, and how to log in. */
    public record Database(Kind kind, String url, String user, String password) {
    }

    /**
     * The login for a connection of Cortex's own to {@code database}; on PostgreSQL with connect and login
     * timeouts of {@code timeoutSeconds} (H2 refuses settings it does not know, and opens a file).
     */
    public static java.util.Properties connectionProperties(Database database, int timeoutSeconds) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", database.user());
        p.setProperty("password", database.password());
        if (database.kind() == Kind.POSTGRES) {
            p.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
            p.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        }
        return p;
    }

    /** The database {@code cortex.ledger} names; empty for a memory store. */
    public static Optional<Database> database(Config config) {
        return switch (kind(config)) {
            case MEMORY -> Optional.empty();
            case H2 -> Optional.of(new Database(Kind.H2,
                    h2Url(Path.of(config.getString("cortex.ledger.h2.directory"))), "sa", ""));
            case POSTGRES -> Optional.of(new Database(Kind.POSTGRES, config.getString("cortex.ledger.postgres.url"),
                    config.getString("cortex.ledger.postgres.user"), config.getString("cortex.ledger.postgres.password")));
        };
    }

    /**
     * The archive of every epoch of the ledger {@code ledger} (its persistence id), in the ledger's database
     * ({@link EpochArchive#NONE} for a memory store).
     */
    public static EpochArchive epochArchive(Config config, String ledger) {
        return database(config).<EpochArchive>map(d -> new JdbcEpochArchive(d, ledger)).orElse(EpochArchive.NONE);
    }

    /** The Pekko Persistence settings of the store {@code cortex.ledger} names (to go under the node's own). */
    public static Config persistenceConfig(Config config) {
        Kind kind = kind(config);
        if (kind == Kind.MEMORY) {
            return ConfigFactory.parseMap(Map.of(
                    "pekko.persistence.journal.plugin", "pekko.persistence.journal.inmem",
                    "pekko.persistence.snapshot-store.plugin", "pekko.persistence.no-snapshot-store"));
        }
        Database database = database(config).orElseThrow();
        String url = database.url();
        String user = database.user();
        String password = database.password();
        String profile = kind == Kind.H2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$";
        String driver = kind == Kind.H2 ? "org.h2.Driver" : "org.postgresql.Driver";
        Config db = ConfigFactory.parseMap(Map.of(
                "url", url, "driver", driver, "user", user, "password", password,
                "connectionPool", "HikariCP", "numThreads", 2, "maxConnections", 2, "minConnections", 1,
                "connectionTimeout", 10_000, "keepAliveConnection", true));
        return ConfigFactory.empty()
                .withValue("pekko.persistence.journal.plugin", ConfigValueFactory.fromAnyRef("jdbc-journal"))
                .withValue("pekko.persistence.snapshot-store.plugin", ConfigValueFactory.fromAnyRef("jdbc-snapshot-store"))
                .withValue("pekko-persistence-jdbc.shared-databases.slick.profile", ConfigValueFactory.fromAnyRef(profile))
                .withValue("pekko-persistence-jdbc.shared-databases.slick.db", db.root())
                .withValue("jdbc-journal.use-shared-db", ConfigValueFactory.fromAnyRef("slick"))
                .withValue("jdbc-snapshot-store.use-shared-db", ConfigValueFactory.fromAnyRef("slick"))
                .withValue("jdbc-read-journal.use-shared-db", ConfigValueFactory.fromAnyRef("slick"));
    }

    /**
     * The JDBC URL of the H2 ledger in {@code directory}. {@code WRITE_DELAY=0} writes every commit to the
     * file before the commit returns: H2's default holds commits in memory for up to a second, and a node
     * killed outright within that second would lose blocks whose transactions were already acknowledged
     * ({@code LedgerStoreDurabilityTest}). The file is not fsynced per commit: a commit survives its process,
     * not a power cut (PostgreSQL's does).
     */
    public static String h2Url(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        return "jdbc:h2:file:" + dir.resolve("ledger").toString().replace('\\', '/')
                + ";AUTO_SERVER=TRUE;FILE_LOCK=SOCKET;WRITE_DELAY=0";
    }

    /** How often the ledger snapshots; a memory store keeps none. */
    public static LedgerActor.Persistence persistence(Config config) {
        if (kind(config) == Kind.MEMORY) {
            return LedgerActor.Persistence.noSnapshots();
        }
        int every = config.getInt("cortex.ledger.snapshot-every");
        int keep = config.getInt("cortex.ledger.keep-snapshots");
        if (every < 1 || keep < 1) {
            throw new ConfigException.BadValue(config.origin(), "cortex.ledger.snapshot-every",
                    "snapshot-every and keep-snapshots must be at least 1");
        }
        return new LedgerActor.Persistence(every, keep);
    }

    /**
     * Readies this node's way to the journal before it is needed ({@link LedgerStandby}): H2's embedded engine
     * run once, the connection pool open, the tables checked, the journal and snapshot plugins started. A node
     * taking the ledger over then has none of that to do (it took 1 to 2 s).
     */
    static void warmUp(ActorSystem<?> system) {
        if (kind(system.settings().config()) == Kind.H2) {
            warmUpH2Engine();
        }
        prepare(system, Duration.ofSeconds(60));
        org.apache.pekko.persistence.Persistence persistence = org.apache.pekko.persistence.Persistence.get(system);
        persistence.journalFor("", ConfigFactory.empty());
        persistence.snapshotStoreFor("", ConfigFactory.empty());
    }

    /**
     * Loads and runs H2's embedded engine once on a throw-away in-memory database: a standby node reaches the
     * ledger's file through the node serving it, and has to open the file itself (cold code: about 0.3 s more)
     * when that node is lost.
     */
    private static void warmUpH2Engine() {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:mem:", "sa", "");
             java.sql.Statement s = c.createStatement()) {
            s.execute("create table warm_up (id bigint primary key, payload varbinary(64))");
            s.execute("insert into warm_up values (1, x'00')");
            s.executeQuery("select payload from warm_up where id = 1").close();
        } catch (java.sql.SQLException e) {
            LOG.debug("H2 warm-up: {}", e.toString());
        }
    }

    /**
     * Makes the journal's tables if they are missing, by the migrations {@link LedgerSchema} ships (every
     * statement says IF NOT EXISTS, so two nodes may race); retries while the database is busy or starting,
     * then fails with the reason.
     */
    public static void prepare(ActorSystem<?> system, Duration patience) {
        Config config = system.settings().config();
        Kind kind = kind(config);
        if (kind == Kind.MEMORY) {
            return;
        }
        Config db = config.getConfig("pekko-persistence-jdbc.shared-databases.slick.db");
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                int ran = LedgerSchema.migrate(kind, db.getString("url"), db.getString("user"), db.getString("password"));
                LOG.info("the ledger's journal is ready ({} ms{})", (System.nanoTime() - start) / 1_000_000,
                        ran == 0 ? "" : ", " + ran + " schema migrations run");
                return;
            } catch (Exception e) {
                last = e;
                LOG.warn("the ledger's journal is not ready yet: {}", e.toString());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException("cannot prepare the ledger's journal: " + last, last);
    }
}

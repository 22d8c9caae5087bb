package io.irisx.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.irisx.core.secret.Redaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database IRISX stores in: a JDBC {@link DataSource} (H2 or PostgreSQL), each module's schema migrations, and
 * transactions. Thread-safe; closing it closes the pool only when IRISX created the pool.
 *
 * <p>Each module migrates its own tables from {@code classpath:db/irisx/<module>} with its own Flyway history table
 * ({@code irisx_schema_history_<module>}), so modules join and upgrade independently. The same SQL runs on H2 (in
 * PostgreSQL mode) and PostgreSQL, but for the few migrations a module keeps per dialect (see {@link #migrate}).
 *
 * <p>An H2 file database must write each commit before acknowledging it ({@code ;WRITE_DELAY=0} in its URL, as the
 * embedded default has): one that delays its writes is refused, as a crash would lose work IRISX had confirmed.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9_]{0,30}");

    private final DataSource dataSource;
    private final boolean owned;
    private final Dialect dialect;
    private volatile boolean closed;

    private Database(DataSource dataSource, boolean owned) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.dialect = detect(dataSource);
        if (dialect == Dialect.H2) {
            requireWritesAtCommit(dataSource);
        }
    }

    /** The SQL dialects IRISX runs on. */
    public enum Dialect {
        /** H2 2.x, in PostgreSQL compatibility mode. */
        H2,
        /** PostgreSQL 12 or newer. */
        POSTGRESQL
    }

    /** A database over the host's own {@code dataSource}, which the host keeps and closes. */
    public static Database of(DataSource dataSource) {
        return new Database(Objects.requireNonNull(dataSource, "dataSource"), false);
    }

    /**
     * A database over a HikariCP pool that IRISX creates for {@code jdbcUrl} and closes with this object.
     *
     * @param jdbcUrl an H2 or PostgreSQL JDBC URL
     * @param username the user, or {@code null} when the URL carries it or none is needed
     * @param password the password, or {@code null}
     * @param maxPoolSize the pool's largest size, 1 to 200
     */
    public static Database connect(String jdbcUrl, String username, String password, int maxPoolSize) {
        checkJdbcUrl(jdbcUrl);
        if (maxPoolSize < 1 || maxPoolSize > 200) {
            throw new IllegalArgumentException("maxPoolSize must be between 1 and 200, was " + maxPoolSize);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("irisx");
        config.setJdbcUrl(jdbcUrl);
        if (username != null) {
            config.setUsername(username);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw unreachable(jdbcUrl, e);
        }
        try {
            return new Database(pool, true);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * The failure to open a pool on {@code jdbcUrl} (Hikari's {@code PoolInitializationException}, say): named with
     * the URL, its password redacted, and the database's own words, without the values they may carry.
     */
    private static StoreException unreachable(String jdbcUrl, RuntimeException e) {
        Throwable cause = e.getCause() instanceof SQLException sql ? SqlErrors.withoutValues(sql) : e;
        String said = cause.getMessage() == null ? e.getClass().getSimpleName() : cause.getMessage();
        return new StoreException("cannot connect to the database at " + Redaction.url(jdbcUrl) + ": "
                + Redaction.url(said) + "; check that it runs, accepts connections and knows the user", cause);
    }

    /** The data source behind this database. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Which SQL dialect the database speaks. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Brings {@code module}'s tables up to date from {@code classpath:db/irisx/<module>}, and from
     * {@code classpath:db/irisx/<module>-<dialect>} ({@code -h2} or {@code -postgresql}) where the module has one;
     * safe to call from several processes at once and again on an up-to-date database.
     *
     * <p>A dialect's directory holds the migrations that say the same thing differently per dialect (PostgreSQL's
     * partial indexes, which H2 lacks); a version there exists in every dialect's directory, never in the shared one.
     *
     * @param module the module's short name, e.g. {@code core}, {@code webhooks}
     * @return how many migrations were applied now
     */
    public int migrate(String module) {
        Objects.requireNonNull(module, "module");
        requireOpen();
        if (!MODULE.matcher(module).matches()) {
            throw new IllegalArgumentException("module must be a lowercase name like 'core', was '" + module + "'");
        }
        ClassLoader loader = Database.class.getClassLoader();
        String shared = "db/irisx/" + module;
        String ofDialect = shared + "-" + dialect.name().toLowerCase(Locale.ROOT);
        String[] locations = loader.getResource(ofDialect) == null ? new String[] {"classpath:" + shared}
                : new String[] {"classpath:" + shared, "classpath:" + ofDialect};
        Flyway flyway = Flyway.configure(loader)
                .dataSource(dataSource)
                .locations(locations)
                .table("irisx_schema_history_" + module)
                // Other modules' (and the host's) tables may already be there: start from version 0, so V1 runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .failOnMissingLocations(true)
                .load();
        int applied = flyway.migrate().migrationsExecuted;
        if (applied > 0) {
            log.info("irisx {}: applied {} schema migration(s)", module, applied);
        }
        return applied;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     *
     * @throws IllegalStateException when this database (its runtime) is closed
     */
    public <T> T inTransaction(TransactionalWork<T> work) {
        Objects.requireNonNull(work, "work");
        requireOpen();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Throwable t) {
                rollbackQuietly(connection, t);
                throw t;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw StoreException.of("transaction failed", e);
        }
    }

    /**
     * Runs {@code work} on a connection in auto-commit mode: each statement is committed as it runs. A connection the
     * host's pool hands out with auto-commit off is switched on for the work, and back off after it.
     *
     * @throws IllegalStateException when this database (its runtime) is closed
     */
    public <T> T withConnection(TransactionalWork<T> work) {
        Objects.requireNonNull(work, "work");
        requireOpen();
        try (Connection connection = dataSource.getConnection()) {
            if (connection.getAutoCommit()) {
                return work.run(connection);
            }
            connection.setAutoCommit(true);
            try {
                return work.run(connection);
            } finally {
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw StoreException.of("database call failed", e);
        }
    }

    /** Work on a connection that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface TransactionalWork<T> {
        /** Does the work on {@code connection}, which it must not close nor commit. */
        T run(Connection connection) throws SQLException;
    }

    /**
     * Closes this database: every later call throws {@link IllegalStateException}, so that the stores and clients
     * built on a closed runtime store nothing; the pool is closed when IRISX created it.
     */
    @Override
    public void close() {
        closed = true;
        if (owned && dataSource instanceof HikariDataSource hikari) {
            hikari.close();
        }
    }

    @Override
    public String toString() {
        return "Database[" + dialect + (owned ? ", pooled by IRISX]" : ", host's data source]");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this Irisx runtime is closed: its database (" + this
                    + ") takes no more calls");
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static Dialect detect(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("h2")) {
                return Dialect.H2;
            }
            if (product.contains("postgres")) {
                return Dialect.POSTGRESQL;
            }
            throw new IllegalArgumentException("IRISX stores in H2 or PostgreSQL; this data source is " + product);
        } catch (SQLException e) {
            throw StoreException.of("cannot connect to the database", e);
        }
    }

    /**
     * Refuses an H2 database that acknowledges commits before writing them (H2's {@code WRITE_DELAY}, 500 ms by
     * default for a file database): a JVM crash would lose what {@code Outbox.publish} had confirmed as stored.
     */
    private static void requireWritesAtCommit(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'");
                ResultSet row = select.executeQuery()) {
            String delay = row.next() ? row.getString(1) : "0";
            if (!"0".equals(delay)) {
                throw new IllegalArgumentException("the H2 database delays its writes by " + delay + " ms after each "
                        + "commit (WRITE_DELAY=" + delay + "), so a crash would lose work IRISX had confirmed as "
                        + "stored: add ;WRITE_DELAY=0 to its JDBC URL");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the H2 database's WRITE_DELAY setting: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code jdbcUrl} is an H2 or PostgreSQL URL; throws {@link IllegalArgumentException} naming its scheme
     * otherwise. The rest of a refused URL is not shown: each database writes its password in its own way
     * ({@code user:password@}, {@code ;PWD=}, {@code user/password@}), so no redaction can be sure to hide it.
     */
    public static String checkJdbcUrl(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must be an H2 (jdbc:h2:) or PostgreSQL (jdbc:postgresql:) URL, was "
                    + scheme(jdbcUrl) + " (the rest is not shown: it may hold a password)");
        }
        return jdbcUrl;
    }

    /** The scheme of a URL as a message may show it: {@code 'jdbc:mysql:…'}, or its length when it has none. */
    private static String scheme(String url) {
        int end = url.indexOf(':', url.startsWith("jdbc:") ? 5 : 0);
        if (end < 0 || end > 40) {
            return "a text of " + url.length() + " characters with no scheme such as jdbc:postgresql:";
        }
        return "'" + url.substring(0, end + 1).replaceAll("\\p{Cntrl}", "?") + "…'";
    }
}

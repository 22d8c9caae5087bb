package io.irisx.core.testing;

import io.irisx.core.store.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.provider.Arguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fresh, isolated databases for tests: an in-memory H2 in PostgreSQL mode, or a new schema on the PostgreSQL at
 * {@value #POSTGRES_URL_ENV} (default {@value #DEFAULT_POSTGRES_URL}); thread-safe.
 *
 * <p>PostgreSQL is required, not optional: when it cannot be reached, {@link #postgres()} throws and the test fails.
 * Each PostgreSQL database lives in its own schema ({@code irisx_test_<epoch seconds>_<random>}), dropped when the
 * JVM exits; schemas a killed run left behind are dropped after a day. Close each {@link Database} to release its
 * pool.
 */
public final class TestDatabases {

    /** The environment variable holding the test PostgreSQL's JDBC URL. */
    public static final String POSTGRES_URL_ENV = "IRISX_TEST_POSTGRES_URL";
    /** The test PostgreSQL's JDBC URL when the environment does not say. */
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static final Logger log = LoggerFactory.getLogger(TestDatabases.class);
    private static final int POOL_SIZE = 10;
    private static final String SCHEMA_PREFIX = "irisx_test_";
    private static final Pattern SCHEMA = Pattern.compile(SCHEMA_PREFIX + "(\\d+)_[a-z0-9]+");
    private static final long STALE_SECONDS = 24 * 3600;

    private static final Map<Database, String> URLS = java.util.Collections.synchronizedMap(new WeakHashMap<>());
    private static final Set<String> CREATED_SCHEMAS = ConcurrentHashMap.newKeySet();
    private static volatile boolean postgresPrepared;

    private TestDatabases() {
    }

    /**
     * An empty H2 and an empty PostgreSQL database, each as its dialect's name and a supplier, for a test run on both:
     * {@code @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")}.
     */
    public static Stream<Arguments> emptyOfEachDialect() {
        return Stream.of(
                Arguments.of("H2", (Supplier<Database>) TestDatabases::emptyH2),
                Arguments.of("PostgreSQL", (Supplier<Database>) TestDatabases::emptyPostgres));
    }

    /**
     * Migrates {@code module}'s tables only up to {@code version}, from the locations and into the history table
     * {@link Database#migrate} uses: a database as an older IRISX left it.
     */
    public static void migrateUpTo(Database database, String module, String version) {
        String shared = "db/irisx/" + module;
        String ofDialect = shared + "-" + database.dialect().name().toLowerCase(Locale.ROOT);
        List<String> locations = new ArrayList<>(List.of("classpath:" + shared));
        if (TestDatabases.class.getClassLoader().getResource(ofDialect) != null) {
            locations.add("classpath:" + ofDialect);
        }
        Flyway.configure().dataSource(database.dataSource()).locations(locations.toArray(String[]::new))
                .table("irisx_schema_history_" + module).baselineOnMigrate(true).baselineVersion("0")
                .target(version).load().migrate();
    }

    /**
     * A new database of {@code dialect}, migrated for irisx-core: {@link #h2()} or {@link #postgres()}, for a class run
     * {@link OnEachDialect on each dialect}.
     */
    public static Database of(Database.Dialect dialect) {
        return switch (Objects.requireNonNull(dialect, "dialect")) {
            case H2 -> h2();
            case POSTGRESQL -> postgres();
        };
    }

    /** A new in-memory H2 database in PostgreSQL mode, migrated for irisx-core. */
    public static Database h2() {
        Database database = emptyH2();
        database.migrate("core");
        return database;
    }

    /** A new in-memory H2 database in PostgreSQL mode, with no tables. */
    public static Database emptyH2() {
        String name = "irisx_" + UUID.randomUUID().toString().replace("-", "");
        String url = "jdbc:h2:mem:" + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        return remember(Database.connect(url, "sa", "", POOL_SIZE), url);
    }

    /** A new schema on the test PostgreSQL, migrated for irisx-core. */
    public static Database postgres() {
        Database database = emptyPostgres();
        database.migrate("core");
        return database;
    }

    /** A new, empty schema on the test PostgreSQL; connections use it as their current schema. */
    public static Database emptyPostgres() {
        String base = postgresUrl();
        prepareOnce(base);
        String schema = SCHEMA_PREFIX + System.currentTimeMillis() / 1000 + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(base, "CREATE SCHEMA " + schema);
        CREATED_SCHEMAS.add(schema);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return remember(Database.connect(url, null, null, POOL_SIZE), url);
    }

    /**
     * Another pool of {@code poolSize} connections on the same database (the same H2 database, the same
     * PostgreSQL schema), as a second process would have.
     */
    public static Database another(Database database, int poolSize) {
        String url = url(database);
        return remember(Database.connect(url, url.startsWith("jdbc:h2:") ? "sa" : null,
                url.startsWith("jdbc:h2:") ? "" : null, poolSize), url);
    }

    /** The JDBC URL of {@code database}, for another process to open the same database (H2 in memory: this JVM only). */
    public static String url(Database database) {
        String url = URLS.get(database);
        if (url == null) {
            throw new IllegalArgumentException(database + " was not made by TestDatabases");
        }
        return url;
    }

    /** The test PostgreSQL's base JDBC URL, from {@value #POSTGRES_URL_ENV} or the default. */
    public static String postgresUrl() {
        String url = System.getenv(POSTGRES_URL_ENV);
        return url == null || url.isBlank() ? DEFAULT_POSTGRES_URL : url.trim();
    }

    private static Database remember(Database database, String url) {
        URLS.put(database, url);
        return database;
    }

    private static synchronized void prepareOnce(String base) {
        if (postgresPrepared) {
            return;
        }
        dropStaleSchemas(base);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropCreatedSchemas(base), "irisx-test-schemas"));
        postgresPrepared = true;
    }

    private static void dropStaleSchemas(String base) {
        long cutoff = System.currentTimeMillis() / 1000 - STALE_SECONDS;
        List<String> stale = new ArrayList<>();
        try (Connection connection = connect(base);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT schema_name FROM information_schema.schemata"
                        + " WHERE schema_name LIKE '" + SCHEMA_PREFIX + "%'")) {
            while (rows.next()) {
                Matcher matcher = SCHEMA.matcher(rows.getString(1));
                if (matcher.matches() && Long.parseLong(matcher.group(1)) < cutoff) {
                    stale.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw unreachable(base, e);
        }
        stale.forEach(schema -> execute(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
    }

    private static void dropCreatedSchemas(String base) {
        for (String schema : CREATED_SCHEMAS) {
            try {
                execute(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (RuntimeException e) {
                log.warn("could not drop test schema {}: {}", schema, e.toString());
            }
        }
    }

    private static void execute(String base, String sql) {
        try (Connection connection = connect(base); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw unreachable(base, e);
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url);
    }

    private static IllegalStateException unreachable(String url, SQLException e) {
        return new IllegalStateException("the test PostgreSQL at " + url.replaceAll("(?i)(password=)[^&]*", "$1****")
                + " failed (" + e.getMessage() + "); start it or set " + POSTGRES_URL_ENV.toUpperCase(Locale.ROOT), e);
    }
}

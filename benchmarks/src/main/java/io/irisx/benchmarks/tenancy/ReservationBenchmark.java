package io.irisx.benchmarks.tenancy;

import io.irisx.benchmarks.Programs;
import io.irisx.core.Irisx;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.credit.SendCredit;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Concurrent reservations of one PREPAID tenant's credit on PostgreSQL (the database of the local test set-up, or
 * {@code IRISX_TEST_POSTGRES_URL}), 8 threads, each {@link SendCredit#reserve} in its own transaction — the tenant's
 * account row locked, its available credit summed, the reservation inserted — beside the limit: a bare insert of a
 * ledger-sized row in its own transaction, with no lock and no sum. The tenant is topped up far beyond what a run
 * takes; the ledger grows during the run, as a busy tenant's does. One instance per benchmark, in a schema of its
 * own, dropped after.
 *
 * <p>Not {@code final}: JMH generates a subclass of each benchmark class.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ReservationBenchmark {

    private static final TenantId TENANT = TenantId.of("acme");
    private static final BigDecimal PRICE = new BigDecimal("0.00009");

    private final String schema = "irisx_bench_credit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final AtomicLong keys = new AtomicLong();
    private Irisx irisx;
    private Database database;

    /** A runtime on a new schema of the PostgreSQL database, with one PREPAID tenant topped up. */
    @Setup
    public void setUp() throws Exception {
        String url = Programs.postgresUrl();
        Programs.execute(url, "CREATE SCHEMA " + schema);
        irisx = Irisx.builder().jdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, null, null)
                .maxPoolSize(10).sealingKeys(SealingKeys.generate("k1")).build();
        database = irisx.database();
        Tenant acme = irisx.tenant(TENANT);
        acme.credit().setBillingMode(BillingMode.PREPAID);
        acme.credit().topUp(new BigDecimal("1000000.00"), "bench-top-up");
        database.inTransaction(connection -> connection.createStatement().executeUpdate(
                "CREATE TABLE bench_bare (tenant_id VARCHAR(64), entry_key VARCHAR(200) PRIMARY KEY,"
                        + " held NUMERIC(30, 12), created_at BIGINT)"));
    }

    /** Closes the runtime and drops the schema. */
    @TearDown
    public void tearDown() throws Exception {
        irisx.close();
        Programs.execute(Programs.postgresUrl(), "DROP SCHEMA " + schema + " CASCADE");
    }

    /** One reservation of the tenant's credit, 8 threads at once. */
    @Benchmark
    @Threads(8)
    public Object reserve() {
        String key = "msg-" + keys.incrementAndGet() + ":EMAIL";
        return database.inTransaction(connection -> SendCredit.reserve(connection, TENANT, PRICE, key,
                Instant.now()));
    }

    /** The limit: a bare insert of a ledger-sized row in its own transaction, 8 threads at once. */
    @Benchmark
    @Threads(8)
    public int bareInsert() {
        String key = "raw-" + keys.incrementAndGet();
        return database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO bench_bare (tenant_id, entry_key, held, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, TENANT.value());
                insert.setString(2, key);
                insert.setBigDecimal(3, PRICE);
                insert.setLong(4, System.currentTimeMillis());
                return insert.executeUpdate();
            }
        });
    }
}

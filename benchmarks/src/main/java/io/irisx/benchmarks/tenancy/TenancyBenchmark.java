package io.irisx.benchmarks.tenancy;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.spi.Metering;
import io.irisx.core.store.Database;
import io.irisx.core.tenant.ApiKey;
import io.irisx.core.tenant.ApiScope;
import io.irisx.core.usage.UsageUnit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
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
 * The tenancy features on the embedded H2 (in memory), each beside its limit or peer:
 * <ul>
 *   <li>{@code ApiKeyAuthenticator.authenticate} (the key's row read by its prefix, hashes compared) beside the bare
 *       hash-and-compare of the same key against its stored hash, no database;</li>
 *   <li>a send's rate-limit check ({@code RateLimiter.acquireSend}, under a limit it never reaches) beside Bucket4j
 *       used directly, one local bucket;</li>
 *   <li>usage metering ({@code Metering.record} in its own transaction, a new key each time) under 8 threads beside
 *       a bare {@code INSERT} of the same columns in its own transaction, on the same database.</li>
 * </ul>
 * One instance per benchmark; thread-safe where the benchmark runs on 8 threads.
 *
 * <p>Not {@code final}: JMH generates a subclass of each benchmark class.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class TenancyBenchmark {

    private static final TenantId TENANT = TenantId.of("acme");

    private Irisx irisx;
    private Database database;
    private String key;
    private byte[] storedHash;
    private RateLimiter limiter;
    private Bucket bucket;
    private final AtomicLong subjects = new AtomicLong();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A runtime on an in-memory H2 with one key, one limit far above what is reached, and the usage table. */
    @Setup
    public void setUp() {
        irisx = Irisx.builder()
                .jdbcUrl("jdbc:h2:mem:tenancy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;"
                        + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", null, null)
                .sealingKeys(SealingKeys.generate("k1"))
                .rateLimits(RateLimits.builder().send(Channel.EMAIL, Limit.perSecond(1_000_000_000L)).build())
                .build();
        database = irisx.database();
        key = irisx.tenant(TENANT).apiKeys().create("bench", ApiKey.Mode.LIVE, Set.of(ApiScope.EMAIL_SEND),
                Optional.empty()).text().reveal();
        storedHash = sha256(key);
        limiter = irisx.rateLimiter();
        bucket = Bucket.builder().addLimit(Bandwidth.builder().capacity(1_000_000_000L)
                .refillGreedy(1_000_000_000L, Duration.ofSeconds(1)).build()).build();
        if (!irisx.apiKeys().authenticate(key).tenant().id().equals(TENANT) || !bareAuthenticate()) {
            throw new IllegalStateException("the key does not authenticate");
        }
    }

    /** Closes the runtime. */
    @TearDown
    public void tearDown() {
        irisx.close();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An API key authenticated by IRISX. */
    @Benchmark
    public Object authenticate() {
        return irisx.apiKeys().authenticate(key);
    }

    /** The limit: the key's SHA-256 compared in constant time with the stored one. */
    @Benchmark
    public boolean bareAuthenticate() {
        return MessageDigest.isEqual(sha256(key), storedHash);
    }

    /** A send's rate-limit check by IRISX. */
    @Benchmark
    public void rateLimit() {
        limiter.acquireSend(TENANT, Channel.EMAIL);
    }

    /** The peer: Bucket4j used directly, one local bucket. */
    @Benchmark
    public boolean bucket4j() {
        return bucket.tryConsume(1);
    }

    /** One usage record metered in its own transaction, 8 threads at once. */
    @Benchmark
    @Threads(8)
    public boolean meter() {
        String subject = "msg-" + run + "-" + subjects.incrementAndGet();
        return database.inTransaction(connection -> Metering.record(connection, TENANT, UsageUnit.EMAIL, subject, 1,
                Instant.now()));
    }

    /** The limit: a bare insert of the same columns in its own transaction, 8 threads at once. */
    @Benchmark
    @Threads(8)
    public int bareInsert() {
        String subject = "raw-" + run + "-" + subjects.incrementAndGet();
        return database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_usage (tenant_id,"
                    + " idempotency_key, unit, subject, quantity, occurred_at, usage_day) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, TENANT.value());
                insert.setString(2, subject + ":EMAIL");
                insert.setString(3, "EMAIL");
                insert.setString(4, subject);
                insert.setLong(5, 1);
                long now = System.currentTimeMillis();
                insert.setLong(6, now);
                insert.setInt(7, (int) (now / 86_400_000L));
                return insert.executeUpdate();
            }
        });
    }
}

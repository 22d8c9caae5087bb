package io.irisx.core.internal;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.CustomColumnProvider;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.store.Database;
import io.irisx.core.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets in the table {@code irisx_rate_limit_buckets}, shared by every process on the PostgreSQL database
 * (Bucket4j's PostgreSQL backend, its select-for-update variant): each token is taken in a transaction that locks
 * the bucket's row, so processes taking from one bucket at once never take more than it holds. Thread-safe.
 *
 * <p>Each row carries the tenant ({@code tenant_id}, so that deleting a tenant deletes its buckets) and when its
 * bucket is full again ({@code expires_at}, by the runtime's clock, plus a minute for the processes' clocks to
 * disagree): from then on it is as good as a new one, and {@link #sweep()} deletes it. Every process must read the
 * same time: Bucket4j refills a stored bucket by the clock of the process that takes from it.
 */
final class PostgresRateBuckets implements RateBuckets {

    /** How long a full bucket is kept beyond the moment it is full, for clocks that disagree. */
    private static final Duration KEEP_AFTER_FULL = Duration.ofMinutes(1);
    private static final int SWEEP_BATCH = 1_000;
    private static final int SWEEP_BATCHES = 10;

    private final Database database;
    private final Clock clock;
    private final ProxyManager<Key> buckets;
    private final Map<Limit, BucketConfiguration> configurations = new ConcurrentHashMap<>();

    /** A bucket's row: its id and its tenant. */
    private record Key(String id, String tenant) {
    }

    PostgresRateBuckets(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        ExpirationAfterWriteStrategy full = ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                KEEP_AFTER_FULL);
        PrimaryKeyMapper<Key> ids = (statement, index, key) -> statement.setString(index, key.id());
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(
                        AutoCommitRestoringDataSource.of(database.dataSource()))
                .primaryKeyMapper(ids)
                .table("irisx_rate_limit_buckets")
                .idColumn("id")
                .stateColumn("state")
                .addCustomColumn(column("tenant_id", (key, state, nanos) -> key.tenant()))
                .addCustomColumn(column("expires_at",
                        (key, state, nanos) -> nanos / 1_000_000 + full.calculateTimeToLiveMillis(state, nanos)))
                .clientClock(new ClockTimeMeter(clock))
                .build();
    }

    @Override
    public ConsumptionProbe tryConsume(String key, String tenant, Limit limit) {
        BucketConfiguration configuration = configurations.computeIfAbsent(limit, RateBuckets::configuration);
        try {
            return buckets.getProxy(new Key(key, tenant), () -> configuration).tryConsumeAndReturnRemaining(1);
        } catch (BucketExceptions.BucketExecutionException e) {
            String doing = "taking a token from rate-limit bucket " + key;
            if (e.getCause() instanceof SQLException sql) {
                throw StoreException.of(doing, sql);
            }
            throw new StoreException(doing + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int sweep() {
        long now = clock.millis();
        int dropped = 0;
        for (int batch = 0; batch < SWEEP_BATCHES; batch++) {
            int deleted = database.inTransaction(connection -> {
                // SKIP LOCKED: a bucket being taken from now is not full, and is not waited for.
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM irisx_rate_limit_buckets"
                        + " WHERE expires_at < ? AND id IN (SELECT id FROM irisx_rate_limit_buckets"
                        + " WHERE expires_at < ? LIMIT " + SWEEP_BATCH + " FOR UPDATE SKIP LOCKED)")) {
                    delete.setLong(1, now);
                    delete.setLong(2, now);
                    return delete.executeUpdate();
                }
            });
            dropped += deleted;
            if (deleted < SWEEP_BATCH) {
                break;
            }
        }
        return dropped;
    }

    @Override
    public String toString() {
        return "PostgresRateBuckets[irisx_rate_limit_buckets]";
    }

    /** The value of a column Bucket4j writes beside the state, from the key, the new state and the time. */
    private interface ColumnValue {
        Object value(Key key, RemoteBucketState state, long nanos);
    }

    private static CustomColumnProvider<Key> column(String name, ColumnValue value) {
        return new CustomColumnProvider<>() {
            @Override
            public void setCustomField(Key key, int index, PreparedStatement statement, RemoteBucketState state,
                    long currentTimeNanos) throws SQLException {
                statement.setObject(index, value.value(key, state, currentTimeNanos));
            }

            @Override
            public String getCustomFieldName() {
                return name;
            }
        };
    }
}

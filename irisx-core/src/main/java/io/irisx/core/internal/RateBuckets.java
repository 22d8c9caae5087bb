package io.irisx.core.internal;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.store.Database;
import java.time.Clock;

/**
 * Where the rate limiter's token buckets live: in this process ({@link LocalRateBuckets}) or in a table every process
 * on the database shares ({@link PostgresRateBuckets}). Implementations are thread-safe.
 */
public interface RateBuckets {

    /**
     * Takes one token from the bucket {@code key} of tenant {@code tenant}, made full with {@code limit} when it does
     * not exist; the probe says whether it was taken and, if not, how long until one is there.
     */
    ConsumptionProbe tryConsume(String key, String tenant, Limit limit);

    /** Drops the buckets that are full again (as good as new), so that idle tenants cost nothing; how many. */
    int sweep();

    /** The buckets for {@code database}: shared in a table on PostgreSQL, in this process on H2. */
    static RateBuckets of(Database database, Clock clock) {
        return database.dialect() == Database.Dialect.POSTGRESQL ? new PostgresRateBuckets(database, clock)
                : new LocalRateBuckets(clock);
    }

    /** Bucket4j's configuration of {@code limit}: a bucket of {@code burst} tokens, refilled continuously. */
    static BucketConfiguration configuration(Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.burst()).refillGreedy(limit.tokens(), limit.period()))
                .build();
    }
}

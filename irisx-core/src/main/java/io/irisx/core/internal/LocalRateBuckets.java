package io.irisx.core.internal;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.irisx.core.ratelimit.Limit;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Token buckets in this process's memory (Bucket4j's local buckets): exact for one process, as the embedded H2
 * database is; thread-safe. Each key's bucket is read and changed under its map entry's lock, so that a sweep never
 * drops a bucket while a token is being taken from it.
 */
final class LocalRateBuckets implements RateBuckets {

    private final TimeMeter time;
    private final ConcurrentMap<String, Entry> buckets = new ConcurrentHashMap<>();

    LocalRateBuckets(Clock clock) {
        this.time = new ClockTimeMeter(clock);
    }

    @Override
    public ConsumptionProbe tryConsume(String key, String tenant, Limit limit) {
        ConsumptionProbe[] probe = new ConsumptionProbe[1];
        buckets.compute(key, (k, entry) -> {
            Entry current = entry != null ? entry : new Entry(limit, Bucket.builder()
                    .addLimit(RateBuckets.configuration(limit).getBandwidths()[0])
                    .withCustomTimePrecision(time)
                    .build());
            probe[0] = current.bucket.tryConsumeAndReturnRemaining(1);
            return current;
        });
        return probe[0];
    }

    @Override
    public int sweep() {
        int[] dropped = new int[1];
        for (String key : buckets.keySet()) {
            buckets.computeIfPresent(key, (k, entry) -> {
                if (entry.bucket.getAvailableTokens() >= entry.limit.burst()) {
                    dropped[0]++;
                    return null;
                }
                return entry;
            });
        }
        return dropped[0];
    }

    @Override
    public String toString() {
        return "LocalRateBuckets[" + buckets.size() + " buckets]";
    }

    private record Entry(Limit limit, Bucket bucket) {
    }
}

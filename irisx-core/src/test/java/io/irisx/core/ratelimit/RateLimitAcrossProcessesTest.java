package io.irisx.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.store.Database;
import io.irisx.core.testing.ChildJvm;
import io.irisx.core.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs on one PostgreSQL take one tenant's send tokens as fast as they can for a few seconds: together they take
 * no more than the limit allows one process (the burst, and the rate over the time they took tokens), and close to
 * it, as their buckets are one row of {@code irisx_rate_limit_buckets}.
 */
class RateLimitAcrossProcessesTest {

    private static final long RATE = 100;
    private static final long BURST = 50;
    private static final long MILLIS = 3_000;

    /** One process's result: tokens taken, refusals, and the span it took them in, in epoch microseconds. */
    private record Result(long taken, long refused, long first, long last) {
        static Result parse(String line) {
            String[] parts = line.trim().split(" ");
            return new Result(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                    Long.parseLong(parts[3]));
        }
    }

    @Test
    void two_processes_hammering_one_tenants_limit_take_no_more_than_its_rate_and_burst_together() {
        try (Database database = TestDatabases.postgres()) {
            String url = TestDatabases.url(database);
            String tenant = "hammered-" + UUID.randomUUID().toString().substring(0, 8);
            String[] args = {url, tenant, String.valueOf(RATE), String.valueOf(BURST), "4", String.valueOf(MILLIS)};
            try (ChildJvm one = ChildJvm.start("limiter-1", RateLimitProcessMain.class, args);
                    ChildJvm two = ChildJvm.start("limiter-2", RateLimitProcessMain.class, args)) {
                one.send("go");
                two.send("go");
                Result first = Result.parse(one.awaitLine("result ", Duration.ofSeconds(60)).substring(7));
                Result second = Result.parse(two.awaitLine("result ", Duration.ofSeconds(60)).substring(7));

                long taken = first.taken() + second.taken();
                long spanMicros = Math.max(first.last(), second.last()) - Math.min(first.first(), second.first());
                // A full bucket to start with, then RATE tokens a second over the span the tokens were taken in.
                double allowed = BURST + RATE * spanMicros / 1_000_000.0;

                assertThat(List.of(first, second)).allSatisfy(result -> {
                    assertThat(result.taken()).as("tokens each process took").isPositive();
                    assertThat(result.refused()).as("refusals each process met").isPositive();
                });
                assertThat(spanMicros).as("the span of the taking").isGreaterThan((MILLIS - 500) * 1_000);
                // The bound is the point; the floor shows the processes kept taking (each token is a transaction on
                // a shared 2-core machine, so a busy moment costs a few percent of them).
                assertThat((double) taken).as("tokens taken by both processes, of %.1f allowed", allowed)
                        .isLessThanOrEqualTo(allowed)
                        .isGreaterThanOrEqualTo(allowed * 0.8);
            }
        }
    }
}

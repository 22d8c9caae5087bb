package io.irisx.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Channel;
import io.irisx.core.RateLimitedException;
import io.irisx.core.TenantId;
import io.irisx.core.ratelimit.RateLimiter.Decision;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.core.tenant.Tenants;
import io.irisx.testing.LogCapture;
import io.irisx.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The rate limiter's token buckets, on a clock the tests move: bursts, refills, tenants and stages apart, the turns
 * of refused deliveries, and where the buckets live (shared in a table on PostgreSQL, in memory on H2).
 */
@OnEachDialect
class RateLimiterTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    @Parameter
    Database.Dialect dialect;
    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    private Database database;

    @BeforeEach
    void open() {
        database = TestDatabases.of(dialect);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private RateLimiter limiter(RateLimits limits) {
        return RateLimiter.builder(database).clock(clock).limits(limits).build();
    }

    private static int sendsTaken(RateLimiter limiter, TenantId tenant, Channel channel) {
        int taken = 0;
        while (true) {
            try {
                limiter.acquireSend(tenant, channel);
                taken++;
            } catch (RateLimitedException e) {
                return taken;
            }
            if (taken > 100_000) {
                throw new AssertionError("no limit held " + tenant);
            }
        }
    }

    @Test
    void a_full_bucket_gives_its_burst_then_one_token_each_interval_and_never_more_than_the_burst_at_once() {
        RateLimiter limiter = limiter(RateLimits.builder().send(Channel.EMAIL, Limit.perSecond(10).burst(20)).build());

        assertThat(sendsTaken(limiter, ACME, Channel.EMAIL)).isEqualTo(20);
        assertThatThrownBy(() -> limiter.acquireSend(ACME, Channel.EMAIL))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(100));
                    assertThat(e.getMessage()).isEqualTo("rate limited (tenant acme: email sends, 10 per 1 s,"
                            + " burst 20); retry after 100 ms");
                });

        clock.advance(Duration.ofMillis(40));
        assertThatThrownBy(() -> limiter.acquireSend(ACME, Channel.EMAIL))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(60)));
        clock.advance(Duration.ofMillis(60));
        assertThat(sendsTaken(limiter, ACME, Channel.EMAIL)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(sendsTaken(limiter, ACME, Channel.EMAIL)).isEqualTo(10);

        // An hour's quiet fills the bucket, no fuller than its burst.
        clock.advance(Duration.ofHours(1));
        assertThat(sendsTaken(limiter, ACME, Channel.EMAIL)).isEqualTo(20);
    }

    @Test
    void each_tenant_has_buckets_of_its_own() {
        RateLimiter limiter = limiter(RateLimits.builder().send(Channel.SMS, Limit.perSecond(5)).build());

        assertThat(sendsTaken(limiter, ACME, Channel.SMS)).isEqualTo(5);

        assertThat(sendsTaken(limiter, GLOBEX, Channel.SMS)).isEqualTo(5);
        assertThatThrownBy(() -> limiter.acquireSend(ACME, Channel.SMS)).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void a_tenants_own_limit_overrides_the_default_and_an_unlimited_one_lifts_it() {
        TenantId bigco = TenantId.of("bigco");
        TenantId free = TenantId.of("free");
        RateLimiter limiter = limiter(RateLimits.builder()
                .send(Channel.EMAIL, Limit.perMinute(2))
                .send(bigco, Channel.EMAIL, Limit.perMinute(7))
                .send(free, Channel.EMAIL, Limit.unlimited())
                .build());

        assertThat(sendsTaken(limiter, ACME, Channel.EMAIL)).isEqualTo(2);
        assertThat(sendsTaken(limiter, bigco, Channel.EMAIL)).isEqualTo(7);
        for (int i = 0; i < 1_000; i++) {
            limiter.acquireSend(free, Channel.EMAIL);
        }
        assertThat(limiter.limits().limit(free, Channel.EMAIL, RateLimits.Stage.SEND)).isEmpty();
    }

    @Test
    void sends_and_deliveries_have_buckets_of_their_own_and_a_channel_without_a_limit_is_not_held_back() {
        RateLimiter limiter = limiter(RateLimits.builder()
                .send(Channel.EMAIL, Limit.perSecond(3))
                .delivery(Channel.EMAIL, Limit.perSecond(3))
                .build());

        assertThat(sendsTaken(limiter, ACME, Channel.EMAIL)).isEqualTo(3);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquireDelivery(ACME, Channel.EMAIL)).isEqualTo(Decision.GRANTED);
        }
        assertThat(limiter.tryAcquireDelivery(ACME, Channel.EMAIL).granted()).isFalse();
        for (int i = 0; i < 1_000; i++) {
            limiter.acquireSend(ACME, Channel.SMS);
            assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS).granted()).isTrue();
        }
    }

    @Test
    void refused_deliveries_come_back_in_turn_one_token_apart() {
        RateLimiter limiter = limiter(RateLimits.builder().delivery(Channel.SMS, Limit.perSecond(10).burst(1)).build());

        assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS).granted()).isTrue();
        assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS)).isEqualTo(Decision.refused(Duration.ofMillis(100)));
        assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS)).isEqualTo(Decision.refused(Duration.ofMillis(200)));
        assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS)).isEqualTo(Decision.refused(Duration.ofMillis(300)));

        // A token is back: taken by whoever asks first; the next refused waits behind those refused before it.
        clock.advance(Duration.ofMillis(100));
        assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS).granted()).isTrue();
        assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS)).isEqualTo(Decision.refused(Duration.ofMillis(300)));
        // Another tenant's deliveries have turns of their own.
        assertThat(limiter.tryAcquireDelivery(GLOBEX, Channel.SMS).granted()).isTrue();
        assertThat(limiter.tryAcquireDelivery(GLOBEX, Channel.SMS)).isEqualTo(Decision.refused(Duration.ofMillis(100)));

        // Once the turns have passed, a refused delivery waits for the next token alone.
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS).granted()).isTrue();
        assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS)).isEqualTo(Decision.refused(Duration.ofMillis(100)));
    }

    @Test
    void without_limits_nothing_is_held_back() {
        RateLimiter limiter = limiter(RateLimits.none());

        for (int i = 0; i < 10_000; i++) {
            limiter.acquireSend(ACME, Channel.EMAIL);
            assertThat(limiter.tryAcquireDelivery(ACME, Channel.EMAIL)).isEqualTo(Decision.GRANTED);
        }
        assertThat(limiter.limits().isEmpty()).isTrue();
    }

    @Test
    void processes_on_one_postgresql_share_each_bucket_and_on_h2_each_process_has_its_own() {
        RateLimits limits = RateLimits.builder().send(Channel.EMAIL, Limit.perMinute(10)).build();
        try (Database otherProcess = TestDatabases.another(database, 2)) {
            RateLimiter here = limiter(limits);
            RateLimiter there = RateLimiter.builder(otherProcess).clock(clock).limits(limits).build();

            assertThat(sendsTaken(here, ACME, Channel.EMAIL)).isEqualTo(10);

            assertThat(sendsTaken(there, ACME, Channel.EMAIL)).isEqualTo(dialect == Database.Dialect.POSTGRESQL ? 0 : 10);
        }
    }

    @Test
    void a_changed_limit_starts_a_bucket_of_its_own() {
        RateLimiter before = limiter(RateLimits.builder().send(Channel.EMAIL, Limit.perMinute(2)).build());
        RateLimiter after = limiter(RateLimits.builder().send(Channel.EMAIL, Limit.perMinute(3)).build());

        assertThat(sendsTaken(before, ACME, Channel.EMAIL)).isEqualTo(2);
        assertThat(sendsTaken(after, ACME, Channel.EMAIL)).isEqualTo(3);
    }

    @Test
    void refusals_are_counted_by_channel_and_stage_and_a_tenant_over_its_limit_is_warned_of_once_a_minute() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RateLimiter limiter = RateLimiter.builder(database).clock(clock).meterRegistry(registry)
                .limits(RateLimits.builder().send(Channel.SMS, Limit.perSecond(1))
                        .delivery(Channel.SMS, Limit.perSecond(1)).build())
                .build();

        try (LogCapture logs = LogCapture.start()) {
            limiter.acquireSend(ACME, Channel.SMS);
            limiter.tryAcquireDelivery(ACME, Channel.SMS);
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> limiter.acquireSend(ACME, Channel.SMS))
                        .isInstanceOf(RateLimitedException.class);
                assertThat(limiter.tryAcquireDelivery(ACME, Channel.SMS).granted()).isFalse();
            }

            assertThat(logs.lines("WARN", "io.irisx.core.ratelimit")).containsExactly(
                    "WARN io.irisx.core.ratelimit.RateLimiter - irisx: tenant acme is over its sms sends limit"
                            + " (1 per 1 s, burst 1): sends are refused with RateLimitedException",
                    "WARN io.irisx.core.ratelimit.RateLimiter - irisx: tenant acme is over its sms deliveries limit"
                            + " (1 per 1 s, burst 1): deliveries wait their turn");
        }
        assertThat(registry.get("irisx.rate.limited").tags("channel", "sms", "stage", "send").counter().count())
                .isEqualTo(5);
        assertThat(registry.get("irisx.rate.limited").tags("channel", "sms", "stage", "delivery").counter().count())
                .isEqualTo(5);
        assertThat(registry.get("irisx.rate.limited").tags("channel", "email", "stage", "send").counter().count())
                .isZero();
    }

    @Test
    void buckets_full_again_are_dropped_after_ten_minutes_as_good_as_new() {
        RateLimiter limiter = limiter(RateLimits.builder().send(Channel.EMAIL, Limit.perSecond(2)).build());
        assertThat(sendsTaken(limiter, ACME, Channel.EMAIL)).isEqualTo(2);
        assertThat(sendsTaken(limiter, GLOBEX, Channel.EMAIL)).isEqualTo(2);
        if (dialect == Database.Dialect.POSTGRESQL) {
            assertThat(bucketRows()).isEqualTo(2);
        }

        clock.advance(Duration.ofMinutes(11));
        // The next call finds the sweep due: acme's and globex's buckets are full, and dropped; globex's comes back.
        assertThat(sendsTaken(limiter, GLOBEX, Channel.EMAIL)).isEqualTo(2);

        if (dialect == Database.Dialect.POSTGRESQL) {
            assertThat(bucketRows()).isEqualTo(1);
        }
        assertThat(sendsTaken(limiter, ACME, Channel.EMAIL)).isEqualTo(2);
    }

    @Test
    void deleting_a_tenant_deletes_its_buckets_and_no_one_elses() {
        Tenants tenants = new Tenants(database, clock, List::of);
        tenants.create(ACME, "Acme", Map.of());
        RateLimiter limiter = limiter(RateLimits.builder().send(Channel.EMAIL, Limit.perMinute(2)).build());
        sendsTaken(limiter, ACME, Channel.EMAIL);
        sendsTaken(limiter, GLOBEX, Channel.EMAIL);

        tenants.delete(ACME);

        if (dialect == Database.Dialect.POSTGRESQL) {
            assertThat(bucketRows()).isEqualTo(1);
        }
        assertThat(sendsTaken(limiter, GLOBEX, Channel.EMAIL)).isZero();
    }

    private long bucketRows() {
        return database.withConnection(connection -> {
            try (var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM irisx_rate_limit_buckets")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}

package io.irisx.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.ratelimit.RateLimits.Stage;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.spi.ModuleContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a limit is, which limit holds where, and how the runtime hands its limiter to the modules. */
class RateLimitsTest {

    private static final TenantId ACME = TenantId.of("acme");

    @TempDir
    Path data;

    @Test
    void a_limit_is_tokens_per_period_with_a_burst_of_one_periods_worth_unless_set() {
        Limit limit = Limit.of(100, Duration.ofSeconds(1));
        assertThat(limit.tokens()).isEqualTo(100);
        assertThat(limit.period()).isEqualTo(Duration.ofSeconds(1));
        assertThat(limit.burst()).isEqualTo(100);
        assertThat(limit.interval()).isEqualTo(Duration.ofMillis(10));
        assertThat(limit.burst(200)).hasToString("100 per 1 s, burst 200").isEqualTo(Limit.perSecond(100).burst(200));
        assertThat(limit).isEqualTo(Limit.perSecond(100)).hasSameHashCodeAs(Limit.perSecond(100));
        assertThat(Limit.perMinute(30)).hasToString("30 per 1 min, burst 30");
        assertThat(Limit.of(10_000, Duration.ofDays(1))).hasToString("10000 per 1 d, burst 10000");
        assertThat(Limit.of(5, Duration.ofHours(2))).hasToString("5 per 2 h, burst 5");
        assertThat(Limit.of(5, Duration.ofMillis(1500))).hasToString("5 per 1500 ms, burst 5");
        assertThat(Limit.unlimited()).hasToString("unlimited").matches(Limit::isUnlimited);
    }

    @Test
    void a_limit_out_of_range_is_refused_naming_the_value() {
        assertThatThrownBy(() -> Limit.of(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tokens must be between 1 and 1000000000, was 0");
        assertThatThrownBy(() -> Limit.of(1_000_000_001L, Duration.ofSeconds(1)))
                .hasMessage("tokens must be between 1 and 1000000000, was 1000000001");
        assertThatThrownBy(() -> Limit.of(1, Duration.ofNanos(999_999))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("period must be between 1 ms and 31 days, was PT0.000999999S");
        assertThatThrownBy(() -> Limit.of(1, Duration.ofDays(32)))
                .hasMessage("period must be between 1 ms and 31 days, was PT768H");
        assertThatThrownBy(() -> Limit.perSecond(1).burst(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("burst must be between 1 and 1000000000, was 0");
        assertThatThrownBy(() -> Limit.unlimited().burst(5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Limit.of(1, null)).isInstanceOf(NullPointerException.class).hasMessage("period");
    }

    @Test
    void a_tenants_own_limit_wins_over_the_default_and_the_last_one_set_wins() {
        TenantId bigco = TenantId.of("bigco");
        RateLimits.Builder builder = RateLimits.builder()
                .send(Channel.EMAIL, Limit.perSecond(1))
                .delivery(Channel.EMAIL, Limit.perSecond(2))
                .send(bigco, Channel.EMAIL, Limit.perSecond(10))
                .delivery(bigco, Channel.EMAIL, Limit.unlimited())
                .limit(Stage.SEND, Channel.SMS, Limit.perSecond(3))
                .limit(Stage.SEND, Channel.SMS, Limit.perSecond(4));
        RateLimits limits = builder.build();
        builder.send(Channel.VOICE, Limit.perSecond(1));

        assertThat(limits.limit(ACME, Channel.EMAIL, Stage.SEND)).contains(Limit.perSecond(1));
        assertThat(limits.limit(ACME, Channel.EMAIL, Stage.DELIVERY)).contains(Limit.perSecond(2));
        assertThat(limits.limit(bigco, Channel.EMAIL, Stage.SEND)).contains(Limit.perSecond(10));
        assertThat(limits.limit(bigco, Channel.EMAIL, Stage.DELIVERY)).isEmpty();
        assertThat(limits.limit(bigco, Channel.SMS, Stage.SEND)).contains(Limit.perSecond(4));
        assertThat(limits.limit(ACME, Channel.WEBHOOKS, Stage.SEND)).isEmpty();
        // build() left the builder as it was: what was set after it is not in the limits built.
        assertThat(limits.limit(ACME, Channel.VOICE, Stage.SEND)).isEmpty();
        assertThat(limits.isEmpty()).isFalse();
        assertThat(RateLimits.none().isEmpty()).isTrue();
    }

    @Test
    void the_runtime_holds_tenants_to_its_limits_and_gives_its_modules_the_same_limiter() {
        RateLimits limits = RateLimits.builder().send(Channel.EMAIL, Limit.perSecond(1)).build();
        AtomicReference<RateLimiter> seen = new AtomicReference<>();
        IrisxModule module = new IrisxModule() {
            @Override
            public String name() {
                return "limited";
            }

            @Override
            public void install(ModuleContext context) {
                seen.set(context.rateLimiter());
            }
        };
        Irisx irisx = Irisx.builder().dataDirectory(data).rateLimits(limits).install(module).build();
        try (irisx) {
            assertThat(irisx.rateLimiter().limits()).isSameAs(limits);
            assertThat(seen.get()).isSameAs(irisx.rateLimiter());
        }
        assertThatThrownBy(irisx::rateLimiter).isInstanceOf(IllegalStateException.class)
                .hasMessage("this Irisx runtime is closed");
        try (Irisx unlimited = Irisx.builder().dataDirectory(data).build()) {
            assertThat(unlimited.rateLimiter().limits()).isSameAs(RateLimits.none());
        }
    }
}

package io.irisx.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static Optional<Duration> seconds(long s) {
        return Optional.of(Duration.ofSeconds(s));
    }

    @Test
    void the_default_policy_retries_after_1_2_4_8_and_16_seconds_then_gives_up() {
        RetryPolicy policy = RetryPolicy.defaults().toBuilder().jitter(0).build();
        assertThat(policy.retries()).isEqualTo(5);
        assertThat(policy.maxAttempts()).isEqualTo(6);
        assertThat(policy.delayAfter(1)).isEqualTo(seconds(1));
        assertThat(policy.delayAfter(2)).isEqualTo(seconds(2));
        assertThat(policy.delayAfter(3)).isEqualTo(seconds(4));
        assertThat(policy.delayAfter(4)).isEqualTo(seconds(8));
        assertThat(policy.delayAfter(5)).isEqualTo(seconds(16));
        assertThat(policy.delayAfter(6)).isEmpty();
    }

    @Test
    void the_long_schedule_is_the_standard_webhooks_one() {
        assertThat(RetryPolicy.longSchedule().schedule()).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        assertThat(RetryPolicy.longSchedule().maxAttempts()).isEqualTo(8);
    }

    @Test
    void jitter_keeps_each_delay_within_its_fraction_of_the_base() {
        RetryPolicy lowest = RetryPolicy.defaults().toBuilder().random(() -> 0.0).build();
        RetryPolicy highest = RetryPolicy.defaults().toBuilder().random(() -> 0.999_999).build();
        assertThat(lowest.delayAfter(3)).contains(Duration.ofMillis(3200));
        assertThat(highest.delayAfter(3)).contains(Duration.ofMillis(4800));
    }

    @Test
    void jittered_delays_spread_across_the_whole_band() {
        RetryPolicy policy = RetryPolicy.defaults();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 2_000; i++) {
            long millis = policy.delayAfter(1).orElseThrow().toMillis();
            min = Math.min(min, millis);
            max = Math.max(max, millis);
        }
        assertThat(min).isBetween(800L, 850L);
        assertThat(max).isBetween(1150L, 1200L);
    }

    @Test
    void an_exponential_policy_can_be_configured() {
        RetryPolicy policy = RetryPolicy.exponential(Duration.ofMillis(100), 3, 3).jitter(0).build();
        assertThat(policy.schedule()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(900));
    }

    @Test
    void no_retry_means_the_first_failure_exhausts() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.none().delayAfter(1)).isEmpty();
    }

    @Test
    void bad_settings_are_refused_naming_the_setting_and_value() {
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5)).hasMessage("jitter must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> RetryPolicy.builder().schedule(List.of(Duration.ofSeconds(1), Duration.ZERO)))
                .hasMessage("schedule[1] must be positive and at most 365 days, was PT0S");
        assertThatThrownBy(() -> RetryPolicy.exponential(Duration.ofSeconds(1), 0.5, 3))
                .hasMessage("multiplier must be a finite number >= 1, was 0.5");
        assertThatThrownBy(() -> RetryPolicy.defaults().delayAfter(0)).hasMessage("attemptsMade must be at least 1, was 0");
    }

    @Test
    void a_delay_beyond_a_year_is_refused_rather_than_overflowing_when_it_is_used() {
        Duration huge = Duration.ofSeconds(Long.MAX_VALUE / 1000);
        assertThatThrownBy(() -> RetryPolicy.builder().schedule(List.of(huge)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("schedule[0] must be positive and at most 365 days, was " + huge);
        assertThatThrownBy(() -> RetryPolicy.exponential(huge, 944.7, 60))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("initial must be positive and at most 365 days");
        assertThatThrownBy(() -> RetryPolicy.exponential(Duration.ofNanos(1), 2, 3))
                .hasMessage("initial must be at least 1 ms, was PT0.000000001S");

        RetryPolicy growing = RetryPolicy.exponential(Duration.ofDays(1), 944.7, 60).jitter(0).build();
        assertThat(growing.delayAfter(60)).contains(RetryPolicy.MAX_DELAY);
        assertThat(RetryPolicy.builder().schedule(List.of(RetryPolicy.MAX_DELAY)).jitter(1).random(() -> 0.999).build()
                .delayAfter(1)).hasValueSatisfying(delay -> assertThat(delay).isGreaterThan(RetryPolicy.MAX_DELAY));
    }
}

package io.irisx.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.testing.DocumentedFailures;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random settings given to {@link RetryPolicy} and {@link ConsumeOptions}: each setter takes the value or refuses it
 * with an {@link IllegalArgumentException} naming the setting, and a policy that was built gives a delay, or none,
 * after every attempt.
 */
class RetrySettingsFuzzTest {

    private static final List<Class<? extends Throwable>> MISUSE = List.of(IllegalArgumentException.class);

    @Property(tries = 1000)
    void a_schedule_and_jitter_are_taken_or_refused_and_a_built_policy_gives_its_delays(
            @ForAll("durationLists") List<Duration> schedule, @ForAll("jitters") double jitter) {
        DocumentedFailures.only(() -> {
            RetryPolicy policy = RetryPolicy.builder().schedule(schedule).jitter(jitter).build();
            delaysOf(policy);
        }, MISUSE).ifPresent(e -> assertThat(e.getMessage()).containsAnyOf("schedule[", "jitter"));
    }

    @Property(tries = 1000)
    void an_exponential_policy_is_built_or_refused_and_gives_its_delays(@ForAll("durations") Duration initial,
            @ForAll("multipliers") double multiplier, @ForAll("retries") int retries) {
        DocumentedFailures.only(() -> delaysOf(RetryPolicy.exponential(initial, multiplier, retries).build()), MISUSE)
                .ifPresent(e -> assertThat(e.getMessage()).containsAnyOf("initial", "multiplier", "retries"));
    }

    @Property(tries = 1000)
    void consume_options_take_each_setting_or_refuse_it_by_name(@ForAll("counts") int concurrency,
            @ForAll("counts") int batchSize, @ForAll("durations") Duration claimTimeout,
            @ForAll("durations") Duration pollInterval, @ForAll("durations") Duration shutdownTimeout) {
        DocumentedFailures.only(() -> ConsumeOptions.builder().concurrency(concurrency).batchSize(batchSize)
                .claimTimeout(claimTimeout).pollInterval(pollInterval).shutdownTimeout(shutdownTimeout).build()
                .toBuilder().build(), MISUSE)
                .ifPresent(e -> assertThat(e.getMessage()).containsAnyOf("concurrency", "batchSize", "claimTimeout",
                        "pollInterval", "shutdownTimeout"));
    }

    private static void delaysOf(RetryPolicy policy) {
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            Optional<Duration> delay = policy.delayAfter(attempt);
            assertThat(delay.isPresent()).isEqualTo(attempt < policy.maxAttempts());
            delay.ifPresent(d -> assertThat(d.isNegative()).isFalse());
        }
    }

    @Provide
    Arbitrary<Duration> durations() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-5, 100_000).map(Duration::ofMillis),
                Arbitraries.longs().between(-5, 10_000).map(Duration::ofNanos),
                Arbitraries.longs().map(Duration::ofSeconds),
                Arbitraries.longs().between(Long.MAX_VALUE / 1000 - 5, Long.MAX_VALUE / 1000 + 5).map(Duration::ofSeconds),
                Arbitraries.of(Duration.ZERO, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
                        Duration.ofSeconds(Long.MIN_VALUE), Duration.ofHours(12), Duration.ofMinutes(10),
                        Duration.ofDays(365 * 1000)));
    }

    @Provide
    Arbitrary<List<Duration>> durationLists() {
        return durations().list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<Double> jitters() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-0.5, 1.5),
                Arbitraries.of(0.0, 1.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MIN_VALUE, Math.nextUp(1.0)));
    }

    @Provide
    Arbitrary<Double> multipliers() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1000),
                Arbitraries.of(1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MAX_VALUE, -1.0, 0.0));
    }

    @Provide
    Arbitrary<Integer> retries() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-3, 105), Arbitraries.integers());
    }

    @Provide
    Arbitrary<Integer> counts() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-2, 1030), Arbitraries.integers());
    }
}

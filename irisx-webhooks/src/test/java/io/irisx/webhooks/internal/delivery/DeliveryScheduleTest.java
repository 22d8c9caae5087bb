package io.irisx.webhooks.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.retry.RetryPolicy;
import io.irisx.webhooks.delivery.AttemptResult;
import io.irisx.webhooks.delivery.AttemptResult.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * When a webhook is tried again: after a failure only, by the endpoint's {@code Retry-After} (RFC 9110 §10.2.3)
 * when it sent one, else by the retry policy (the Standard Webhooks spec 1.0 suggests an exponential schedule).
 */
class DeliveryScheduleTest {

    private static final RetryPolicy POLICY = RetryPolicy.builder()
            .schedule(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2))).jitter(0).build();

    private static AttemptResult result(Kind kind, Optional<Duration> retryAfter) {
        return new AttemptResult(kind, OptionalInt.of(503), Duration.ofMillis(12), "", Optional.of("HTTP 503"),
                retryAfter);
    }

    @Test
    @DisplayName("A failure without Retry-After waits the policy's delay for that attempt")
    void policy_delay() {
        AttemptResult failed = result(Kind.FAILED, Optional.empty());
        assertThat(DeliverySchedule.nextDelay(failed, 1, POLICY)).hasValue(Duration.ofSeconds(1));
        assertThat(DeliverySchedule.nextDelay(failed, 2, POLICY)).hasValue(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("A failure with Retry-After waits that long instead")
    void retry_after_wins() {
        AttemptResult failed = result(Kind.FAILED, Optional.of(Duration.ofSeconds(7)));
        assertThat(DeliverySchedule.nextDelay(failed, 1, POLICY)).hasValue(Duration.ofSeconds(7));
        assertThat(DeliverySchedule.nextDelay(result(Kind.FAILED, Optional.of(Duration.ZERO)), 2, POLICY))
                .hasValue(Duration.ZERO);
    }

    @Test
    @DisplayName("No retry once the policy's tries are used up, Retry-After or not")
    void exhausted() {
        assertThat(DeliverySchedule.nextDelay(result(Kind.FAILED, Optional.empty()), 3, POLICY)).isEmpty();
        assertThat(DeliverySchedule.nextDelay(result(Kind.FAILED, Optional.of(Duration.ofSeconds(7))), 3, POLICY))
                .isEmpty();
        assertThat(DeliverySchedule.nextDelay(result(Kind.FAILED, Optional.empty()), 1, RetryPolicy.none())).isEmpty();
    }

    @Test
    @DisplayName("No retry after a success, a 410 or a blocked address")
    void final_outcomes() {
        for (Kind kind : List.of(Kind.SUCCEEDED, Kind.GONE, Kind.BLOCKED)) {
            assertThat(DeliverySchedule.nextDelay(result(kind, Optional.empty()), 1, POLICY)).as(kind.name()).isEmpty();
        }
    }

    @Test
    @DisplayName("Attempts are counted from 1")
    void attempts_from_one() {
        assertThatThrownBy(() -> DeliverySchedule.nextDelay(result(Kind.FAILED, Optional.empty()), 0, POLICY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attemptsMade");
    }
}

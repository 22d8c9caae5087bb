package io.irisx.webhooks.internal.delivery;

import io.irisx.core.retry.RetryPolicy;
import io.irisx.webhooks.delivery.AttemptResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When to attempt a webhook again after an attempt; stateless and thread-safe.
 *
 * <p>Only a {@link AttemptResult.Kind#FAILED} attempt is tried again, and only while the {@link RetryPolicy} allows
 * another try. The wait is the endpoint's own {@code Retry-After} when it sent one (already clamped by the
 * dispatcher), else the policy's delay for that attempt, jitter applied.
 */
public final class DeliverySchedule {

    private DeliverySchedule() {
    }

    /**
     * How long to wait before the next attempt; empty when there is none: the attempt succeeded, the endpoint is
     * gone, its address is refused, or the policy's tries are used up.
     *
     * @param result the attempt just made
     * @param attemptsMade how many attempts have been made so far, this one included; at least 1
     * @param policy the retry schedule
     * @throws IllegalArgumentException when {@code attemptsMade} is less than 1
     */
    public static Optional<Duration> nextDelay(AttemptResult result, int attemptsMade, RetryPolicy policy) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(policy, "policy");
        Optional<Duration> policyDelay = policy.delayAfter(attemptsMade);
        if (!result.retryable() || policyDelay.isEmpty()) {
            return Optional.empty();
        }
        return result.retryAfter().isPresent() ? result.retryAfter() : policyDelay;
    }
}

package io.irisx.webhooks.endpoint;

import io.irisx.core.id.AttemptId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One delivery attempt of a webhook message, as logged; immutable.
 *
 * @param id the attempt's id
 * @param messageId the message attempted
 * @param endpointId the endpoint it was posted to
 * @param attemptedAt when the request started
 * @param statusCode the response's status, when there was a response
 * @param latency how long the request took
 * @param responseBody the start of the response body (at most 20 KiB: 20,480 characters)
 * @param error what went wrong, when the attempt failed
 * @param outcome how the attempt ended
 */
public record WebhookAttempt(AttemptId id, MessageId messageId, EndpointId endpointId, Instant attemptedAt,
        OptionalInt statusCode, Duration latency, String responseBody, Optional<String> error, AttemptOutcome outcome) {

    /** Checks that no field is null. */
    public WebhookAttempt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(statusCode, "statusCode");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(responseBody, "responseBody");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(outcome, "outcome");
    }
}

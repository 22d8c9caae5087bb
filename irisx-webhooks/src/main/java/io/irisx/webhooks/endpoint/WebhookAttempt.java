package io.irisx.webhooks.endpoint;

import io.irisx.core.id.AttemptId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

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
 * @param requestUrl the URL the request went to; empty for an attempt that made no request, or one logged before
 *     attempts kept their requests
 * @param requestHeaders the request's headers by name, in name order: the Standard Webhooks headers
 *     ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}), the {@code User-Agent} and
 *     {@code Content-Type}, and the endpoint's own headers with their values left out, as they may be credentials
 *     ({@link io.irisx.webhooks.delivery.AttemptResult#NOT_KEPT}); empty when {@code requestUrl} is
 */
public record WebhookAttempt(AttemptId id, MessageId messageId, EndpointId endpointId, Instant attemptedAt,
        OptionalInt statusCode, Duration latency, String responseBody, Optional<String> error, AttemptOutcome outcome,
        Optional<String> requestUrl, Map<String, String> requestHeaders) {

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
        Objects.requireNonNull(requestUrl, "requestUrl");
        requestHeaders = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(requestHeaders,
                "requestHeaders")));
    }

    /** An attempt without its request kept. */
    public WebhookAttempt(AttemptId id, MessageId messageId, EndpointId endpointId, Instant attemptedAt,
            OptionalInt statusCode, Duration latency, String responseBody, Optional<String> error,
            AttemptOutcome outcome) {
        this(id, messageId, endpointId, attemptedAt, statusCode, latency, responseBody, error, outcome,
                Optional.empty(), Map.of());
    }
}

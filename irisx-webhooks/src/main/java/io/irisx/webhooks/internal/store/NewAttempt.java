package io.irisx.webhooks.internal.store;

import io.irisx.webhooks.endpoint.AttemptOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the delivery engine reports of one attempt, for {@link WebhookStore#recordAttempt}; immutable. The response
 * body is cut to {@value #MAX_RESPONSE_BODY} characters and the error to {@value #MAX_ERROR}.
 *
 * @param attemptedAt when the request started
 * @param statusCode the response's status, when there was a response (100 to 599)
 * @param latency how long the request took, not negative
 * @param responseBody the response body, or the empty string
 * @param error what went wrong, when the attempt failed
 * @param outcome how the attempt ended
 * @param requestUrl the URL the request went to, when one was made
 * @param requestHeaders the request's headers as the dispatcher kept them (see
 *     {@link io.irisx.webhooks.delivery.AttemptResult#requestHeaders()})
 */
public record NewAttempt(Instant attemptedAt, OptionalInt statusCode, Duration latency, String responseBody,
        Optional<String> error, AttemptOutcome outcome, Optional<String> requestUrl,
        Map<String, String> requestHeaders) {

    /** The longest response body kept, in characters (20 KiB). */
    public static final int MAX_RESPONSE_BODY = 20 * 1024;
    /** The longest error kept, in characters. */
    public static final int MAX_ERROR = 2000;

    /** Checks every field and cuts the body and the error to their limits. */
    public NewAttempt {
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(statusCode, "statusCode");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(responseBody, "responseBody");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(outcome, "outcome");
        if (statusCode.isPresent() && (statusCode.getAsInt() < 100 || statusCode.getAsInt() > 599)) {
            throw new IllegalArgumentException("statusCode must be between 100 and 599, was " + statusCode.getAsInt());
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + latency);
        }
        responseBody = cut(responseBody, MAX_RESPONSE_BODY);
        error = error.map(text -> cut(text, MAX_ERROR));
        Objects.requireNonNull(requestUrl, "requestUrl");
        requestHeaders = Map.copyOf(Objects.requireNonNull(requestHeaders, "requestHeaders"));
    }

    /** An attempt without its request kept. */
    public NewAttempt(Instant attemptedAt, OptionalInt statusCode, Duration latency, String responseBody,
            Optional<String> error, AttemptOutcome outcome) {
        this(attemptedAt, statusCode, latency, responseBody, error, outcome, Optional.empty(), Map.of());
    }

    /** An attempt the endpoint answered with {@code statusCode}: a success when it is 2xx, else an HTTP error. */
    public static NewAttempt response(Instant attemptedAt, int statusCode, Duration latency, String responseBody) {
        boolean success = statusCode >= 200 && statusCode < 300;
        return new NewAttempt(attemptedAt, OptionalInt.of(statusCode), latency, responseBody,
                success ? Optional.empty() : Optional.of("HTTP " + statusCode),
                success ? AttemptOutcome.SUCCESS : AttemptOutcome.HTTP_ERROR);
    }

    /** An attempt that got no response: a timeout, a network error or a blocked address. */
    public static NewAttempt noResponse(Instant attemptedAt, Duration latency, AttemptOutcome outcome, String error) {
        if (outcome == AttemptOutcome.SUCCESS || outcome == AttemptOutcome.HTTP_ERROR) {
            throw new IllegalArgumentException("an attempt without a response cannot end as " + outcome);
        }
        return new NewAttempt(attemptedAt, OptionalInt.empty(), latency, "", Optional.of(error), outcome);
    }

    private static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        // Never keep half of a surrogate pair.
        return text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
    }
}

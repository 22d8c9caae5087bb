package io.irisx.webhooks.delivery;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * What one delivery attempt of a webhook came to; immutable and thread-safe.
 *
 * @param kind how the attempt ended
 * @param statusCode the endpoint's HTTP status, when it answered
 * @param latency from sending the request to reading the response (or to the failure)
 * @param responseBody the first bytes of the response body (at most the dispatcher's {@code maxResponseBody}), as
 *        UTF-8; empty when there was none
 * @param error what went wrong, such as {@code "HTTP 500"}, {@code "timeout after 15s"} or
 *        {@code "connection refused"}; empty for a success
 * @param retryAfter how long the endpoint asked to be left alone: only for 429, 502, 503 and 504 answers carrying a
 *        {@code Retry-After} header, clamped to the dispatcher's {@code retryAfterCap}
 * @param requestHeaders the headers of the request the attempt sent, by name: the Standard Webhooks headers, the
 *        {@code User-Agent} and {@code Content-Type}, and the endpoint's own headers with their values left out
 *        ({@value #NOT_KEPT}), as they may hold credentials, in name order; empty when no request was made
 */
public record AttemptResult(Kind kind, OptionalInt statusCode, Duration latency, String responseBody,
        Optional<String> error, Optional<Duration> retryAfter, Map<String, String> requestHeaders) {

    /** The value kept in place of an endpoint's own header's. */
    public static final String NOT_KEPT = "(the endpoint's header; its value is not kept)";

    /** How an attempt ended. */
    public enum Kind {
        /** The endpoint answered 2xx: the webhook is delivered. */
        SUCCEEDED,
        /**
         * The webhook was not delivered, and a retry may help: any status other than 2xx and 410 (redirects
         * included, since they are not followed), or a network failure such as a timeout, a refused or reset
         * connection, or a name that does not resolve.
         */
        FAILED,
        /** The endpoint answered 410 Gone: it wants no more webhooks, and the caller disables it. */
        GONE,
        /**
         * The SSRF guard refused the endpoint's address at delivery (its name now resolves to a forbidden address,
         * say), so nothing was sent. Retrying cannot help until the endpoint's URL or the policy changes.
         */
        BLOCKED
    }

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException when the latency or the retry-after is negative
     */
    public AttemptResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(statusCode, "statusCode");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(responseBody, "responseBody");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(retryAfter, "retryAfter");
        requestHeaders = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(requestHeaders,
                "requestHeaders")));
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + latency);
        }
        if (retryAfter.isPresent() && retryAfter.get().isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter.get());
        }
    }

    /** An attempt without a record of its request's headers (none was made). */
    public AttemptResult(Kind kind, OptionalInt statusCode, Duration latency, String responseBody,
            Optional<String> error, Optional<Duration> retryAfter) {
        this(kind, statusCode, latency, responseBody, error, retryAfter, Map.of());
    }

    /** This result, with the headers of the request that was sent. */
    public AttemptResult withRequestHeaders(Map<String, String> headers) {
        return new AttemptResult(kind, statusCode, latency, responseBody, error, retryAfter, headers);
    }

    /** Whether the webhook was delivered ({@link Kind#SUCCEEDED}). */
    public boolean succeeded() {
        return kind == Kind.SUCCEEDED;
    }

    /** Whether a later attempt may succeed ({@link Kind#FAILED}); a success, a 410 or a refused address may not. */
    public boolean retryable() {
        return kind == Kind.FAILED;
    }

    /** The kind, status, latency, error and retry-after, and the response body's length only (it may be large). */
    @Override
    public String toString() {
        return "AttemptResult[" + kind + (statusCode.isPresent() ? " " + statusCode.getAsInt() : "") + ", latency="
                + latency.toMillis() + "ms" + error.map(e -> ", error=" + e).orElse("")
                + retryAfter.map(r -> ", retryAfter=" + r).orElse("") + ", responseBody=" + responseBody.length()
                + " chars]";
    }
}

package io.irisx.messaging.email.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The checks the provider event handlers share: their timestamp tolerance, signed timestamps, secrets compared in
 * constant time, and provider date-times. Thread-safe. Not API.
 */
public final class WebhookChecks {

    /** How far a signed timestamp may be from the runtime's now, either way, unless configured: five minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    /** The largest tolerance a handler takes: one day. */
    public static final Duration MAX_TOLERANCE = Duration.ofDays(1);

    private WebhookChecks() {
    }

    /**
     * Checks a handler's timestamp tolerance.
     *
     * @throws IllegalArgumentException unless it is 1 second to 1 day
     */
    public static Duration tolerance(Duration tolerance) {
        Objects.requireNonNull(tolerance, "tolerance");
        if (tolerance.compareTo(Duration.ofSeconds(1)) < 0 || tolerance.compareTo(MAX_TOLERANCE) > 0) {
            throw new IllegalArgumentException("tolerance must be 1 second to 1 day, was " + tolerance);
        }
        return tolerance;
    }

    /**
     * Unix seconds written as a plain decimal integer, as signed timestamps are: no sign, no leading zero, at most 12
     * digits (the signature covers the text, so {@code +1614265330} or {@code 01614265330} must not pass for the same
     * time).
     */
    public static OptionalLong unixSeconds(String text) {
        if (text == null || !text.matches("0|[1-9][0-9]{0,11}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(text));
    }

    /** Whether {@code seconds} is within {@code tolerance} of {@code now}, either way. */
    public static boolean fresh(long seconds, Instant now, Duration tolerance) {
        return Math.abs(now.getEpochSecond() - seconds) <= tolerance.getSeconds();
    }

    /**
     * Whether {@code given} is {@code expected}, in time that depends on neither where they differ nor their lengths:
     * their SHA-256 digests are compared with {@link MessageDigest#isEqual}.
     */
    public static boolean sameSecret(String expected, String given) {
        return MessageDigest.isEqual(sha256(expected), sha256(given));
    }

    /**
     * The instant an ISO-8601 date-time with an offset names ({@code 2019-11-05T16:33:54.9070259Z},
     * {@code 2014-01-15T16:09:19.6421112-05:00}).
     *
     * @throws MalformedWebhookException naming {@code field} when it is not one
     */
    public static Instant isoInstant(String field, String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            throw new MalformedWebhookException(field + " must be an ISO-8601 date-time with an offset");
        }
    }

    /** {@code value} as a log line or a reason may show it: at most 40 characters, control characters replaced. */
    public static String shown(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

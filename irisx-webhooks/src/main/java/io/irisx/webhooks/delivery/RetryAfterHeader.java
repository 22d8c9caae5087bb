package io.irisx.webhooks.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header as RFC 9110 §10.2.3 defines it: delta-seconds or an HTTP-date (§5.6.7: the
 * IMF-fixdate, and the obsolete RFC 850 and asctime forms that recipients must still accept).
 */
final class RetryAfterHeader {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private RetryAfterHeader() {
    }

    /**
     * The wait the header asks for, from {@code now}, clamped to {@code [0, cap]}; empty when it is neither
     * delta-seconds nor an HTTP-date.
     */
    static Optional<Duration> parse(String value, Instant now, Duration cap) {
        String text = value.trim();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // Too many digits for a long is still "a very long time": the cap applies.
            Duration wait = text.length() > 18 ? cap : Duration.ofSeconds(Long.parseLong(text));
            return Optional.of(clamp(wait, cap));
        }
        return parseDate(text, now).map(date -> clamp(Duration.between(now, date), cap));
    }

    private static Optional<Instant> parseDate(String text, Instant now) {
        for (DateTimeFormatter format : List.of(IMF_FIXDATE, rfc850(now), ASCTIME)) {
            try {
                return Optional.of(ZonedDateTime.parse(text, format).toInstant());
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    /**
     * {@code Sunday, 06-Nov-94 08:49:37 GMT}; a two-digit year more than 50 years ahead of {@code now} is taken as
     * the past century, as RFC 9110 §5.6.7 asks.
     */
    private static DateTimeFormatter rfc850(Instant now) {
        int base = now.atZone(ZoneOffset.UTC).getYear() - 49;
        return new DateTimeFormatterBuilder()
                .appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, base)
                .appendPattern(" HH:mm:ss 'GMT'")
                .toFormatter(Locale.US)
                .withZone(ZoneOffset.UTC);
    }

    private static Duration clamp(Duration wait, Duration cap) {
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(cap) > 0 ? cap : wait;
    }
}

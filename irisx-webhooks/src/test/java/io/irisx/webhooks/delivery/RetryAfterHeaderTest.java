package io.irisx.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code Retry-After} as RFC 9110 §10.2.3 defines it: delta-seconds, or an HTTP-date in any of the three forms of
 * §5.6.7 (IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept).
 */
class RetryAfterHeaderTest {

    private static final Instant NOW = Instant.parse("1994-11-06T08:47:37Z");
    private static final Duration CAP = Duration.ofHours(1);

    @Test
    @DisplayName("delta-seconds are read as seconds from now")
    void delta_seconds() {
        assertThat(RetryAfterHeader.parse("120", NOW, CAP)).hasValue(Duration.ofSeconds(120));
        assertThat(RetryAfterHeader.parse(" 0 ", NOW, CAP)).hasValue(Duration.ZERO);
    }

    @Test
    @DisplayName("The three HTTP-date forms of RFC 9110 are read as the time until that date")
    void http_dates() {
        assertThat(RetryAfterHeader.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW, CAP)).hasValue(Duration.ofSeconds(120));
        assertThat(RetryAfterHeader.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW, CAP)).hasValue(Duration.ofSeconds(120));
        assertThat(RetryAfterHeader.parse("Sun Nov  6 08:49:37 1994", NOW, CAP)).hasValue(Duration.ofSeconds(120));
    }

    @Test
    @DisplayName("A date in the past means now; a wait past the cap is cut to the cap")
    void clamped() {
        assertThat(RetryAfterHeader.parse("Sat, 05 Nov 1994 08:49:37 GMT", NOW, CAP)).hasValue(Duration.ZERO);
        assertThat(RetryAfterHeader.parse("86400", NOW, CAP)).hasValue(CAP);
        assertThat(RetryAfterHeader.parse("Sat, 06 Nov 2094 08:49:37 GMT", NOW, CAP)).hasValue(CAP);
        assertThat(RetryAfterHeader.parse("123456789012345678901234567890", NOW, CAP)).hasValue(CAP);
    }

    @Test
    @DisplayName("Anything else is ignored")
    void unparsable() {
        for (String value : new String[] {"", "soon", "-5", "1.5", "7s", "Sun, 06 Nov 1994 25:00:00 GMT"}) {
            assertThat(RetryAfterHeader.parse(value, NOW, CAP)).as("'%s'", value).isEmpty();
        }
    }
}

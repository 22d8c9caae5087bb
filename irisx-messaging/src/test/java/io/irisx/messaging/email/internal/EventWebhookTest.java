package io.irisx.messaging.email.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** How the provider event handlers count and log the requests they refuse. */
class EventWebhookTest {

    private MessagingFixture fixture;
    private final RecordingLogger log = new RecordingLogger();
    private EventWebhook webhook;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        webhook = new EventWebhook(fixture.irisx.tenant("acme"), "sendgrid", log);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static CallbackRequest forged() {
        return new CallbackRequest("POST", "/hooks/sendgrid", "key=s3cret-in-the-query",
                Map.of("Authorization", List.of("Basic czNjcmV0")),
                "{\"email\":\"ada@example.com\"}".getBytes(StandardCharsets.UTF_8), "203.0.113.7");
    }

    @Test
    void a_refusal_is_counted_answered_with_its_reason_and_logged_at_warn_at_most_once_a_minute() {
        CallbackResponse first = webhook.refuse(forged(), 403, "the signature does not match");
        webhook.refuse(forged(), 403, "the signature does not match");
        webhook.refuse(forged(), 400, "malformed");
        fixture.clock.advance(Duration.ofSeconds(60));
        webhook.refuse(forged(), 403, "the signature does not match");

        assertThat(first.status()).isEqualTo(403);
        assertThat(first.bodyText()).isEqualTo("the signature does not match");
        assertThat(first.headers()).containsEntry("Content-Type", "text/plain; charset=utf-8");
        assertThat(webhook.refused()).isEqualTo(4);
        assertThat(log.lines).extracting(Line::level).containsExactly(Level.WARN, Level.DEBUG, Level.DEBUG, Level.WARN);
        assertThat(log.lines.get(0).text()).isEqualTo("sendgrid events of tenant acme: refused a POST request from "
                + "203.0.113.7 with 403: the signature does not match (1 refused since the last such warning, 1 in all)");
        assertThat(log.lines.get(3).text()).endsWith("(3 refused since the last such warning, 4 in all)");
        assertThat(log.lines).extracting(Line::text).noneMatch(text -> text.contains("s3cret")
                || text.contains("czNjcmV0") || text.contains("ada@example.com"));
    }

    @Test
    void a_wrong_method_is_answered_405_with_allow() {
        CallbackResponse response = webhook.wrongMethod(new CallbackRequest("GET", "/", Map.of(), new byte[0]), "POST");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "POST");
        assertThat(log.lines).singleElement().satisfies(line ->
                assertThat(line.text()).contains("refused a GET request from an unknown address with 405"));
    }

    @Test
    void a_detail_joins_the_parts_that_are_not_blank() {
        assertThat(EventWebhook.detail(" 550 no such user ", "", null, "status 5.1.1")).isEqualTo(
                "550 no such user; status 5.1.1");
        assertThat(EventWebhook.detail("", " ")).isEmpty();
    }

    private record Line(Level level, String text) {
    }

    /** Keeps every line logged, at every level. */
    private static final class RecordingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        final List<Line> lines = new CopyOnWriteArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                Throwable throwable) {
            lines.add(new Line(level, MessageFormatter.basicArrayFormat(pattern, arguments)));
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}

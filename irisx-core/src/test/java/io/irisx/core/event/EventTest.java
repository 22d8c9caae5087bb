package io.irisx.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.id.EventId;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:15:30Z"), ZoneOffset.UTC);

    @Test
    void the_catalogue_covers_calls_sms_email_and_webhooks_with_unique_names() {
        List<String> names = Arrays.stream(EventType.values()).map(EventType::wireName).toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(25).doesNotHaveDuplicates();
        assertThat(names).contains("call.queued", "call.initiated", "call.ringing", "call.answered", "call.completed",
                "call.busy", "call.no_answer", "call.failed", "call.canceled",
                "call.recording.completed", "sms.queued", "sms.sent", "sms.delivered", "sms.undelivered", "sms.failed",
                "sms.received", "sms.opted_out", "email.queued", "email.sent", "email.delivered", "email.opened",
                "email.clicked", "email.bounced", "email.complained", "email.unsubscribed", "email.failed",
                "email.deferred", "webhook.endpoint.disabled", "message.attempt.exhausted");
        assertThat(names).allMatch(name -> name.matches("[a-z]+(\\.[a-z_]+)+"));
        assertThat(EventType.values()).allSatisfy(type -> assertThat(type.description()).endsWith("."));
    }

    @Test
    void a_wire_name_finds_its_event_type() {
        assertThat(EventType.fromWireName("email.delivered")).contains(EventType.EMAIL_DELIVERED);
        assertThat(EventType.fromWireName("email.teleported")).isEmpty();
    }

    @Test
    void an_event_carries_its_data_as_a_json_object_and_the_clock_time() {
        Event event = Event.of(EventType.SMS_SENT, TenantId.of("acme"), clock, Map.of("to", "+15551234567"));
        assertThat(event.id().value()).startsWith("evt_");
        assertThat(event.occurredAt()).isEqualTo(clock.instant());
        assertThat(event.data()).isEqualTo("{\"to\":\"+15551234567\"}");
    }

    @Test
    void an_event_is_live_unless_marked_test() {
        Event live = Event.of(EventType.SMS_SENT, TenantId.of("acme"), clock, Map.of("to", "+15551234567"));
        assertThat(live.test()).isFalse();
        Event test = live.withTest(true);
        assertThat(test.test()).isTrue();
        assertThat(test).usingRecursiveComparison().ignoringFields("test").isEqualTo(live);
        assertThat(test.withTest(true)).isSameAs(test);
        assertThat(test.withTest(false)).isEqualTo(live);
    }

    @Test
    void event_data_that_is_not_a_json_object_is_refused() {
        assertThatThrownBy(() -> new Event(EventId.generate(), EventType.SMS_SENT, TenantId.of("acme"), clock.instant(), "[1]"))
                .isInstanceOf(IrisxValidationException.class)
                .hasMessage("event.data: '[1]' must be a JSON object");
        for (String data : List.of("", "{", "{\"a\" 1}", "{\"a\":}", "{\"a\":\"\\x\"}", "{\"a\":1} {\"b\":2}", "{} x",
                "\"text\"", "null")) {
            assertThatThrownBy(() -> new Event(EventId.generate(), EventType.SMS_SENT, TenantId.of("acme"),
                    clock.instant(), data))
                    .as(data)
                    .isInstanceOf(IrisxValidationException.class)
                    .hasMessageEndingWith("must be a JSON object");
        }
        assertThat(new Event(EventId.generate(), EventType.SMS_SENT, TenantId.of("acme"), clock.instant(),
                " {\"a\": [1, {\"b\": null}], \"c\": \"\\u00e9\"} ").data()).startsWith(" {");
    }

    @Test
    void a_combined_sink_hands_each_event_to_every_sink_in_order_within_the_transaction() {
        List<String> seen = new ArrayList<>();
        EventSink first = new EventSink() {
            @Override
            public void emit(Event event) {
                seen.add("first:" + event.type());
            }

            @Override
            public void emit(Connection transaction, Event event) {
                seen.add("first-tx:" + event.type());
            }
        };
        EventSink second = event -> seen.add("second:" + event.type());
        EventSink both = EventSink.allOf(List.of(first, second));
        Event event = Event.of(EventType.EMAIL_SENT, TenantId.of("acme"), clock, Map.of());
        both.emit(event);
        both.emit(null, event);
        assertThat(seen).containsExactly("first:email.sent", "second:email.sent", "first-tx:email.sent", "second:email.sent");
    }
}

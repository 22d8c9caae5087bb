package io.irisx.messaging.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.PageRequest;
import io.irisx.core.SuppressedRecipientException;
import io.irisx.core.TenantId;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.Parameter;

/**
 * What a tenant's {@link SmsClient} stores and refuses: numbers normalised to E.164, segments counted and capped,
 * opted-out recipients refused, and nothing stored for a bad message; on each database.
 */
@OnEachDialect
class SmsClientTest {

    @Parameter
    Database.Dialect dialect;
    private MessagingFixture fixture;
    private SmsClient acme;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.of(dialect));
        acme = fixture.smsClient("acme");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static SmsMessage.Builder code() {
        return SmsMessage.builder().to("07400 123456").from("+447400654321").body("Your code is 123456");
    }

    @Test
    void a_send_stores_the_message_queued_in_e164_with_its_segments_history_and_event() {
        MessageId id = acme.send(code().media("https://cdn.acme.example/logo.png")
                .statusCallback("https://hooks.acme.example/twilio/status").validityPeriod(Duration.ofMinutes(10))
                .tag("login").metadata("user", "u-17").build());

        Sms sms = acme.get(id);
        assertThat(sms.status()).isEqualTo(SmsStatus.QUEUED);
        assertThat(sms.to()).isEqualTo("+447400123456");
        assertThat(sms.from()).isEqualTo("+447400654321");
        assertThat(sms.mediaUrls()).containsExactly("https://cdn.acme.example/logo.png");
        assertThat(sms.statusCallback()).isEqualTo("https://hooks.acme.example/twilio/status");
        assertThat(sms.validityPeriodSeconds()).isEqualTo(600);
        assertThat(sms.segments().encoding()).isEqualTo(Segments.Encoding.GSM_7);
        assertThat(sms.segments().segments()).isEqualTo(1);
        assertThat(sms.tags()).containsExactly("login");
        assertThat(acme.history(id)).singleElement().satisfies(change -> {
            assertThat(change.status()).isEqualTo(SmsStatus.QUEUED);
            assertThat(change.detail()).contains("1 segment(s), GSM_7");
        });
        assertThat(fixture.events(EventType.SMS_QUEUED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"to\":\"+447400123456\"", "\"segments\":1"));
    }

    @Test
    void the_same_idempotency_key_is_the_same_message() {
        MessageId first = acme.send(code().idempotencyKey("login-7731").build());
        assertThat(acme.send(code().idempotencyKey("login-7731").body("Another").build())).isEqualTo(first);
        assertThat(acme.list(PageRequest.first(10)).items()).hasSize(1);
    }

    @Test
    void messages_are_listed_by_status_recipient_sender_and_time_and_a_bad_number_is_refused_naming_it() {
        MessageId first = acme.send(code().build());
        fixture.clock.advance(Duration.ofMinutes(1));
        MessageId second = acme.send(code().to("+447400999888").build());
        fixture.clock.advance(Duration.ofMinutes(1));
        MessageId third = acme.send(code().from("ACME").build());
        fixture.smsStore.markSent(acme.get(third), "twilio", "SM" + "a1".repeat(16), "queued", 1, false, "accepted");

        assertThat(acme.list(SmsFilter.all().statuses(SmsStatus.SENT), PageRequest.first(10)).items())
                .extracting(Sms::id).containsExactly(third);
        assertThat(acme.list(SmsFilter.all().statuses(SmsStatus.QUEUED, SmsStatus.FAILED), PageRequest.first(10))
                .items()).extracting(Sms::id).containsExactly(second, first);
        // National numbers are read in the client's region, as a message's are; a sender id as it is.
        assertThat(acme.list(SmsFilter.all().to("07400 999888"), PageRequest.first(10)).items())
                .extracting(Sms::id).containsExactly(second);
        assertThat(acme.list(SmsFilter.all().from("ACME"), PageRequest.first(10)).items())
                .extracting(Sms::id).containsExactly(third);
        assertThat(acme.list(SmsFilter.all().from("+44 7400 654321").to("+447400123456"), PageRequest.first(10))
                .items()).extracting(Sms::id).containsExactly(first);
        assertThat(acme.list(SmsFilter.all().createdBetween(MessagingFixture.START.plusSeconds(30),
                MessagingFixture.START.plusSeconds(90)), PageRequest.first(10)).items()).extracting(Sms::id)
                .containsExactly(second);
        var page = acme.list(SmsFilter.all().to("+447400123456"), PageRequest.first(1));
        assertThat(page.items()).extracting(Sms::id).containsExactly(third);
        assertThat(acme.list(SmsFilter.all().to("+447400123456"), PageRequest.after(page.nextCursor().orElseThrow(),
                1)).items()).extracting(Sms::id).containsExactly(first);
        assertThat(fixture.smsClient("globex").list(SmsFilter.all().to("+447400123456"), PageRequest.first(10))
                .items()).isEmpty();

        IrisxValidationException refused = refusal(() -> acme.list(SmsFilter.all().to("12345"),
                PageRequest.first(10)));
        assertThat(refused.field()).isEqualTo("to");
        assertThat(refused.rejectedValue()).isEqualTo("12345");
        assertRefused("from", () -> acme.list(SmsFilter.all().from("+44 1"), PageRequest.first(10)));
        assertThatThrownBy(() -> SmsFilter.all().to("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("to");
        assertThatThrownBy(() -> SmsFilter.all().createdBetween(MessagingFixture.START, MessagingFixture.START))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from must be before to");
    }

    @Test
    void invalid_and_landline_numbers_are_refused_and_nothing_is_stored() {
        assertRefused("to", () -> acme.send(code().to("12345").build()));
        assertRefused("to", () -> acme.send(code().to("not a number").build()));
        assertRefused("to", () -> acme.send(code().to("020 7946 0000").build()));
        assertRefused("from", () -> acme.send(code().from("+44 1").build()));
        assertNothingStored();
    }

    @Test
    void a_sender_that_is_neither_a_number_nor_an_alphanumeric_id_is_refused_naming_from_and_nothing_is_stored() {
        for (String from : new String[] {"https://example.com/x", "ACME Corporation", "ACME_LTD", "+1415555010O",
                "12345678901234567890", " ", ""}) {
            IrisxValidationException refused = refusal(() -> acme.send(code().from(from).build()));
            assertThat(refused.field()).as(from).isEqualTo("from");
            assertThat(refused.getMessage()).as(from).contains("'" + from + "'");
        }
        assertNothingStored();
    }

    @Test
    void a_sender_number_is_stored_in_e164_and_an_eleven_character_id_as_given() {
        assertThat(acme.get(acme.send(code().from("07400 654321").build())).from()).isEqualTo("+447400654321");
        assertThat(acme.get(acme.send(code().from("Acme Bank 1").build())).from()).isEqualTo("Acme Bank 1");
    }

    @Test
    void after_the_runtime_is_closed_a_send_is_refused_and_nothing_is_stored() {
        fixture.irisx.close();

        assertThatThrownBy(() -> acme.send(code().build())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this Irisx runtime is closed");
        assertThat(rows("irisx_sms_messages")).isZero();
        assertThat(rows("irisx_outbox")).isZero();
    }

    private int rows(String table) {
        return fixture.database.withConnection(connection -> {
            try (java.sql.ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void alphanumeric_senders_and_messaging_services_are_kept_as_given() {
        Sms named = acme.get(acme.send(code().from("ACME").build()));
        assertThat(named.from()).isEqualTo("ACME");
        Sms serviced = acme.get(acme.send(code().messagingServiceSid("MG" + "0123456789abcdef".repeat(2)).build()));
        assertThat(serviced.from()).isEmpty();
        assertThat(serviced.messagingServiceSid()).startsWith("MG");
    }

    @Test
    void bad_parts_are_refused_as_they_are_set() {
        assertRefused("mediaUrls", () -> code().media("http://cdn.acme.example/logo.png"));
        assertRefused("statusCallback", () -> code().statusCallback("ftp://hooks.acme.example"));
        assertRefused("messagingServiceSid", () -> code().messagingServiceSid("MG123"));
        assertRefused("body", () -> code().body("x".repeat(1601)));
        assertRefused("validityPeriod", () -> code().validityPeriod(Duration.ofHours(11)));
        // Without a sender, the tenant's default one is taken at send; acme has none.
        SmsMessage senderless = SmsMessage.builder().to("07400 123456").body("hi").build();
        assertRefused("from", () -> acme.send(senderless));
        assertRefused("body", () -> SmsMessage.builder().to("07400 123456").from("ACME").build());
        SmsMessage.Builder mms = code();
        for (int i = 0; i < SmsMessage.MAX_MEDIA; i++) {
            mms.media("https://cdn.acme.example/" + i + ".png");
        }
        assertRefused("mediaUrls", () -> mms.media("https://cdn.acme.example/11.png"));
    }

    @Test
    void segments_are_counted_before_sending_and_capped_when_asked() {
        SmsMessage unicode = code().body("Ihr Code: 123456 \uD83D\uDD12").build();
        assertThat(unicode.segments().encoding()).isEqualTo(Segments.Encoding.UCS_2);

        SmsClient capped = SmsClient.builder().defaultRegion("GB")
                .maxSegments(1).build(fixture.smsStore, fixture.irisx.outbox(), TenantId.of("acme"));
        IrisxValidationException refused = refusal(() -> capped.send(code().body("x".repeat(161)).build()));
        assertThat(refused.field()).isEqualTo("body");
        assertThat(refused.rejectedValue()).contains("2 segments");
        assertNothingStored();
    }

    @Test
    void an_opted_out_recipient_is_refused_until_it_opts_back_in() {
        assertThat(acme.optOut("+447400123456", "STOP")).isTrue();
        assertThat(acme.isOptedOut("07400 123456")).isTrue();
        assertThatThrownBy(() -> acme.send(code().build()))
                .isInstanceOfSatisfying(SuppressedRecipientException.class,
                        e -> assertThat(e.recipient()).isEqualTo("+447400123456"));
        assertNothingStored();
        assertThat(fixture.events(EventType.SMS_OPTED_OUT)).hasSize(1);
        // Another tenant's list is its own.
        assertThat(fixture.smsClient("globex").isOptedOut("07400 123456")).isFalse();

        assertThat(acme.optIn("07400 123456", "START")).isTrue();
        assertThat(acme.optIn("07400 123456", "START")).isFalse();
        assertThat(acme.get(acme.send(code().build())).status()).isEqualTo(SmsStatus.QUEUED);
    }

    @Test
    void another_tenant_sees_none_of_the_messages() {
        MessageId id = acme.send(code().build());
        assertThatThrownBy(() -> fixture.smsClient("globex").get(id)).isInstanceOf(NotFoundException.class);
        assertThat(fixture.smsClient("globex").list(PageRequest.first(10)).items()).isEmpty();
    }

    private void assertNothingStored() {
        assertThat(acme.list(PageRequest.first(10)).items()).isEmpty();
        assertThat(fixture.events(EventType.SMS_QUEUED)).isEmpty();
    }

    private static void assertRefused(String field, Executable action) {
        assertThat(refusal(action).field()).isEqualTo(field);
    }

    private static IrisxValidationException refusal(Executable action) {
        try {
            action.execute();
        } catch (IrisxValidationException e) {
            return e;
        } catch (Throwable other) {
            throw new AssertionError("expected an IrisxValidationException, got " + other, other);
        }
        throw new AssertionError("expected an IrisxValidationException, nothing was thrown");
    }
}

package io.irisx.messaging.sms;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.PageRequest;
import io.irisx.core.SuppressedRecipientException;
import io.irisx.core.TenantId;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import io.irisx.messaging.sms.twilio.TwilioCallbacks;
import io.irisx.testing.TwilioSignatures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Twilio's status callbacks and incoming messages through {@link TwilioCallbacks}, each request signed as Twilio
 * documents it ({@link TwilioSignatures}); the parameters are those of twilio.com/docs/messaging/guides/
 * track-outbound-message-status and twilio.com/docs/messaging/guides/webhook-request.
 */
class TwilioCallbacksTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String STATUS_URL = "https://hooks.acme.example/twilio/status?tenant=acme";
    private static final String INBOUND_URL = "https://hooks.acme.example/twilio/inbound";
    private static final String SID = "SM" + "0123456789abcdef".repeat(2);
    private static final TenantId ACME = TenantId.of("acme");

    private MessagingFixture fixture;
    private SmsClient acme;
    private TwilioCallbacks callbacks;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        acme = fixture.smsClient("acme");
        callbacks = TwilioCallbacks.builder(fixture.irisx.tenant(ACME), TOKEN).statusUrl(STATUS_URL)
                .inboundUrl(INBOUND_URL).helpText("Acme: reply STOP to opt out. Help: acme.example/sms").build();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private MessageId sentMessage() {
        MessageId id = acme.send(SmsMessage.builder().to("07400 123456").from("+447400654321").body("Hi").build());
        assertThat(fixture.smsStore.markSent(acme.get(id), "twilio", SID, "queued", 1, false, "accepted")).isTrue();
        return id;
    }

    private static CallbackRequest signed(String url, Map<String, String> params) {
        return TwilioSignatures.signed(TOKEN, url, params).as(CallbackRequest::post);
    }

    private static CallbackRequest signed(String url, Map<String, String> params, String signature) {
        return TwilioSignatures.signed(params, signature).as(CallbackRequest::post);
    }

    private static String signature(String token, String url, Map<String, String> params) {
        return TwilioSignatures.signature(token, url, params);
    }

    private static Map<String, String> status(String status) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", "AC" + "0123456789abcdef".repeat(2));
        params.put("From", "+447400654321");
        params.put("To", "+447400123456");
        params.put("MessageSid", SID);
        params.put("SmsSid", SID);
        params.put("MessageStatus", status);
        params.put("SmsStatus", status);
        params.put("ApiVersion", "2010-04-01");
        return params;
    }

    private static Map<String, String> inbound(String sid, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("AccountSid", "AC" + "0123456789abcdef".repeat(2));
        params.put("From", "+447400123456");
        params.put("To", "+447400654321");
        params.put("Body", body);
        params.put("NumMedia", "0");
        return params;
    }

    @Test
    void status_callbacks_out_of_order_never_move_the_message_backwards() {
        MessageId id = sentMessage();

        assertThat(callbacks.status(signed(STATUS_URL, status("sent"))).status()).isEqualTo(204);
        assertThat(callbacks.status(signed(STATUS_URL, status("delivered"))).status()).isEqualTo(204);
        assertThat(callbacks.status(signed(STATUS_URL, status("sending"))).status()).isEqualTo(204);
        assertThat(callbacks.status(signed(STATUS_URL, status("delivered"))).status()).isEqualTo(204);

        Sms sms = acme.get(id);
        assertThat(sms.status()).isEqualTo(SmsStatus.DELIVERED);
        assertThat(sms.providerStatus()).contains("delivered");
        assertThat(acme.history(id)).extracting(SmsStatusChange::status).containsExactly(SmsStatus.QUEUED,
                SmsStatus.SENT, SmsStatus.SENT, SmsStatus.DELIVERED, SmsStatus.DELIVERED);
        assertThat(acme.history(id).get(4).detail()).contains("twilio reported sending", "stays DELIVERED");
        assertThat(fixture.events(EventType.SMS_DELIVERED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"providerMessageId\":\"" + SID + "\""));
    }

    @Test
    void a_replayed_status_callback_changes_nothing_after_its_first_delivery() {
        MessageId id = sentMessage();
        int historyBefore = acme.history(id).size();
        int eventsBefore = fixture.events.size();
        CallbackRequest sent = signed(STATUS_URL, status("sent"));

        for (int i = 0; i < 20; i++) {
            assertThat(callbacks.status(sent).status()).isEqualTo(204);
        }
        assertThat(acme.history(id)).hasSize(historyBefore + 1)
                .filteredOn(change -> change.providerStatus().equals(Optional.of("sent"))).hasSize(1);
        assertThat(fixture.events).hasSize(eventsBefore);

        Map<String, String> undelivered = status("undelivered");
        undelivered.put("ErrorCode", "30003");
        CallbackRequest failedOnce = signed(STATUS_URL, undelivered);
        for (int i = 0; i < 20; i++) {
            assertThat(callbacks.status(failedOnce).status()).isEqualTo(204);
            // Interleaved with the older report, so that neither is the latest each time.
            assertThat(callbacks.status(sent).status()).isEqualTo(204);
        }
        assertThat(acme.history(id)).hasSize(historyBefore + 2);
        assertThat(fixture.events(EventType.SMS_UNDELIVERED)).hasSize(1);
        assertThat(fixture.events).hasSize(eventsBefore + 1);
        assertThat(acme.get(id).status()).isEqualTo(SmsStatus.UNDELIVERED);
    }

    @Test
    void an_undelivered_report_keeps_twilios_error_code() {
        MessageId id = sentMessage();
        Map<String, String> params = status("undelivered");
        params.put("ErrorCode", "30003");
        assertThat(callbacks.status(signed(STATUS_URL, params)).status()).isEqualTo(204);

        Sms sms = acme.get(id);
        assertThat(sms.status()).isEqualTo(SmsStatus.UNDELIVERED);
        assertThat(sms.errorCode()).contains("30003");
        assertThat(fixture.events(EventType.SMS_UNDELIVERED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"errorCode\":\"30003\""));
    }

    @Test
    void a_signed_status_callback_with_a_field_longer_than_its_column_is_answered_400_and_changes_nothing() {
        MessageId id = sentMessage();
        Map<String, String> params = status("undelivered");
        params.put("ErrorCode", "3".repeat(17));
        CallbackResponse response = callbacks.status(signed(STATUS_URL, params));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyText()).contains("ErrorCode");
        assertThat(acme.get(id).status()).isEqualTo(SmsStatus.SENT);
        assertThat(acme.history(id)).hasSize(2);
        assertThat(fixture.events(EventType.SMS_UNDELIVERED)).isEmpty();

        params.put("ErrorCode", "3".repeat(16));
        assertThat(callbacks.status(signed(STATUS_URL, params)).status()).isEqualTo(204);
        assertThat(acme.get(id).errorCode()).contains("3".repeat(16));
    }

    @Test
    void reports_and_inbound_messages_that_do_not_fit_their_columns_are_refused_by_the_store() {
        assertThatThrownBy(() -> new SmsReport("twilio", SID, SmsStatus.FAILED, "failed", Optional.of("9".repeat(17)),
                MessagingFixture.START)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errorCode");
        assertThatThrownBy(() -> new SmsReport("twilio", SID, SmsStatus.FAILED, "f".repeat(33), Optional.empty(),
                MessagingFixture.START)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providerStatus");
        assertThatThrownBy(() -> fixture.smsStore.receive(ACME, "twilio", "S".repeat(65),
                PhoneNumber.of("+447400123456"), PhoneNumber.of("+447400654321"), "hi", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("providerMessageId");
        assertThat(acme.inbound(PageRequest.first(10)).items()).isEmpty();
    }

    @Test
    void forged_unknown_and_malformed_callbacks_are_refused_and_change_nothing() {
        MessageId id = sentMessage();
        // Signed with another token, for another URL (what the host sees behind its proxy), or not at all.
        assertThat(callbacks.status(signed(STATUS_URL, status("delivered"),
                signature("ffffffffffffffffffffffffffffffff", STATUS_URL, status("delivered")))).status()).isEqualTo(403);
        assertThat(callbacks.status(signed(STATUS_URL, status("delivered"),
                signature(TOKEN, "http://10.0.0.5:8080/twilio/status", status("delivered")))).status()).isEqualTo(403);
        assertThat(callbacks.status(CallbackRequest.post(Map.of(), "MessageSid=" + SID + "&MessageStatus=delivered"))
                .status()).isEqualTo(403);
        // A parameter changed after signing.
        CallbackRequest tampered = signed(STATUS_URL, status("failed"), signature(TOKEN, STATUS_URL, status("delivered")));
        assertThat(callbacks.status(tampered).status()).isEqualTo(403);

        Map<String, String> unknown = status("delivered");
        unknown.put("MessageSid", "SM" + "f".repeat(32));
        assertThat(callbacks.status(signed(STATUS_URL, unknown)).status()).isEqualTo(404);
        assertThat(callbacks.status(signed(STATUS_URL, status("teleported"))).status()).isEqualTo(400);
        Map<String, String> noSid = status("delivered");
        noSid.remove("MessageSid");
        assertThat(callbacks.status(signed(STATUS_URL, noSid)).status()).isEqualTo(400);

        assertThat(acme.get(id).status()).isEqualTo(SmsStatus.SENT);
        assertThat(fixture.events(EventType.SMS_DELIVERED)).isEmpty();
    }

    @Test
    void an_inbound_message_is_stored_once_with_its_media_and_emitted() {
        Map<String, String> params = inbound("MM" + "a".repeat(32), "Look at this");
        params.put("NumMedia", "2");
        params.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1");
        params.put("MediaContentType0", "image/jpeg");
        params.put("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2");
        params.put("MediaContentType1", "image/png");

        CallbackResponse first = callbacks.inbound(signed(INBOUND_URL, params));
        CallbackResponse again = callbacks.inbound(signed(INBOUND_URL, params));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers()).containsEntry("Content-Type", "text/xml; charset=utf-8");
        assertThat(first.bodyText()).endsWith("<Response/>");
        assertThat(again.status()).isEqualTo(200);
        assertThat(acme.inbound(PageRequest.first(10)).items()).singleElement().satisfies(in -> {
            assertThat(in.from()).isEqualTo("+447400123456");
            assertThat(in.body()).isEqualTo("Look at this");
            assertThat(in.mediaUrls()).hasSize(2);
        });
        assertThat(fixture.events(EventType.SMS_RECEIVED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("Look at this", "/Media/ME2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", "  Stop  ", "STOPALL", "unsubscribe", "Cancel.", "END", "quit!"})
    void stop_keywords_in_any_case_opt_the_sender_out_and_later_sends_are_refused(String keyword) {
        assertThat(callbacks.inbound(signed(INBOUND_URL, inbound("SM" + "b".repeat(32), keyword))).status())
                .isEqualTo(200);

        assertThat(acme.isOptedOut("+447400123456")).isTrue();
        assertThat(fixture.events(EventType.SMS_OPTED_OUT)).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> acme.send(SmsMessage.builder().to("07400 123456")
                .from("+447400654321").body("Hi").build())).isInstanceOf(SuppressedRecipientException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"START", "yes", " Unstop "})
    void start_keywords_opt_the_sender_back_in(String keyword) {
        callbacks.inbound(signed(INBOUND_URL, inbound("SM" + "c".repeat(32), "STOP")));
        callbacks.inbound(signed(INBOUND_URL, inbound("SM" + "d".repeat(32), keyword)));

        assertThat(acme.isOptedOut("+447400123456")).isFalse();
        assertThat(fixture.events(EventType.SMS_OPTED_IN)).hasSize(1);
    }

    @Test
    void help_is_answered_with_the_configured_text_and_other_words_change_nothing() {
        CallbackResponse help = callbacks.inbound(signed(INBOUND_URL, inbound("SM" + "e".repeat(32), " help ")));
        assertThat(help.bodyText()).contains("<Response><Message>Acme: reply STOP to opt out. Help: acme.example/sms"
                + "</Message></Response>");

        callbacks.inbound(signed(INBOUND_URL, inbound("SM" + "f".repeat(32), "please stop calling me at dinner")));
        assertThat(acme.isOptedOut("+447400123456")).isFalse();
    }

    @Test
    void a_signed_inbound_message_whose_body_holds_nul_is_answered_400_and_nothing_is_stored() {
        CallbackResponse response = callbacks.inbound(signed(INBOUND_URL, inbound("SM" + "4".repeat(32), "STOP\0")));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyText()).contains("Body");
        assertThat(acme.inbound(PageRequest.first(10)).items()).isEmpty();
        assertThat(acme.isOptedOut("+447400123456")).isFalse();
        assertThat(fixture.events(EventType.SMS_RECEIVED)).isEmpty();
    }

    @Test
    void forged_or_malformed_inbound_messages_are_refused_and_nothing_is_stored() {
        Map<String, String> params = inbound("SM" + "1".repeat(32), "STOP");
        assertThat(callbacks.inbound(signed(INBOUND_URL, params, signature(TOKEN, STATUS_URL, params))).status())
                .isEqualTo(403);
        Map<String, String> badFrom = inbound("SM" + "2".repeat(32), "STOP");
        badFrom.put("From", "not-a-number");
        assertThat(callbacks.inbound(signed(INBOUND_URL, badFrom)).status()).isEqualTo(400);
        Map<String, String> badMedia = inbound("SM" + "3".repeat(32), "hi");
        badMedia.put("NumMedia", "1");
        badMedia.put("MediaUrl0", "http://evil.example/x");
        assertThat(callbacks.inbound(signed(INBOUND_URL, badMedia)).status()).isEqualTo(400);

        assertThat(acme.inbound(PageRequest.first(10)).items()).isEmpty();
        assertThat(acme.isOptedOut("+447400123456")).isFalse();
    }

    @Test
    void a_handler_url_that_is_not_http_is_refused_without_its_password() {
        for (String url : List.of("ftp://ada:hunter2@hooks.acme.example/t", "https://x.example/t?token=hunter2&a=b c")) {
            assertThatThrownBy(() -> TwilioCallbacks.builder(fixture.irisx.tenant(ACME), TOKEN).statusUrl(url))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("statusUrl must be an http(s) URL, was '")
                    .hasMessageContaining("****").hasMessageNotContaining("hunter2");
        }
    }
}

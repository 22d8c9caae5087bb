package io.irisx.messaging.email;

import static io.irisx.messaging.email.ProviderEventsFixture.RECIPIENT;
import static io.irisx.messaging.email.ProviderEventsFixture.post;
import static io.irisx.messaging.email.ProviderEventsFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.testing.TestRows;
import io.irisx.messaging.email.mailgun.MailgunEvents;
import io.irisx.messaging.email.mailgun.MailgunProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mailgun's webhooks through {@link MailgunEvents}: JSON bodies of {@code signature} and {@code event-data} as
 * https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads shows them, signed as
 * https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks says (the hex HMAC-SHA256 of
 * timestamp and token under the webhook signing key; a token honoured once; the timestamp near now; a subaccount's
 * {@code parent-signature}).
 */
class MailgunEventsTest {

    private static final String SIGNING_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    private static final String MESSAGE_ID = "20130503182626.18666.16540@sandbox.mailgun.org";

    private ProviderEventsFixture fixture;
    private MailgunEvents acmeEvents;
    private MessageId email;
    private int tokens;

    @BeforeEach
    void start() {
        fixture = new ProviderEventsFixture();
        acmeEvents = MailgunEvents.builder(fixture.tenant("acme"), SIGNING_KEY).build();
        email = fixture.sent(fixture.acme, MailgunProvider.NAME, MESSAGE_ID);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static String hmac(String key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String freshToken() {
        return String.format("%050d", ++tokens).replace('0', 'e');
    }

    private long now() {
        return fixture.now().getEpochSecond();
    }

    /** {@code eventData} signed now with a fresh token. */
    private CallbackRequest signed(String eventData) {
        return signed(eventData, Long.toString(now()), freshToken());
    }

    private static CallbackRequest signed(String eventData, String timestamp, String token) {
        return post(body(timestamp, token, "\"signature\":\"" + hmac(SIGNING_KEY, timestamp + token) + "\"", eventData));
    }

    private static String body(String timestamp, String token, String signatures, String eventData) {
        return "{\"signature\":{\"token\":\"" + token + "\",\"timestamp\":\"" + timestamp + "\"," + signatures + "},"
                + "\"event-data\":" + eventData + "}";
    }

    /** An event as the webhook payloads page shows it, with {@code extra} fields. */
    private String event(String event, String id, String extra) {
        return "{\"id\":\"" + id + "\",\"timestamp\":" + now() + ".908181,\"log-level\":\"info\",\"event\":\"" + event
                + "\",\"flags\":{\"is-routed\":false,\"is-authenticated\":true,\"is-test-mode\":false},"
                + "\"envelope\":{\"transport\":\"smtp\",\"sender\":\"bob@sandbox.mailgun.org\",\"targets\":\"" + RECIPIENT
                + "\"},\"message\":{\"headers\":{\"to\":\"Ada <" + RECIPIENT + ">\",\"message-id\":\"" + MESSAGE_ID
                + "\",\"from\":\"Bob <bob@sandbox.mailgun.org>\",\"subject\":\"Your receipt\"},\"attachments\":[],"
                + "\"size\":111},\"recipient\":\"" + RECIPIENT + "\",\"recipient-domain\":\"example.com\",\"campaigns\":[],"
                + "\"tags\":[\"receipts\"],\"user-variables\":{\"my_var_1\":\"Mailgun Variable #1\"}"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private String delivered(String id) {
        return event("delivered", id, "\"delivery-status\":{\"tls\":true,\"mx-host\":\"smtp-in.example.com\",\"code\":250,"
                + "\"description\":\"\",\"session-seconds\":0.43,\"utf8\":true,\"attempt-no\":1,\"message\":\"OK\"}");
    }

    @Test
    void a_signed_delivery_moves_the_email_to_delivered_with_its_history_row_and_event() {
        CallbackResponse response = acmeEvents.handle(signed(delivered("CPgfbmQMTCKtHW6uIWtuVe")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(EventType.EMAIL_DELIVERED);
            assertThat(change.provider()).contains("mailgun");
            assertThat(change.recipient()).contains(RECIPIENT);
            assertThat(change.detail()).isEqualTo("OK");
            // Mailgun gives microseconds; the history keeps milliseconds.
            assertThat(change.occurredAt()).isEqualTo(fixture.now().plusMillis(908));
        });
        assertThat(fixture.events(EventType.EMAIL_DELIVERED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("\"providerMessageId\":\"" + MESSAGE_ID + "\""));
        assertThat(acmeEvents.refused()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            failed       | "severity":"permanent","reason":"bounce","delivery-status":{"code":550,"message":"5.1.1 The email account that you tried to reach does not exist","description":""} | BOUNCED | EMAIL_BOUNCED | 5.1.1 The email account that you tried to reach does not exist; code 550; reason bounce
            failed       | "severity":"permanent","reason":"suppress-bounce","delivery-status":{"attempt-no":1,"message":"","code":605,"description":"Not delivering to previously bounced address","session-seconds":0} | FAILED | EMAIL_FAILED | Not delivering to previously bounced address; code 605; reason suppress-bounce
            failed       | "severity":"temporary","reason":"generic","delivery-status":{"code":452,"message":"4.2.2 The email account that you tried to reach is over quota"} | DEFERRED | EMAIL_DEFERRED | 4.2.2 The email account that you tried to reach is over quota; code 452; reason generic
            complained   | ""                                                                                      | COMPLAINED | EMAIL_COMPLAINED   | mailgun reported email.complained
            opened       | "ip":"50.56.129.169","client-info":{"client-type":"browser","user-agent":"Mozilla/5.0 (Macintosh)"} | SENT | EMAIL_OPENED | Mozilla/5.0 (Macintosh)
            clicked      | "ip":"50.56.129.169","url":"https://acme.example/pay","client-info":{"user-agent":"Mozilla/5.0"} | SENT | EMAIL_CLICKED | Mozilla/5.0
            unsubscribed | "ip":"50.56.129.169","client-info":{"user-agent":"Mozilla/5.0"}                        | SENT       | EMAIL_UNSUBSCRIBED | Mozilla/5.0
            """)
    void each_documented_event_becomes_its_irisx_event(String event, String extra, EmailStatus status, EventType type,
            String detail) {
        assertThat(acmeEvents.handle(signed(event(event, "ZXZlbnQ", extra.equals("\"\"") ? "" : extra))).status())
                .isEqualTo(200);

        assertThat(fixture.acme.get(email).status()).isEqualTo(status);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(type);
            assertThat(change.detail()).isEqualTo(detail);
        });
        assertThat(fixture.events(type)).hasSize(1);
    }

    @Test
    void a_permanent_failure_suppresses_the_recipient_a_temporary_one_does_not() {
        acmeEvents.handle(signed(event("failed", "dGVtcA", "\"severity\":\"temporary\",\"reason\":\"generic\"")));
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();

        acmeEvents.handle(signed(event("failed", "cGVybQ", "\"severity\":\"permanent\",\"reason\":\"bounce\"")));

        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.MARKETING)).hasValueSatisfying(
                suppression -> assertThat(suppression.reason()).isEqualTo(Suppression.Reason.HARD_BOUNCE));
    }

    @Test
    void a_message_id_in_angle_brackets_names_the_same_email() {
        acmeEvents.handle(signed(delivered("YnJhY2tldHM").replace(MESSAGE_ID, "<" + MESSAGE_ID + ">")));

        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
    }

    @Test
    void a_click_carries_its_link_into_the_event() {
        acmeEvents.handle(signed(event("clicked", "Y2xpY2s", "\"url\":\"https://acme.example/pay?x=1\"")));

        assertThat(fixture.events(EventType.EMAIL_CLICKED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("\"link\":\"https://acme.example/pay?x=1\""));
    }

    @Test
    void a_request_replayed_with_its_token_is_refused_and_changes_nothing() {
        CallbackRequest genuine = signed(event("failed", "dGVtcA", "\"severity\":\"temporary\",\"reason\":\"generic\""));
        assertThat(acmeEvents.handle(genuine).status()).isEqualTo(200);
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        CallbackResponse replayed = acmeEvents.handle(genuine);

        assertThat(replayed.status()).isEqualTo(403);
        assertThat(replayed.bodyText()).contains("token was used before");
        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isEqualTo(1);
    }

    @Test
    void a_captured_signature_cannot_carry_another_event() {
        String timestamp = Long.toString(now());
        String token = freshToken();
        assertThat(acmeEvents.handle(signed(delivered("b3JpZ2luYWw"), timestamp, token)).status()).isEqualTo(200);
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        // The signature covers the timestamp and the token only: the token, used once, is what refuses this.
        CallbackResponse forged = acmeEvents.handle(signed(event("complained", "Zm9yZ2Vk", ""), timestamp, token));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();
    }

    @Test
    void an_event_sent_twice_under_two_tokens_is_recorded_once() {
        assertThat(acmeEvents.handle(signed(delivered("c2FtZQ"))).status()).isEqualTo(200);
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        assertThat(acmeEvents.handle(signed(delivered("c2FtZQ"))).status()).isEqualTo(200);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
    }

    @Test
    void a_forged_or_tampered_signature_is_refused_and_changes_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String timestamp = Long.toString(now());
        String token = freshToken();
        String eventData = delivered("Zm9yZ2Vk");

        CallbackResponse otherKey = acmeEvents.handle(post(body(timestamp, token,
                "\"signature\":\"" + hmac("key-someone-else", timestamp + token) + "\"", eventData)));
        CallbackResponse otherTimestamp = acmeEvents.handle(post(body(Long.toString(now() - 1), token,
                "\"signature\":\"" + hmac(SIGNING_KEY, timestamp + token) + "\"", eventData)));
        CallbackResponse otherToken = acmeEvents.handle(post(body(timestamp, freshToken(),
                "\"signature\":\"" + hmac(SIGNING_KEY, timestamp + token) + "\"", eventData)));
        CallbackResponse notHex = acmeEvents.handle(post(body(timestamp, token, "\"signature\":\"zz\"", eventData)));

        assertThat(List.of(otherKey, otherTimestamp, otherToken, notHex)).extracting(CallbackResponse::status)
                .containsOnly(403);
        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isEqualTo(4);
        // None of them used up the token: the genuine request still passes.
        assertThat(acmeEvents.handle(signed(eventData, timestamp, token)).status()).isEqualTo(200);
    }

    @Test
    void a_subaccounts_request_passes_on_its_parent_signature() {
        String timestamp = Long.toString(now());
        String token = freshToken();
        String signatures = "\"signature\":\"" + hmac("key-of-the-subaccount", timestamp + token) + "\","
                + "\"parent-signature\":\"" + hmac(SIGNING_KEY, timestamp + token) + "\"";

        assertThat(acmeEvents.handle(post(body(timestamp, token, signatures, delivered("cGFyZW50")))).status())
                .isEqualTo(200);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
    }

    @Test
    void a_timestamp_beyond_the_tolerance_either_way_is_refused_even_when_signed() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        CallbackResponse old = acmeEvents.handle(signed(delivered("b2xk"), Long.toString(now() - 301), freshToken()));
        CallbackResponse ahead = acmeEvents.handle(signed(delivered("YWhlYWQ"), Long.toString(now() + 301), freshToken()));
        CallbackResponse padded = acmeEvents.handle(signed(delivered("cGFk"), "0" + now(), freshToken()));

        assertThat(List.of(old.status(), ahead.status(), padded.status())).containsOnly(403);
        assertThat(old.bodyText()).contains("more than 300 s from now");
        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.handle(signed(delivered("ZWRnZQ"), Long.toString(now() - 300), freshToken())).status())
                .isEqualTo(200);
    }

    @Test
    void the_tolerance_is_configurable_and_checked() {
        MailgunEvents strict = MailgunEvents.builder(fixture.tenant("acme"), SIGNING_KEY)
                .tolerance(Duration.ofSeconds(30)).build();

        assertThat(strict.handle(signed(delivered("MzE"), Long.toString(now() - 31), freshToken())).status())
                .isEqualTo(403);
        assertThat(strict.handle(signed(delivered("MzA"), Long.toString(now() - 30), freshToken())).status())
                .isEqualTo(200);
        assertThatThrownBy(() -> MailgunEvents.builder(fixture.tenant("acme"), SIGNING_KEY).tolerance(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> MailgunEvents.builder(fixture.tenant("acme"), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signingKey")
                .hasMessageNotContaining(SIGNING_KEY);
    }

    @Test
    void tokens_are_kept_while_their_timestamp_is_fresh_and_pruned_after() {
        CallbackRequest first = signed(delivered("Zmlyc3Q"));
        acmeEvents.handle(first);
        assertThat(TestRows.column(fixture.runtime.database, "SELECT token FROM irisx_email_webhook_tokens")).hasSize(1);

        fixture.runtime.clock.advance(Duration.ofMinutes(5).plusSeconds(2));
        acmeEvents.handle(signed(event("opened", "c2Vjb25k", "")));

        assertThat(TestRows.column(fixture.runtime.database, "SELECT token FROM irisx_email_webhook_tokens"))
                .singleElement().isNotEqualTo(tokenOf(first));
        // The pruned token's request is now stale: replaying it still fails.
        assertThat(acmeEvents.handle(first).status()).isEqualTo(403);
        assertThat(acmeEvents.handle(first).bodyText()).contains("s from now");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "PUT"})
    void another_method_is_refused_with_405(String method) {
        CallbackRequest genuine = signed(delivered("bWV0aG9k"));

        CallbackResponse response = acmeEvents.handle(request(method, "", genuine.bodyText()));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "POST");
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.SENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not json", "[]", "{\"event-data\":{}}", "{\"signature\":{\"timestamp\":\"1\"}}",
            "{\"signature\":{\"token\":\"t\",\"timestamp\":\"1\",\"signature\":\"s\"}} trailing"})
    void a_body_without_a_signature_block_is_refused_with_400(String body) {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        assertThat(acmeEvents.handle(post(body)).status()).isEqualTo(400);
        assertThat(fixture.snapshot(email)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no event-data", "failed without severity", "no message-id", "click without url",
            "bad timestamp"})
    void a_signed_event_that_lacks_what_it_needs_is_refused_with_400(String defect) {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String eventData = switch (defect) {
            case "no event-data" -> "null";
            case "failed without severity" -> event("failed", "ZA", "\"reason\":\"bounce\"");
            case "no message-id" -> delivered("ZA").replace("\"message-id\":\"" + MESSAGE_ID + "\",", "");
            case "click without url" -> event("clicked", "ZA", "");
            default -> delivered("ZA").replace("\"timestamp\":" + now() + ".908181", "\"timestamp\":\"yesterday\"");
        };

        CallbackResponse response = acmeEvents.handle(signed(eventData));

        assertThat(response.status()).isEqualTo(400);
        assertThat(fixture.snapshot(email)).isEqualTo(before);
    }

    @Test
    void events_of_unknown_emails_and_of_ignored_kinds_are_acknowledged_and_change_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        CallbackRequest unknown = signed(delivered("dW5rbm93bg").replace(MESSAGE_ID, "someone.else@sandbox.mailgun.org"));
        assertThat(acmeEvents.handle(unknown).status()).isEqualTo(200);
        assertThat(acmeEvents.handle(signed(event("accepted", "YWNjZXB0ZWQ", "\"method\":\"HTTP\""))).status())
                .isEqualTo(200);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        // Its token is noted all the same.
        assertThat(acmeEvents.handle(unknown).status()).isEqualTo(403);
    }

    @Test
    void a_tenants_handler_never_touches_another_tenants_email_of_the_same_message_id() {
        MessageId theirs = fixture.sent(fixture.globex, MailgunProvider.NAME, MESSAGE_ID);
        MailgunEvents globexEvents = MailgunEvents.builder(fixture.tenant("globex"), SIGNING_KEY).build();

        CallbackRequest bounce = signed(event("failed", "YWNtZQ", "\"severity\":\"permanent\",\"reason\":\"bounce\""));
        acmeEvents.handle(bounce);

        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.SENT);
        assertThat(fixture.globex.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();

        // Tokens are the tenant's own: the same request is new to globex's handler.
        assertThat(globexEvents.handle(bounce).status()).isEqualTo(200);
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(globexEvents).hasToString("MailgunEvents[globex]");
    }

    /** The token of a request this test signed. */
    private static String tokenOf(CallbackRequest request) {
        String body = request.bodyText();
        int start = body.indexOf("\"token\":\"") + 9;
        return body.substring(start, body.indexOf('"', start));
    }
}

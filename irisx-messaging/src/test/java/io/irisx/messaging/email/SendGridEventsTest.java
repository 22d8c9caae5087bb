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
import io.irisx.messaging.email.sendgrid.SendGridEvents;
import io.irisx.messaging.email.sendgrid.SendGridProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SendGrid's Event Webhook through {@link SendGridEvents}, each request signed as SendGrid's Signed Event Webhook
 * signs (ECDSA P-256, SHA-256, over the timestamp header and the raw body; the signature base64 of its DER encoding;
 * the verification key base64 of its SubjectPublicKeyInfo), with the JDK's own ECDSA:
 * https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features.
 * The bodies are arrays of events as https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event shows
 * them; {@code sg_message_id} is the send's X-Message-ID followed by a per-recipient suffix, as
 * https://www.twilio.com/docs/sendgrid/glossary/x-message-id and https://sendgrid.com/docs/Glossary/message_id.html
 * describe it.
 */
class SendGridEventsTest {

    private static final String X_MESSAGE_ID = "W86EgYT6SQKk0lRflfLRsA";
    private static final String SG_MESSAGE_ID = X_MESSAGE_ID + ".filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0";

    private static KeyPair sendgrid;
    private static KeyPair intruder;

    private ProviderEventsFixture fixture;
    private SendGridEvents acmeEvents;
    private MessageId email;

    @BeforeAll
    static void keys() throws GeneralSecurityException {
        sendgrid = p256();
        intruder = p256();
    }

    @BeforeEach
    void start() {
        fixture = new ProviderEventsFixture();
        acmeEvents = SendGridEvents.builder(fixture.tenant("acme"), verificationKey(sendgrid)).build();
        email = fixture.sent(fixture.acme, SendGridProvider.NAME, X_MESSAGE_ID);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String verificationKey(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    private static String sign(PrivateKey key, String timestamp, String body) {
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(key);
            ecdsa.update((timestamp + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ecdsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private long now() {
        return fixture.now().getEpochSecond();
    }

    private CallbackRequest signed(String body) {
        return signedAt(now(), body);
    }

    private CallbackRequest signedAt(long timestamp, String body) {
        String seconds = Long.toString(timestamp);
        return post(body, SendGridEvents.TIMESTAMP_HEADER, seconds, SendGridEvents.SIGNATURE_HEADER,
                sign(sendgrid.getPrivate(), seconds, body));
    }

    /** One event as the Event Webhook reference shows it, with {@code extra} fields ("name": value, …). */
    private String event(String event, String eventId, String extra) {
        return "{\"email\":\"" + RECIPIENT + "\",\"timestamp\":" + now() + ",\"smtp-id\":\"<14c5d75ce93.dfd.64b469@ismtpd-555>\","
                + "\"event\":\"" + event + "\",\"category\":[\"cat facts\"],\"sg_event_id\":\"" + eventId + "\","
                + "\"sg_message_id\":\"" + SG_MESSAGE_ID + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String batch(String... events) {
        return "[" + String.join(",", events) + "]";
    }

    @Test
    void a_signed_delivery_moves_the_email_to_delivered_with_its_history_row_and_event() {
        String body = batch(event("processed", "rbtnWrG1DVDGGGFHFyun0A", "\"pool\":{\"name\":\"new_MY_test\",\"id\":210}"),
                event("delivered", "rWVYmVk90MjZJ9iohOBa3w", "\"response\":\"250 OK\",\"ip\":\"168.1.1.1\",\"tls\":1"));

        CallbackResponse response = acmeEvents.handle(signed(body));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(EventType.EMAIL_DELIVERED);
            assertThat(change.provider()).contains("sendgrid");
            assertThat(change.recipient()).contains(RECIPIENT);
            assertThat(change.detail()).isEqualTo("250 OK");
            assertThat(change.occurredAt()).isEqualTo(fixture.now());
        });
        assertThat(fixture.events(EventType.EMAIL_DELIVERED)).singleElement().satisfies(event -> assertThat(event.data())
                .contains("\"providerMessageId\":\"" + X_MESSAGE_ID + "\"", "\"recipient\":\"" + RECIPIENT + "\""));
        assertThat(acmeEvents.refused()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            deferred          | "response":"400 try again later","attempt":"5"                                          | DEFERRED   | EMAIL_DEFERRED     | 400 try again later; attempt 5
            bounce            | "reason":"500 unknown recipient","status":"5.0.0","type":"bounce","bounce_classification":"Invalid Address" | BOUNCED | EMAIL_BOUNCED | 500 unknown recipient; status 5.0.0; classification Invalid Address
            bounce            | "reason":"550 blocked","status":"5.7.1","type":"blocked","bounce_classification":"Reputation" | BOUNCED | EMAIL_BOUNCED | 550 blocked; status 5.7.1; classification Reputation
            dropped           | "reason":"Bounced Address","status":"5.0.0"                                            | FAILED     | EMAIL_FAILED       | Bounced Address
            spamreport        | ""                                                                                      | COMPLAINED | EMAIL_COMPLAINED   | sendgrid reported email.complained
            open              | "sg_machine_open":true,"useragent":"Mozilla/4.0 (compatible; MSIE 6.1)","ip":"255.255.255.255" | SENT | EMAIL_OPENED | machine open; Mozilla/4.0 (compatible; MSIE 6.1)
            click             | "useragent":"Mozilla/5.0","ip":"255.255.255.255","url":"http://www.sendgrid.com/","url_offset":{"index":0,"type":"html"} | SENT | EMAIL_CLICKED | Mozilla/5.0
            unsubscribe       | ""                                                                                      | SENT       | EMAIL_UNSUBSCRIBED | sendgrid reported email.unsubscribed
            group_unsubscribe | "asm_group_id":10,"useragent":"Mozilla/5.0","ip":"255.255.255.255"                      | SENT       | EMAIL_UNSUBSCRIBED | unsubscribe group 10
            """)
    void each_documented_event_becomes_its_irisx_event(String event, String extra, EmailStatus status, EventType type,
            String detail) {
        assertThat(acmeEvents.handle(signed(batch(event(event, "ZXZlbnQtaWQ", extra.equals("\"\"") ? "" : extra)))))
                .extracting(CallbackResponse::status).isEqualTo(200);

        assertThat(fixture.acme.get(email).status()).isEqualTo(status);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(type);
            assertThat(change.detail()).isEqualTo(detail);
        });
        assertThat(fixture.events(type)).hasSize(1);
    }

    @Test
    void a_hard_bounce_suppresses_the_recipient_a_blocked_bounce_does_not() {
        MessageId second = fixture.sent(fixture.acme, SendGridProvider.NAME, "secondXMessageId");
        String blocked = event("bounce", "YmxvY2tlZA", "\"reason\":\"550 blocked\",\"type\":\"blocked\"")
                .replace(SG_MESSAGE_ID, "secondXMessageId.filter0001.16648.5515E0B88.0");

        acmeEvents.handle(signed(batch(blocked)));
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();
        acmeEvents.handle(signed(batch(event("bounce", "aGFyZA", "\"reason\":\"550 5.1.1 no such user\",\"type\":\"bounce\""))));

        assertThat(fixture.acme.get(second).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).hasValueSatisfying(
                suppression -> assertThat(suppression.reason()).isEqualTo(Suppression.Reason.HARD_BOUNCE));
    }

    @Test
    void a_click_carries_its_link_into_the_event() {
        acmeEvents.handle(signed(batch(event("click", "Y2xpY2s", "\"url\":\"https://acme.example/pay?x=1\""))));

        assertThat(fixture.events(EventType.EMAIL_CLICKED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("\"link\":\"https://acme.example/pay?x=1\""));
    }

    @Test
    void a_batch_repeated_or_holding_an_event_twice_changes_nothing_the_second_time() {
        String delivered = event("delivered", "rWVYmVk90MjZJ9iohOBa3w", "\"response\":\"250 OK\"");
        assertThat(acmeEvents.handle(signed(batch(delivered, delivered))).status()).isEqualTo(200);
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        // SendGrid retrying the batch, or anyone replaying it while its timestamp is fresh.
        assertThat(acmeEvents.handle(signed(batch(delivered))).status()).isEqualTo(200);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(fixture.acme.history(email)).filteredOn(change -> change.event() == EventType.EMAIL_DELIVERED)
                .hasSize(1);
    }

    @Test
    void a_batch_signed_by_another_key_is_refused_and_changes_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String body = batch(event("delivered", "ZmFrZQ", "\"response\":\"250 OK\""));
        String seconds = Long.toString(now());

        CallbackResponse response = acmeEvents.handle(post(body, SendGridEvents.TIMESTAMP_HEADER, seconds,
                SendGridEvents.SIGNATURE_HEADER, sign(intruder.getPrivate(), seconds, body)));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText()).contains("signature does not match");
        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isEqualTo(1);
    }

    @Test
    void a_tampered_body_or_timestamp_is_refused_and_changes_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        CallbackRequest genuine = signed(batch(event("deferred", "ZGVmZXJyZWQ", "\"response\":\"400 later\"")));
        String tampered = genuine.bodyText().replace("deferred", "delivered");

        assertThat(acmeEvents.handle(post(tampered, SendGridEvents.TIMESTAMP_HEADER,
                genuine.header(SendGridEvents.TIMESTAMP_HEADER), SendGridEvents.SIGNATURE_HEADER,
                genuine.header(SendGridEvents.SIGNATURE_HEADER))).status()).isEqualTo(403);
        assertThat(acmeEvents.handle(post(genuine.bodyText(), SendGridEvents.TIMESTAMP_HEADER,
                Long.toString(now() + 1), SendGridEvents.SIGNATURE_HEADER,
                genuine.header(SendGridEvents.SIGNATURE_HEADER))).status()).isEqualTo(403);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isEqualTo(2);
    }

    @ParameterizedTest(name = "signature header ''{0}''")
    @ValueSource(strings = {"", "not base64!", "c2lnbmF0dXJl"})
    void a_missing_or_garbled_signature_is_refused(String signature) {
        String body = batch(event("delivered", "Z2FyYmxlZA", ""));
        CallbackRequest request = signature.isEmpty()
                ? post(body, SendGridEvents.TIMESTAMP_HEADER, Long.toString(now()))
                : post(body, SendGridEvents.TIMESTAMP_HEADER, Long.toString(now()), SendGridEvents.SIGNATURE_HEADER,
                        signature);

        assertThat(acmeEvents.handle(request).status()).isEqualTo(403);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.SENT);
    }

    @Test
    void a_timestamp_beyond_the_tolerance_either_way_is_refused_even_when_signed() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String body = batch(event("delivered", "c3RhbGU", "\"response\":\"250 OK\""));

        CallbackResponse old = acmeEvents.handle(signedAt(now() - 301, body));
        CallbackResponse ahead = acmeEvents.handle(signedAt(now() + 301, body));
        CallbackResponse plussed = acmeEvents.handle(post(body, SendGridEvents.TIMESTAMP_HEADER, "+" + now(),
                SendGridEvents.SIGNATURE_HEADER, sign(sendgrid.getPrivate(), "+" + now(), body)));

        assertThat(List.of(old.status(), ahead.status(), plussed.status())).containsOnly(403);
        assertThat(old.bodyText()).contains("more than 300 s from now");
        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.handle(signedAt(now() - 300, body)).status()).isEqualTo(200);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
    }

    @Test
    void the_tolerance_is_configurable_and_checked() {
        SendGridEvents strict = SendGridEvents.builder(fixture.tenant("acme"), verificationKey(sendgrid))
                .tolerance(Duration.ofSeconds(30)).build();
        String body = batch(event("delivered", "dG9sZXJhbmNl", ""));

        assertThat(strict.handle(signedAt(now() - 31, body)).status()).isEqualTo(403);
        assertThat(strict.handle(signedAt(now() - 30, body)).status()).isEqualTo(200);
        assertThatThrownBy(() -> SendGridEvents.builder(fixture.tenant("acme"), verificationKey(sendgrid))
                .tolerance(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> SendGridEvents.builder(fixture.tenant("acme"), verificationKey(sendgrid))
                .tolerance(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void another_method_is_refused_with_405(String method) {
        String body = batch(event("delivered", "bWV0aG9k", ""));
        CallbackRequest genuine = signed(body);
        CallbackResponse response = acmeEvents.handle(request(method, "", body, SendGridEvents.TIMESTAMP_HEADER,
                genuine.header(SendGridEvents.TIMESTAMP_HEADER), SendGridEvents.SIGNATURE_HEADER,
                genuine.header(SendGridEvents.SIGNATURE_HEADER)));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "POST");
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.SENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "not json",
            "{\"event\":\"delivered\"}",
            "[\"delivered\"]",
            "[{\"timestamp\":1}]",
            "[] []"})
    void a_signed_body_that_is_not_an_array_of_events_is_refused_with_400(String body) {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        CallbackResponse response = acmeEvents.handle(signed(body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(fixture.snapshot(email)).isEqualTo(before);
    }

    @Test
    void a_batch_with_one_malformed_event_applies_none_of_them() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String clickWithoutUrl = event("click", "bm8tdXJs", "");
        String noMessageId = event("open", "bm8taWQ", "").replace("\"sg_message_id\":\"" + SG_MESSAGE_ID + "\"",
                "\"sg_message_id\":null");
        String badTime = event("deferred", "dGltZQ", "").replace("\"timestamp\":" + now(), "\"timestamp\":\"soon\"");

        for (String bad : List.of(clickWithoutUrl, noMessageId, badTime)) {
            CallbackResponse response = acmeEvents.handle(signed(batch(event("delivered", "b2s", ""), bad)));
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).startsWith("malformed events: event 1: ");
        }

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isEqualTo(3);
    }

    @Test
    void events_of_unknown_emails_and_of_ignored_kinds_are_acknowledged_and_change_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String unknown = event("delivered", "dW5rbm93bg", "").replace(SG_MESSAGE_ID, "someoneElse.filter0001.0");

        CallbackResponse response = acmeEvents.handle(signed(batch(unknown, event("processed", "cHJvY2Vzc2Vk", ""),
                event("group_resubscribe", "cmVzdWI", "\"asm_group_id\":10"))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isZero();
    }

    @Test
    void a_tenants_handler_never_touches_another_tenants_email_of_the_same_message_id() {
        MessageId theirs = fixture.sent(fixture.globex, SendGridProvider.NAME, X_MESSAGE_ID);
        SendGridEvents globexEvents = SendGridEvents.builder(fixture.tenant("globex"), verificationKey(sendgrid)).build();

        acmeEvents.handle(signed(batch(event("bounce", "YWNtZQ", "\"reason\":\"550 no such user\",\"type\":\"bounce\""))));

        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.SENT);
        assertThat(fixture.globex.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();

        globexEvents.handle(signed(batch(event("delivered", "Z2xvYmV4", ""))));
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.BOUNCED);
    }

    @Test
    void an_sg_message_id_without_a_suffix_is_the_x_message_id_itself() {
        acmeEvents.handle(signed(batch(event("delivered", "bm9zdWZmaXg", "").replace(SG_MESSAGE_ID, X_MESSAGE_ID))));

        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
    }

    @Test
    void the_verification_key_must_be_a_base64_p256_public_key() throws GeneralSecurityException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));

        for (String key : List.of("", "not base64", Base64.getEncoder().encodeToString(new byte[91]),
                Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded()),
                Base64.getEncoder().encodeToString(p384.generateKeyPair().getPublic().getEncoded()))) {
            assertThatThrownBy(() -> SendGridEvents.builder(fixture.tenant("acme"), key))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verificationKey");
        }
        String pem = "-----BEGIN PUBLIC KEY-----\n" + verificationKey(sendgrid) + "\n-----END PUBLIC KEY-----\n";
        SendGridEvents fromPem = SendGridEvents.builder(fixture.tenant("acme"), pem).build();
        assertThat(fromPem.handle(signed(batch(event("delivered", "cGVt", "")))).status()).isEqualTo(200);
        assertThat(fromPem).hasToString("SendGridEvents[acme]");
    }
}

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
import io.irisx.messaging.email.resend.ResendEvents;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
 * Resend's webhooks through {@link ResendEvents}: payloads as https://resend.com/docs/webhooks/event-types and
 * https://resend.com/docs/webhooks/emails/bounced show them, signed as https://resend.com/docs/webhooks/verify-webhooks-requests
 * and https://docs.svix.com/receiving/verifying-payloads/how-manual describe (the {@code svix-id},
 * {@code svix-timestamp} and {@code svix-signature} headers; {@code v1,} and the base64 HMAC-SHA256 of
 * {@code id.timestamp.body} under the base64-decoded {@code whsec_} secret), signed here with the JDK's own HMAC.
 */
class ResendEventsTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String EMAIL_ID = "56761188-7520-42d8-8898-ff6fc54ce618";
    private static final String CREATED_AT = "2030-01-01T00:00:01.126Z";

    private ProviderEventsFixture fixture;
    private ResendEvents acmeEvents;
    private MessageId email;
    private int ids;

    @BeforeEach
    void start() {
        fixture = new ProviderEventsFixture();
        acmeEvents = ResendEvents.builder(fixture.tenant("acme"), SECRET).build();
        email = fixture.sent(fixture.acme, "resend", EMAIL_ID);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static String sign(String secret, String id, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private long now() {
        return fixture.now().getEpochSecond();
    }

    private String freshId() {
        return "msg_2KWPBgLlAfxdpx2AI54pPJ85f" + (++ids);
    }

    private CallbackRequest signed(String body) {
        return signed(freshId(), now(), body);
    }

    private static CallbackRequest signed(String id, long timestamp, String body) {
        String seconds = Long.toString(timestamp);
        return post(body, "svix-id", id, "svix-timestamp", seconds, "svix-signature", sign(SECRET, id, seconds, body));
    }

    /** An event as Resend's event types page shows it, with {@code extra} fields of {@code data}. */
    private static String event(String type, String extra) {
        return "{\"type\":\"" + type + "\",\"created_at\":\"" + CREATED_AT + "\",\"data\":{"
                + "\"broadcast_id\":\"8b146471-e88e-4322-86af-016cd36fd216\",\"created_at\":\"2030-01-01T00:00:00.894719+00:00\","
                + "\"email_id\":\"" + EMAIL_ID + "\",\"from\":\"Acme <onboarding@resend.dev>\",\"to\":[\"" + RECIPIENT + "\"],"
                + "\"subject\":\"Sending this example\",\"tags\":{\"category\":\"confirm_email\"}"
                + (extra.isEmpty() ? "" : "," + extra) + "}}";
    }

    @Test
    void a_signed_delivery_moves_the_email_to_delivered_with_its_history_row_and_event() {
        CallbackResponse response = acmeEvents.handle(signed(event("email.delivered", "")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(EventType.EMAIL_DELIVERED);
            assertThat(change.provider()).contains("resend");
            assertThat(change.recipient()).contains(RECIPIENT);
            assertThat(change.occurredAt()).isEqualTo(Instant.parse(CREATED_AT));
        });
        assertThat(fixture.events(EventType.EMAIL_DELIVERED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("\"providerMessageId\":\"" + EMAIL_ID + "\""));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            email.delivery_delayed |                                                                  | DEFERRED   | EMAIL_DEFERRED     |
            email.bounced          | "bounce":{"message":"The recipient's email address is on the suppression list because it has a recent history of producing hard bounces.","subType":"Suppressed","type":"Permanent"} | BOUNCED | EMAIL_BOUNCED | The recipient's email address is on the suppression list because it has a recent history of producing hard bounces.; type Permanent; subtype Suppressed
            email.bounced          | "bounce":{"message":"Mailbox full","subType":"MailboxFull","type":"Transient"} | BOUNCED | EMAIL_BOUNCED | Mailbox full; type Transient; subtype MailboxFull
            email.complained       |                                                                  | COMPLAINED | EMAIL_COMPLAINED   |
            email.opened           |                                                                  | SENT       | EMAIL_OPENED       |
            email.clicked          | "click":{"ipAddress":"122.115.53.11","link":"https://resend.com","timestamp":"2030-01-01T00:00:01Z","userAgent":"Mozilla/5.0"} | SENT | EMAIL_CLICKED | Mozilla/5.0
            """)
    void each_documented_event_becomes_its_irisx_event(String type, String extra, EmailStatus status, EventType event,
            String detail) {
        assertThat(acmeEvents.handle(signed(event(type, extra == null ? "" : extra))).status()).isEqualTo(200);

        assertThat(fixture.acme.get(email).status()).isEqualTo(status);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(event);
            if (detail != null) {
                assertThat(change.detail()).isEqualTo(detail);
            }
        });
        assertThat(fixture.events(event)).hasSize(1);
    }

    @Test
    void a_permanent_bounce_suppresses_the_recipient_under_the_svix_id_a_transient_one_does_not() {
        acmeEvents.handle(signed(event("email.bounced", "\"bounce\":{\"message\":\"full\",\"type\":\"Transient\"}")));
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();

        acmeEvents.handle(signed("msg_permanent", now(), event("email.bounced",
                "\"bounce\":{\"message\":\"no such user\",\"subType\":\"General\",\"type\":\"Permanent\"}")));

        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).hasValueSatisfying(
                suppression -> assertThat(suppression.source()).isEqualTo("resend msg_permanent"));
    }

    @Test
    void an_event_to_several_recipients_names_none_and_suppresses_no_one() {
        acmeEvents.handle(signed(event("email.bounced", "\"bounce\":{\"type\":\"Permanent\"}")
                .replace("\"to\":[\"" + RECIPIENT + "\"]", "\"to\":[\"" + RECIPIENT + "\",\"Bob <bob@example.com>\"]")));

        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> assertThat(change.recipient()).isEmpty());
        assertThat(fixture.acme.suppressions().list(EmailStream.TRANSACTIONAL, io.irisx.core.PageRequest.first(10))
                .items()).isEmpty();
    }

    @Test
    void a_recipient_with_a_display_name_is_its_address() {
        acmeEvents.handle(signed(event("email.opened", "").replace("\"to\":[\"" + RECIPIENT + "\"]",
                "\"to\":[\"Ada Lovelace <" + RECIPIENT + ">\"]")));

        assertThat(fixture.acme.history(email)).last().satisfies(change ->
                assertThat(change.recipient()).contains(RECIPIENT));
    }

    @Test
    void svix_delivering_an_event_again_changes_nothing() {
        String body = event("email.delivery_delayed", "");
        assertThat(acmeEvents.handle(signed("msg_again", now(), body)).status()).isEqualTo(200);
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        // A retry keeps the svix-id and is signed anew; an exact replay within the tolerance is the same request.
        fixture.runtime.clock.advance(Duration.ofSeconds(40));
        assertThat(acmeEvents.handle(signed("msg_again", now(), body)).status()).isEqualTo(200);
        assertThat(acmeEvents.handle(signed("msg_again", now() - 40, body)).status()).isEqualTo(200);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
    }

    @Test
    void a_forged_or_tampered_request_is_refused_and_changes_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String body = event("email.complained", "");
        String id = freshId();
        String seconds = Long.toString(now());
        String signature = sign(SECRET, id, seconds, body);

        List<CallbackRequest> forged = List.of(
                post(body, "svix-id", id, "svix-timestamp", seconds, "svix-signature",
                        sign("whsec_" + Base64.getEncoder().encodeToString(new byte[24]), id, seconds, body)),
                post(body.replace("complained", "delivered"), "svix-id", id, "svix-timestamp", seconds,
                        "svix-signature", signature),
                post(body, "svix-id", id + "x", "svix-timestamp", seconds, "svix-signature", signature),
                post(body, "svix-id", id, "svix-timestamp", Long.toString(now() - 1), "svix-signature", signature),
                post(body, "svix-timestamp", seconds, "svix-signature", signature),
                post(body, "svix-id", id, "svix-timestamp", seconds),
                post(body, "svix-id", id, "svix-timestamp", seconds, "svix-signature", "v1,bm90IGEgc2lnbmF0dXJl"));

        for (CallbackRequest request : forged) {
            CallbackResponse response = acmeEvents.handle(request);
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.bodyText()).contains("signature does not verify").doesNotContain(SECRET);
        }

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isEqualTo(forged.size());
    }

    @Test
    void a_timestamp_beyond_the_tolerance_either_way_is_refused_even_when_signed() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String body = event("email.delivered", "");

        CallbackResponse old = acmeEvents.handle(signed(freshId(), now() - 301, body));
        CallbackResponse ahead = acmeEvents.handle(signed(freshId(), now() + 301, body));

        assertThat(old.status()).isEqualTo(403);
        assertThat(old.bodyText()).contains("TOO_OLD");
        assertThat(ahead.status()).isEqualTo(403);
        assertThat(ahead.bodyText()).contains("TOO_NEW");
        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.handle(signed(freshId(), now() - 300, body)).status()).isEqualTo(200);
    }

    @Test
    void the_tolerance_is_configurable_and_follows_the_runtime_clock() {
        ResendEvents strict = ResendEvents.builder(fixture.tenant("acme"), SECRET).tolerance(Duration.ofSeconds(30))
                .build();
        CallbackRequest request = signed(event("email.delivered", ""));

        fixture.runtime.clock.advance(Duration.ofSeconds(31));
        assertThat(strict.handle(request).status()).isEqualTo(403);
        assertThat(acmeEvents.handle(request).status()).isEqualTo(200);
        assertThatThrownBy(() -> ResendEvents.builder(fixture.tenant("acme"), SECRET).tolerance(Duration.ofHours(25)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
    }

    @Test
    void standard_webhooks_header_names_are_accepted_too() {
        String body = event("email.delivered", "");
        String seconds = Long.toString(now());

        CallbackResponse response = acmeEvents.handle(post(body, "webhook-id", "msg_std", "webhook-timestamp", seconds,
                "webhook-signature", sign(SECRET, "msg_std", seconds, body)));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "PATCH"})
    void another_method_is_refused_with_405(String method) {
        CallbackRequest genuine = signed(event("email.delivered", ""));
        CallbackResponse response = acmeEvents.handle(request(method, "", genuine.bodyText(), "svix-id",
                genuine.header("svix-id"), "svix-timestamp", genuine.header("svix-timestamp"), "svix-signature",
                genuine.header("svix-signature")));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "POST");
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.SENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not json", "no type", "no email_id", "no created_at", "bad created_at",
            "click without link", "array"})
    void a_signed_body_that_lacks_what_its_event_needs_is_refused_with_400(String defect) {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String body = switch (defect) {
            case "not json" -> "type=email.delivered";
            case "no type" -> event("email.delivered", "").replace("\"type\":\"email.delivered\",", "");
            case "no email_id" -> event("email.delivered", "").replace("\"email_id\":\"" + EMAIL_ID + "\",", "");
            case "no created_at" -> event("email.delivered", "").replace("\"created_at\":\"" + CREATED_AT + "\",", "");
            case "bad created_at" -> event("email.delivered", "").replace(CREATED_AT, "yesterday");
            case "click without link" -> event("email.clicked", "\"click\":{\"userAgent\":\"Mozilla/5.0\"}");
            default -> "[" + event("email.delivered", "") + "]";
        };

        CallbackResponse response = acmeEvents.handle(signed(body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(fixture.snapshot(email)).isEqualTo(before);
    }

    @Test
    void events_of_unknown_emails_and_of_ignored_types_are_acknowledged_and_change_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        assertThat(acmeEvents.handle(signed(event("email.delivered", "").replace(EMAIL_ID, "another-email"))).status())
                .isEqualTo(200);
        assertThat(acmeEvents.handle(signed(event("email.sent", ""))).status()).isEqualTo(200);
        assertThat(acmeEvents.handle(signed("{\"type\":\"contact.created\",\"created_at\":\"" + CREATED_AT
                + "\",\"data\":{\"id\":\"e169aa45\"}}")).status()).isEqualTo(200);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isZero();
    }

    @Test
    void a_tenants_handler_never_touches_another_tenants_email_of_the_same_id() {
        MessageId theirs = fixture.sent(fixture.globex, "resend", EMAIL_ID);
        ResendEvents globexEvents = ResendEvents.builder(fixture.tenant("globex"), SECRET).build();
        CallbackRequest bounce = signed(event("email.bounced", "\"bounce\":{\"type\":\"Permanent\"}"));

        acmeEvents.handle(bounce);

        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.SENT);
        assertThat(fixture.globex.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();
        // The same svix-id is new to the other tenant.
        assertThat(globexEvents.handle(bounce).status()).isEqualTo(200);
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.BOUNCED);
    }

    @Test
    void the_signing_secret_is_checked_and_never_shown() {
        for (String secret : List.of("", "whsec_not base64!", "pk_" + SECRET)) {
            assertThatThrownBy(() -> ResendEvents.builder(fixture.tenant("acme"), secret))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signingSecret")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("MfKQ9r8G"));
        }
        assertThat(acmeEvents).hasToString("ResendEvents[acme]");
    }
}

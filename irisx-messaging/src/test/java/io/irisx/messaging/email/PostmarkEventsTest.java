package io.irisx.messaging.email;

import static io.irisx.messaging.email.ProviderEventsFixture.RECIPIENT;
import static io.irisx.messaging.email.ProviderEventsFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.postmark.PostmarkEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Postmark's webhooks through {@link PostmarkEvents}: records as https://postmarkapp.com/developer/webhooks/delivery-webhook,
 * https://postmarkapp.com/developer/webhooks/bounce-webhook, https://postmarkapp.com/developer/webhooks/spam-complaint-webhook,
 * https://postmarkapp.com/developer/webhooks/open-tracking-webhook, https://postmarkapp.com/developer/webhooks/click-webhook
 * and https://postmarkapp.com/developer/webhooks/subscription-change-webhook show them, bounce types as
 * https://postmarkapp.com/developer/api/bounce-api#bounce-types lists them, and the protection
 * https://postmarkapp.com/developer/webhooks/webhooks-overview describes: basic authentication written into the
 * webhook URL, and the addresses Postmark's webhooks come from.
 */
class PostmarkEventsTest {

    private static final String MESSAGE_ID = "883953f4-6105-42a2-a16a-77a8eac79483";
    private static final String USER = "postmark";
    private static final String PASSWORD = "s3cret:with colon";
    private static final String AT = "2030-01-01T00:00:05.9070259Z";

    private ProviderEventsFixture fixture;
    private PostmarkEvents acmeEvents;
    private MessageId email;

    @BeforeEach
    void start() {
        fixture = new ProviderEventsFixture();
        acmeEvents = PostmarkEvents.builder(fixture.tenant("acme")).basicAuth(USER, PASSWORD).build();
        email = fixture.sent(fixture.acme, "postmark", MESSAGE_ID);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A POST with {@code body}, as Postmark sends it to https://postmark:…@host/path. */
    private static CallbackRequest authorized(String body) {
        return ProviderEventsFixture.post(body, "Authorization", basic(USER, PASSWORD));
    }

    private static CallbackRequest from(String address, String body) {
        return new CallbackRequest("POST", "/hooks/postmark", "", java.util.Map.of("Content-Type",
                List.of("application/json")), body.getBytes(StandardCharsets.UTF_8), address);
    }

    private static String delivery() {
        return "{\"RecordType\":\"Delivery\",\"ServerID\":23,\"MessageStream\":\"outbound\",\"MessageID\":\"" + MESSAGE_ID
                + "\",\"Recipient\":\"" + RECIPIENT + "\",\"Tag\":\"welcome-email\",\"DeliveredAt\":\"" + AT + "\","
                + "\"Details\":\"smtp;250 2.0.0 OK 1480624905 l186si10190883ite.73 - gsmtp\",\"Metadata\":{\"a_key\":\"a_value\"}}";
    }

    private static String bounce(String recordType, String type, long id) {
        return "{\"RecordType\":\"" + recordType + "\",\"MessageStream\":\"outbound\",\"ID\":" + id + ",\"Type\":\"" + type
                + "\",\"TypeCode\":1,\"Name\":\"Hard bounce\",\"Tag\":\"Test\",\"MessageID\":\"" + MESSAGE_ID + "\","
                + "\"Metadata\":{\"a_key\":\"a_value\"},\"ServerID\":23,\"Description\":\"The server was unable to deliver "
                + "your message (ex: unknown user, mailbox not found).\",\"Details\":\"Test bounce details\",\"Email\":\""
                + RECIPIENT + "\",\"From\":\"sender@example.com\",\"BouncedAt\":\"" + AT + "\",\"DumpAvailable\":true,"
                + "\"Inactive\":true,\"CanActivate\":true,\"Subject\":\"Test subject\",\"Content\":\"<Full dump of bounce>\"}";
    }

    private static String engagement(String recordType, String extra) {
        return "{\"RecordType\":\"" + recordType + "\",\"MessageStream\":\"outbound\",\"Client\":{\"Name\":\"Chrome 35.0\","
                + "\"Company\":\"Google\",\"Family\":\"Chrome\"},\"OS\":{\"Name\":\"OS X 10.7 Lion\"},\"Platform\":\"WebMail\","
                + "\"UserAgent\":\"Mozilla/5.0 (Macintosh)\",\"Geo\":{\"CountryISOCode\":\"RS\"},\"MessageID\":\"" + MESSAGE_ID
                + "\",\"Metadata\":{},\"ReceivedAt\":\"" + AT + "\",\"Tag\":\"welcome-email\",\"Recipient\":\"" + RECIPIENT
                + "\"" + extra + "}";
    }

    private static String subscriptionChange(boolean suppress, String reason, String messageId) {
        return "{\"RecordType\":\"SubscriptionChange\",\"MessageID\":" + (messageId == null ? "null" : "\"" + messageId + "\"")
                + ",\"ServerID\":123456,\"MessageStream\":\"outbound\",\"ChangedAt\":\"" + AT + "\",\"Recipient\":\""
                + RECIPIENT + "\",\"Origin\":\"Recipient\",\"SuppressSending\":" + suppress + ",\"SuppressionReason\":"
                + (reason == null ? "null" : "\"" + reason + "\"") + ",\"Tag\":\"my-tag\",\"Metadata\":{\"example\":\"value\"}}";
    }

    @Test
    void an_authenticated_delivery_moves_the_email_to_delivered_with_its_history_row_and_event() {
        CallbackResponse response = acmeEvents.handle(authorized(delivery()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(EventType.EMAIL_DELIVERED);
            assertThat(change.provider()).contains("postmark");
            assertThat(change.recipient()).contains(RECIPIENT);
            assertThat(change.detail()).startsWith("smtp;250 2.0.0 OK");
            assertThat(change.occurredAt()).isEqualTo(Instant.parse("2030-01-01T00:00:05.907Z"));
        });
        assertThat(fixture.events(EventType.EMAIL_DELIVERED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("\"providerMessageId\":\"" + MESSAGE_ID + "\""));
    }

    @ParameterizedTest(name = "Bounce of type {0}")
    @CsvSource({
            "HardBounce, BOUNCED, EMAIL_BOUNCED", "BadEmailAddress, BOUNCED, EMAIL_BOUNCED",
            "SoftBounce, BOUNCED, EMAIL_BOUNCED", "Blocked, BOUNCED, EMAIL_BOUNCED",
            "SpamNotification, BOUNCED, EMAIL_BOUNCED", "VirusNotification, BOUNCED, EMAIL_BOUNCED",
            "DMARCPolicy, BOUNCED, EMAIL_BOUNCED", "Unknown, BOUNCED, EMAIL_BOUNCED",
            "Transient, DEFERRED, EMAIL_DEFERRED", "DnsError, DEFERRED, EMAIL_DEFERRED",
            "SpamComplaint, COMPLAINED, EMAIL_COMPLAINED", "Unsubscribe, SENT, EMAIL_UNSUBSCRIBED",
            "ManuallyDeactivated, FAILED, EMAIL_FAILED", "Unconfirmed, FAILED, EMAIL_FAILED",
            "SMTPApiError, FAILED, EMAIL_FAILED", "TemplateRenderingFailed, FAILED, EMAIL_FAILED"})
    void each_bounce_type_becomes_its_irisx_event(String type, EmailStatus status, EventType event) {
        assertThat(acmeEvents.handle(authorized(bounce("Bounce", type, 4323372036854775807L))).status()).isEqualTo(200);

        assertThat(fixture.acme.get(email).status()).isEqualTo(status);
        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(event);
            assertThat(change.detail()).isEqualTo("The server was unable to deliver your message (ex: unknown user, "
                    + "mailbox not found).; Test bounce details");
        });
    }

    @Test
    void only_a_hard_bounce_suppresses_the_recipient() {
        acmeEvents.handle(authorized(bounce("Bounce", "SoftBounce", 1)));
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();

        acmeEvents.handle(authorized(bounce("Bounce", "HardBounce", 2)));

        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).hasValueSatisfying(
                suppression -> assertThat(suppression.source()).isEqualTo("postmark 2"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"AutoResponder", "AddressChange", "Subscribe", "OpenRelayTest", "ChallengeVerification",
            "InboundError", "SomethingNew"})
    void bounces_that_say_nothing_of_delivery_are_acknowledged_and_change_nothing(String type) {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        assertThat(acmeEvents.handle(authorized(bounce("Bounce", type, 7))).status()).isEqualTo(200);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
    }

    @Test
    void spam_complaints_opens_and_clicks_become_their_irisx_events() {
        acmeEvents.handle(authorized(engagement("Open", ",\"FirstOpen\":true,\"ReadSeconds\":5")));
        acmeEvents.handle(authorized(engagement("Click", ",\"ClickLocation\":\"HTML\",\"OriginalLink\":\"https://acme.example/pay\"")));
        acmeEvents.handle(authorized(bounce("SpamComplaint", "SpamComplaint", 3)));

        assertThat(fixture.acme.history(email)).extracting(StatusChange::event).endsWith(EventType.EMAIL_OPENED,
                EventType.EMAIL_CLICKED, EventType.EMAIL_COMPLAINED);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.COMPLAINED);
        assertThat(fixture.events(EventType.EMAIL_OPENED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("Mozilla/5.0 (Macintosh)"));
        assertThat(fixture.events(EventType.EMAIL_CLICKED)).singleElement().satisfies(event ->
                assertThat(event.data()).contains("\"link\":\"https://acme.example/pay\""));
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.MARKETING)).hasValueSatisfying(
                suppression -> assertThat(suppression.reason()).isEqualTo(Suppression.Reason.COMPLAINT));
    }

    @Test
    void a_subscription_change_that_suppresses_is_applied_a_reactivation_or_one_without_a_message_is_not() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        assertThat(acmeEvents.handle(authorized(subscriptionChange(false, null, MESSAGE_ID))).status()).isEqualTo(200);
        assertThat(acmeEvents.handle(authorized(subscriptionChange(true, "ManualSuppression", null))).status())
                .isEqualTo(200);
        assertThat(fixture.snapshot(email)).isEqualTo(before);

        assertThat(acmeEvents.handle(authorized(subscriptionChange(true, "ManualSuppression", MESSAGE_ID))).status())
                .isEqualTo(200);

        assertThat(fixture.acme.history(email)).last().satisfies(change -> {
            assertThat(change.event()).isEqualTo(EventType.EMAIL_UNSUBSCRIBED);
            assertThat(change.detail()).isEqualTo("suppressed by Recipient; ManualSuppression");
        });
        assertThat(fixture.acme.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).hasValueSatisfying(
                suppression -> assertThat(suppression.reason()).isEqualTo(Suppression.Reason.UNSUBSCRIBE));
    }

    @Test
    void a_request_sent_again_changes_nothing_the_second_time() {
        for (String body : List.of(delivery(), bounce("Bounce", "Transient", 11), engagement("Open", ""))) {
            assertThat(acmeEvents.handle(authorized(body)).status()).isEqualTo(200);
            ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

            assertThat(acmeEvents.handle(authorized(body)).status()).isEqualTo(200);

            assertThat(fixture.snapshot(email)).isEqualTo(before);
        }
    }

    @Test
    void missing_or_wrong_credentials_are_refused_with_401_and_change_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        List<CallbackRequest> refused = new ArrayList<>(List.of(
                ProviderEventsFixture.post(delivery()),
                ProviderEventsFixture.post(delivery(), "Authorization", basic(USER, "s3cret")),
                ProviderEventsFixture.post(delivery(), "Authorization", basic(USER, PASSWORD + "x")),
                ProviderEventsFixture.post(delivery(), "Authorization", basic("someone", PASSWORD)),
                ProviderEventsFixture.post(delivery(), "Authorization", "Bearer " + PASSWORD),
                ProviderEventsFixture.post(delivery(), "Authorization", "Basic %%%")));

        for (CallbackRequest request : refused) {
            CallbackResponse response = acmeEvents.handle(request);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.headers()).containsEntry("WWW-Authenticate",
                    "Basic realm=\"IRISX Postmark webhook\", charset=\"UTF-8\"");
            assertThat(response.bodyText()).doesNotContain(PASSWORD);
        }

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isEqualTo(refused.size());
        assertThat(acmeEvents.handle(ProviderEventsFixture.post(delivery(), "Authorization",
                basic(USER, PASSWORD).replace("Basic", "basic"))).status()).isEqualTo(200);
    }

    @Test
    void with_an_allowlist_only_requests_from_its_networks_pass() {
        PostmarkEvents byAddress = PostmarkEvents.builder(fixture.tenant("acme"))
                .allowedNetworks(List.of("3.134.147.250", "50.31.156.0/24", "2001:db8::/32")).build();
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        for (String address : List.of("198.51.100.7", "50.31.157.1", "", "localhost", "2001:db9::1", "3.134.147.251")) {
            assertThat(byAddress.handle(from(address, delivery())).status()).as(address).isEqualTo(403);
        }
        assertThat(fixture.snapshot(email)).isEqualTo(before);

        assertThat(byAddress.handle(from("50.31.156.77", delivery())).status()).isEqualTo(200);
        assertThat(byAddress.handle(from("::ffff:3.134.147.250", bounce("Bounce", "Transient", 5))).status())
                .isEqualTo(200);
        assertThat(byAddress.handle(from("[2001:db8::5]", engagement("Open", ""))).status()).isEqualTo(200);
        assertThat(fixture.acme.history(email)).extracting(StatusChange::event).endsWith(EventType.EMAIL_DELIVERED,
                EventType.EMAIL_DEFERRED, EventType.EMAIL_OPENED);
    }

    @Test
    void with_both_set_a_request_needs_both() {
        PostmarkEvents both = PostmarkEvents.builder(fixture.tenant("acme")).basicAuth(USER, PASSWORD)
                .allowedNetworks(List.of("50.31.156.0/24")).build();
        String authorization = basic(USER, PASSWORD);

        assertThat(both.handle(ProviderEventsFixture.post(delivery(), "Authorization", authorization)).status())
                .isEqualTo(403);
        assertThat(both.handle(from("50.31.156.6", delivery())).status()).isEqualTo(401);
        CallbackRequest allowed = new CallbackRequest("POST", "/hooks/postmark", "", java.util.Map.of("Authorization",
                List.of(authorization)), delivery().getBytes(StandardCharsets.UTF_8), "50.31.156.6");
        assertThat(both.handle(allowed).status()).isEqualTo(200);
    }

    @Test
    void the_builder_needs_credentials_or_networks_and_checks_them() {
        assertThatThrownBy(() -> PostmarkEvents.builder(fixture.tenant("acme")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("basicAuth");
        assertThatThrownBy(() -> PostmarkEvents.builder(fixture.tenant("acme")).basicAuth("a:b", PASSWORD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> PostmarkEvents.builder(fixture.tenant("acme")).basicAuth(USER, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
        for (String network : List.of("example.com", "10.0.0.1/8", "10.0.0.0/33", "300.1.1.1", "010.0.0.1", "::/129")) {
            assertThatThrownBy(() -> PostmarkEvents.builder(fixture.tenant("acme")).allowedNetworks(List.of(network)))
                    .as(network).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowedNetworks");
        }
        assertThat(acmeEvents).hasToString("PostmarkEvents[acme]");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "PUT"})
    void another_method_is_refused_with_405(String method) {
        CallbackResponse response = acmeEvents.handle(request(method, "", delivery(), "Authorization",
                basic(USER, PASSWORD)));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "POST");
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.SENT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not json", "no RecordType", "no MessageID", "bad DeliveredAt", "click without link",
            "bounce without Type", "array"})
    void an_authenticated_body_that_lacks_what_its_record_needs_is_refused_with_400(String defect) {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);
        String body = switch (defect) {
            case "not json" -> "RecordType=Delivery";
            case "no RecordType" -> delivery().replace("\"RecordType\":\"Delivery\",", "");
            case "no MessageID" -> delivery().replace("\"MessageID\":\"" + MESSAGE_ID + "\",", "");
            case "bad DeliveredAt" -> delivery().replace(AT, "yesterday");
            case "click without link" -> engagement("Click", "");
            case "bounce without Type" -> bounce("Bounce", "HardBounce", 1).replace("\"Type\":\"HardBounce\",", "");
            default -> "[" + delivery() + "]";
        };

        CallbackResponse response = acmeEvents.handle(authorized(body));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyText()).startsWith("malformed event: ");
        assertThat(fixture.snapshot(email)).isEqualTo(before);
    }

    @Test
    void events_of_unknown_emails_are_acknowledged_and_change_nothing() {
        ProviderEventsFixture.Snapshot before = fixture.snapshot(email);

        assertThat(acmeEvents.handle(authorized(delivery().replace(MESSAGE_ID, "00000000-0000-0000-0000-000000000000")))
                .status()).isEqualTo(200);

        assertThat(fixture.snapshot(email)).isEqualTo(before);
        assertThat(acmeEvents.refused()).isZero();
    }

    @Test
    void a_tenants_handler_never_touches_another_tenants_email_of_the_same_message_id() {
        MessageId theirs = fixture.sent(fixture.globex, "postmark", MESSAGE_ID);
        PostmarkEvents globexEvents = PostmarkEvents.builder(fixture.tenant("globex")).basicAuth("globex", "other")
                .build();

        acmeEvents.handle(authorized(bounce("Bounce", "HardBounce", 9)));

        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.SENT);
        assertThat(fixture.globex.suppressions().find(RECIPIENT, EmailStream.TRANSACTIONAL)).isEmpty();
        // acme's credentials do not open globex's handler.
        assertThat(globexEvents.handle(authorized(delivery())).status()).isEqualTo(401);
        assertThat(globexEvents.handle(ProviderEventsFixture.post(delivery(), "Authorization", basic("globex", "other")))
                .status()).isEqualTo(200);
        assertThat(fixture.globex.get(theirs).status()).isEqualTo(EmailStatus.DELIVERED);
        assertThat(fixture.acme.get(email).status()).isEqualTo(EmailStatus.BOUNCED);
    }
}

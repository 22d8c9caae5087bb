package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.MessagingFixture;
import io.irisx.messaging.email.ses.SesEvents;
import io.irisx.testing.LogCapture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * AWS SES events posted by Amazon SNS to {@link SesEvents}, each message signed as SNS signs it ({@link SnsSigner}).
 * The wire formats are those of:
 * <ul>
 *   <li>"Verifying the signatures of Amazon SNS messages",
 *       https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html, and "Verifying the signature of
 *       an Amazon SNS message when using HTTP query-based requests",
 *       https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message-verify-message-signature.html;</li>
 *   <li>"HTTP/HTTPS notification JSON format", https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html,
 *       and "HTTP/HTTPS subscription confirmation JSON format",
 *       https://docs.aws.amazon.com/sns/latest/dg/http-subscription-confirmation-json.html;</li>
 *   <li>"Contents of event data that Amazon SES publishes to Amazon SNS",
 *       https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html, and "Examples of event
 *       data that Amazon SES publishes to Amazon SNS",
 *       https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-examples.html, whose records the
 *       events here follow.</li>
 * </ul>
 */
class SesEventsTest {

    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-events";
    private static final String OTHER_TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-feedback";
    private static final String CERT_URL =
            "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem";
    private static final String SES_ID = "0102018c1a2b3c4d-5e6f7a8b-1111-2222-3333-444455556666-000000";
    private static final String FEEDBACK_ID = "0102018c1a2b9999-61b59c11-9236-11e6-8f96-7be8aexample-000000";
    private static final Instant START = MessagingFixture.START;
    /** When SNS sent the messages: after the emails were sent, before the test clock's now. */
    private static final String SNS_TIME = "2030-01-01T00:00:50.512Z";
    private static final SnsSigner SNS = SnsSigner.create(Instant.parse("2029-01-01T00:00:00Z"),
            Instant.parse("2031-01-01T00:00:00Z"));
    private static final SnsSigner FORGER = SnsSigner.create(Instant.parse("2029-01-01T00:00:00Z"),
            Instant.parse("2031-01-01T00:00:00Z"));

    private MessagingFixture fixture;
    private EmailClient acme;
    private SnsSigner.Fetcher fetcher;
    private SesEvents events;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.h2());
        acme = fixture.emailClient("acme");
        fetcher = new SnsSigner.Fetcher();
        fetcher.answers.put(URI.create(CERT_URL), SNS.certificatePem);
        events = handler("acme").build();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private SesEvents.Builder handler(String tenant) {
        return SesEvents.builder(fixture.irisx.tenant(tenant)).topicArn(TOPIC).fetcher(fetcher);
    }

    /** An email of {@code client} to {@code to}, accepted by SES as {@code sesId}. */
    private MessageId sent(EmailClient client, String sesId, String... to) {
        EmailMessage.Builder message = EmailMessage.builder().from("billing@acme.example").subject("Your receipt")
                .text("Thank you.");
        for (String recipient : to) {
            message.to(recipient);
        }
        MessageId id = client.send(message.build());
        assertThat(fixture.emailStore.markSent(client.get(id), "ses", sesId, 1, false, "accepted by ses")).isTrue();
        // SES's events come after the send: a minute later, the messages of this test are a few seconds old.
        fixture.clock.advance(Duration.ofMinutes(1));
        return id;
    }

    private MessageId sent(String... to) {
        return sent(acme, SES_ID, to);
    }

    /** An SNS message of {@code type}, not yet signed. */
    private static Map<String, String> fields(String type, String messageId, String message, String timestamp) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Type", type);
        fields.put("MessageId", messageId);
        fields.put("TopicArn", TOPIC);
        fields.put("Message", message);
        fields.put("Timestamp", timestamp);
        fields.put("SigningCertURL", CERT_URL);
        fields.put("UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
                + TOPIC + ":c9135db0-26c4-47ec-8998-413945fb5a96");
        return fields;
    }

    private static Map<String, String> notification(String message) {
        return fields("Notification", UUID.randomUUID().toString(), message, SNS_TIME);
    }

    private static CallbackRequest signed(Map<String, String> fields, String version) {
        return SnsSigner.post(SNS.sign(fields, version));
    }

    private static CallbackRequest signed(String message) {
        return signed(notification(message), "2");
    }

    /** An SES event record of {@code eventType}, its {@code object} as {@code name}, sent to {@code destination}. */
    private static String sesEvent(String eventType, String name, String object, String... destination) {
        return "{\"eventType\":\"" + eventType + "\",\"mail\":" + mail(destination) + ",\"" + name + "\":" + object
                + "}";
    }

    private static String mail(String... destination) {
        return """
                {"timestamp":"2030-01-01T00:00:00.012Z","source":"billing@acme.example",\
                "sourceArn":"arn:aws:ses:eu-west-1:123456789012:identity/acme.example",\
                "sendingAccountId":"123456789012","messageId":"%s","destination":[%s],"headersTruncated":false,\
                "headers":[{"name":"From","value":"billing@acme.example"},{"name":"Subject","value":"Your receipt"}],\
                "commonHeaders":{"from":["billing@acme.example"],"subject":"Your receipt"},\
                "tags":{"ses:configuration-set":["transactional"],"ses:from-domain":["acme.example"]}}"""
                .formatted(SES_ID, String.join(",", destination.length == 0 ? List.of() : quoted(destination)));
    }

    private static List<String> quoted(String... values) {
        return java.util.Arrays.stream(values).map(v -> "\"" + v + "\"").toList();
    }

    private static String delivery(String... recipients) {
        return sesEvent("Delivery", "delivery", """
                {"timestamp":"2030-01-01T00:00:45.133Z","processingTimeMillis":5121,"recipients":[%s],\
                "smtpResponse":"250 2.6.0 Message received","reportingMTA":"a8-70.smtp-out.amazonses.com"}"""
                .formatted(String.join(",", quoted(recipients))), recipients);
    }

    private static String bounce(String type, String subType, String feedbackId, String... recipients) {
        StringBuilder bounced = new StringBuilder();
        for (String recipient : recipients) {
            bounced.append(bounced.length() == 0 ? "" : ",").append("""
                    {"emailAddress":"%s","action":"failed","status":"%s",\
                    "diagnosticCode":"smtp; %s %s <%s>: Recipient address rejected"}"""
                    .formatted(recipient, type.equals("Permanent") ? "5.1.1" : "4.2.2",
                            type.equals("Permanent") ? "550" : "452", type.equals("Permanent") ? "5.1.1" : "4.2.2",
                            recipient));
        }
        return sesEvent("Bounce", "bounce", """
                {"bounceType":"%s","bounceSubType":"%s","bouncedRecipients":[%s],\
                "timestamp":"2030-01-01T00:00:46.669Z","feedbackId":"%s","reportingMTA":"dsn; mta.example.com"}"""
                .formatted(type, subType, bounced, feedbackId), recipients);
    }

    private static String complaint(String feedbackType) {
        return sesEvent("Complaint", "complaint", """
                {"complainedRecipients":[{"emailAddress":"ada@example.com"}],"timestamp":"2030-01-01T00:00:47.669Z",\
                "feedbackId":"%s","userAgent":"Yahoo!-Mail-Feedback/2.0","complaintFeedbackType":"%s",\
                "arrivalDate":"2030-01-01T00:00:46.000Z"}""".formatted(FEEDBACK_ID, feedbackType), "ada@example.com");
    }

    private EmailStatus status(MessageId id) {
        return acme.get(id).status();
    }

    private List<EventType> history(MessageId id) {
        return acme.history(id).stream().map(StatusChange::event).toList();
    }

    @Test
    void a_delivery_signed_with_signature_version_1_is_recorded_once_per_recipient() {
        MessageId id = sent("ada@example.com", "bob@example.net");

        CallbackResponse response = events.handle(signed(notification(delivery("ada@example.com", "bob@example.net")),
                "1"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("recorded 2 of 2 events");
        assertThat(status(id)).isEqualTo(EmailStatus.DELIVERED);
        assertThat(acme.history(id)).filteredOn(change -> change.event() == EventType.EMAIL_DELIVERED)
                .extracting(StatusChange::recipient, StatusChange::detail, StatusChange::occurredAt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Optional.of("ada@example.com"),
                                "250 2.6.0 Message received", Instant.parse("2030-01-01T00:00:45.133Z")),
                        org.assertj.core.groups.Tuple.tuple(Optional.of("bob@example.net"),
                                "250 2.6.0 Message received", Instant.parse("2030-01-01T00:00:45.133Z")));
        assertThat(fixture.events(EventType.EMAIL_DELIVERED)).hasSize(2).allSatisfy(event ->
                assertThat(event.data()).contains("\"providerMessageId\":\"" + SES_ID + "\""));
        assertThat(fetcher.fetched(CERT_URL)).hasSize(1);
    }

    @Test
    void a_notification_with_a_subject_is_checked_with_the_subject_in_the_signed_string() {
        MessageId id = sent("ada@example.com");
        Map<String, String> fields = notification(delivery("ada@example.com"));
        fields.put("Subject", "Amazon SES Email Event Notification");

        assertThat(events.handle(signed(fields, "2")).status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo(EmailStatus.DELIVERED);

        // The subject is signed: one changed after signing is refused.
        Map<String, String> changed = SNS.sign(notification(delivery("ada@example.com")), "2");
        changed.put("Subject", "Amazon SES Email Event Notification");
        assertThat(events.handle(SnsSigner.post(changed)).status()).isEqualTo(403);
    }

    @Test
    void a_permanent_bounce_signed_with_signature_version_2_is_a_hard_bounce_that_suppresses_the_recipient() {
        MessageId id = sent("ada@example.com");

        CallbackResponse response = events.handle(signed(bounce("Permanent", "General", FEEDBACK_ID,
                "ada@example.com")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo(EmailStatus.BOUNCED);
        StatusChange bounced = acme.history(id).get(2);
        assertThat(bounced.event()).isEqualTo(EventType.EMAIL_BOUNCED);
        assertThat(bounced.recipient()).contains("ada@example.com");
        assertThat(bounced.detail()).isEqualTo("Permanent/General 5.1.1: smtp; 550 5.1.1 <ada@example.com>:"
                + " Recipient address rejected");
        assertThat(bounced.occurredAt()).isEqualTo(Instant.parse("2030-01-01T00:00:46.669Z"));
        for (EmailStream stream : EmailStream.values()) {
            assertThat(acme.suppressions().find("ada@example.com", stream)).get()
                    .extracting(Suppression::reason).isEqualTo(Suppression.Reason.HARD_BOUNCE);
        }
        assertThat(fixture.events(EventType.EMAIL_BOUNCED)).singleElement()
                .satisfies(event -> assertThat(event.data()).contains("5.1.1"));
    }

    @Test
    void transient_and_undetermined_bounces_are_soft_per_recipient_and_suppress_no_one() {
        MessageId id = sent("ada@example.com", "bob@example.net");

        assertThat(events.handle(signed(bounce("Transient", "MailboxFull", FEEDBACK_ID, "ada@example.com",
                "bob@example.net"))).bodyText()).isEqualTo("recorded 2 of 2 events");
        assertThat(events.handle(signed(bounce("Undetermined", "Undetermined", "0102018c-undetermined-000000",
                "ada@example.com"))).bodyText()).isEqualTo("recorded 1 of 1 events");

        assertThat(status(id)).isEqualTo(EmailStatus.BOUNCED);
        assertThat(acme.history(id)).filteredOn(change -> change.event() == EventType.EMAIL_BOUNCED)
                .extracting(StatusChange::detail).containsExactly(
                        "Transient/MailboxFull 4.2.2: smtp; 452 4.2.2 <ada@example.com>: Recipient address rejected",
                        "Transient/MailboxFull 4.2.2: smtp; 452 4.2.2 <bob@example.net>: Recipient address rejected",
                        "Undetermined/Undetermined 4.2.2: smtp; 452 4.2.2 <ada@example.com>: Recipient address"
                                + " rejected");
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
        assertThat(acme.suppressions().find("bob@example.net", EmailStream.TRANSACTIONAL)).isEmpty();
    }

    @Test
    void a_bounce_off_the_ses_account_suppression_list_drops_the_email_without_suppressing() {
        MessageId id = sent("ada@example.com");

        events.handle(signed(bounce("Permanent", "OnAccountSuppressionList", FEEDBACK_ID, "ada@example.com")));

        assertThat(status(id)).isEqualTo(EmailStatus.FAILED);
        assertThat(history(id)).endsWith(EventType.EMAIL_FAILED);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
    }

    @Test
    void a_complaint_suppresses_the_recipient_and_a_not_spam_report_records_nothing() {
        MessageId id = sent("ada@example.com");

        assertThat(events.handle(signed(complaint("not-spam"))).bodyText()).isEqualTo("recorded 0 of 0 events");
        assertThat(status(id)).isEqualTo(EmailStatus.SENT);

        assertThat(events.handle(signed(complaint("abuse"))).bodyText()).isEqualTo("recorded 1 of 1 events");
        assertThat(status(id)).isEqualTo(EmailStatus.COMPLAINED);
        assertThat(acme.history(id).get(2).detail())
                .isEqualTo("complaint (abuse) reported by Yahoo!-Mail-Feedback/2.0");
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.MARKETING)).get()
                .extracting(Suppression::reason).isEqualTo(Suppression.Reason.COMPLAINT);
    }

    @Test
    void a_complaint_off_the_ses_account_suppression_list_drops_the_email_without_suppressing() {
        MessageId id = sent("ada@example.com");

        events.handle(signed(complaint("abuse").replace("\"complaintFeedbackType\"",
                "\"complaintSubType\":\"OnAccountSuppressionList\",\"complaintFeedbackType\"")));

        assertThat(status(id)).isEqualTo(EmailStatus.FAILED);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
    }

    @Test
    void a_delivery_delay_defers_the_email_per_delayed_recipient() {
        MessageId id = sent("ada@example.com", "bob@example.net");

        events.handle(signed(sesEvent("DeliveryDelay", "deliveryDelay", """
                {"timestamp":"2030-01-01T00:00:47.095Z","delayType":"TransientCommunicationFailure",\
                "expirationTime":"2030-01-01T23:59:57.914Z","delayedRecipients":[{"emailAddress":"bob@example.net",\
                "status":"4.4.1","diagnosticCode":"smtp; 421 4.4.1 Unable to connect to remote host"}]}""",
                "ada@example.com", "bob@example.net")));

        assertThat(status(id)).isEqualTo(EmailStatus.DEFERRED);
        StatusChange deferred = acme.history(id).get(2);
        assertThat(deferred.recipient()).contains("bob@example.net");
        assertThat(deferred.detail()).isEqualTo("TransientCommunicationFailure 4.4.1: smtp; 421 4.4.1 Unable to"
                + " connect to remote host");
    }

    @Test
    void opens_and_clicks_are_recorded_for_the_sole_recipient_with_the_link_clicked() {
        MessageId id = sent("ada@example.com");
        String agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15";

        events.handle(signed(sesEvent("Open", "open", """
                {"ipAddress":"192.0.2.1","timestamp":"2030-01-01T00:00:19.652Z","userAgent":"%s"}"""
                .formatted(agent), "ada@example.com")));
        events.handle(signed(sesEvent("Click", "click", """
                {"ipAddress":"192.0.2.1","link":"https://acme.example/orders/A-1042?utm_source=receipt",\
                "linkTags":{"campaign":["receipts"]},"timestamp":"2030-01-01T00:01:25.570Z","userAgent":"%s"}"""
                .formatted(agent), "ada@example.com")));

        assertThat(status(id)).isEqualTo(EmailStatus.SENT);
        assertThat(acme.history(id)).extracting(StatusChange::event).containsExactly(EventType.EMAIL_QUEUED,
                EventType.EMAIL_SENT, EventType.EMAIL_OPENED, EventType.EMAIL_CLICKED);
        assertThat(acme.history(id).get(2).recipient()).contains("ada@example.com");
        assertThat(acme.history(id).get(2).detail()).isEqualTo(agent);
        assertThat(fixture.events(EventType.EMAIL_CLICKED)).singleElement().extracting(Event::data).asString()
                .contains("https://acme.example/orders/A-1042?utm_source=receipt");
    }

    @Test
    void an_open_of_an_email_with_several_recipients_names_none() {
        MessageId id = sent("ada@example.com", "bob@example.net");

        events.handle(signed(sesEvent("Open", "open", """
                {"ipAddress":"192.0.2.1","timestamp":"2030-01-01T00:00:19.652Z","userAgent":"Outlook"}""",
                "ada@example.com", "bob@example.net")));

        assertThat(acme.history(id).get(2).event()).isEqualTo(EventType.EMAIL_OPENED);
        assertThat(acme.history(id).get(2).recipient()).isEmpty();
    }

    @Test
    void an_unsubscribe_through_the_ses_subscription_page_suppresses_the_recipient_on_the_emails_stream() {
        MessageId id = sent("ada@example.com");
        String optIn = "{\"unsubscribeAll\":false,\"topicSubscriptionStatus\":[{\"topicName\":\"Receipts\","
                + "\"subscriptionStatus\":\"OptIn\"}]}";
        String optOut = "{\"unsubscribeAll\":false,\"topicSubscriptionStatus\":[{\"topicName\":\"Receipts\","
                + "\"subscriptionStatus\":\"OptOut\"}]}";
        String subscription = """
                {"contactList":"Customers","timestamp":"2030-01-01T00:05:14.340Z","source":"UnsubscribeHeader",\
                "newTopicPreferences":%s,"oldTopicPreferences":%s}""";

        // Opting in records nothing.
        assertThat(events.handle(signed(sesEvent("Subscription", "subscription",
                subscription.formatted(optIn, optOut), "ada@example.com"))).bodyText())
                .isEqualTo("recorded 0 of 0 events");
        assertThat(events.handle(signed(sesEvent("Subscription", "subscription",
                subscription.formatted(optOut, optIn), "ada@example.com"))).bodyText())
                .isEqualTo("recorded 1 of 1 events");

        assertThat(history(id)).endsWith(EventType.EMAIL_UNSUBSCRIBED);
        assertThat(acme.history(id).get(2).detail())
                .isEqualTo("opted out of Receipts on contact list Customers (UnsubscribeHeader)");
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).get()
                .extracting(Suppression::reason).isEqualTo(Suppression.Reason.UNSUBSCRIBE);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.MARKETING)).isEmpty();
    }

    @Test
    void a_reject_or_a_rendering_failure_drops_the_email_and_a_send_records_nothing() {
        MessageId send = sent("ada@example.com");
        assertThat(events.handle(signed(sesEvent("Send", "send", "{}", "ada@example.com"))).bodyText())
                .isEqualTo("recorded 0 of 0 events");
        assertThat(status(send)).isEqualTo(EmailStatus.SENT);

        events.handle(signed(sesEvent("Reject", "reject", "{\"reason\":\"Bad content\"}", "ada@example.com")));
        assertThat(status(send)).isEqualTo(EmailStatus.FAILED);
        assertThat(acme.history(send).get(2).detail()).isEqualTo("SES rejected it: Bad content");

        MessageId rendered = sent(acme, "0102018c-rendering-000000", "bob@example.net");
        String failure = sesEvent("Rendering Failure", "failure", "{\"errorMessage\":\"Attribute 'name' is not"
                + " present in the rendering data.\",\"templateName\":\"Receipt\"}", "bob@example.net")
                .replace(SES_ID, "0102018c-rendering-000000");
        events.handle(signed(failure));
        assertThat(status(rendered)).isEqualTo(EmailStatus.FAILED);
        assertThat(acme.history(rendered)).filteredOn(change -> change.event() == EventType.EMAIL_FAILED)
                .singleElement().extracting(StatusChange::detail)
                .isEqualTo("SES could not render template Receipt: Attribute 'name' is not present in the rendering"
                        + " data.");
    }

    @Test
    void identity_feedback_notifications_in_the_older_notification_type_form_are_read_alike() {
        MessageId id = sent("ada@example.com");

        String delivered = delivery("ada@example.com").replace("\"eventType\"", "\"notificationType\"");
        String bounced = bounce("Permanent", "NoEmail", FEEDBACK_ID, "ada@example.com")
                .replace("\"eventType\"", "\"notificationType\"");
        assertThat(events.handle(signed(delivered)).bodyText()).isEqualTo("recorded 1 of 1 events");
        assertThat(events.handle(signed(bounced)).bodyText()).isEqualTo("recorded 1 of 1 events");
        // SNS's own notice that SES can publish to the topic.
        assertThat(events.handle(signed("{\"notificationType\":\"AmazonSnsSubscriptionSucceeded\",\"message\":"
                + "\"You have successfully subscribed your Amazon SNS topic '" + TOPIC + "' to receive 'Bounce'"
                + " notifications from Amazon SES for identity 'acme.example'.\"}")).bodyText())
                .isEqualTo("recorded 0 of 0 events");

        assertThat(history(id)).containsExactly(EventType.EMAIL_QUEUED, EventType.EMAIL_SENT,
                EventType.EMAIL_DELIVERED, EventType.EMAIL_BOUNCED);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isPresent();
    }

    @Test
    void a_replayed_message_changes_nothing() {
        MessageId id = sent("ada@example.com");
        CallbackRequest bounce = signed(bounce("Permanent", "General", FEEDBACK_ID, "ada@example.com"));

        assertThat(events.handle(bounce).bodyText()).isEqualTo("recorded 1 of 1 events");
        for (int i = 0; i < 5; i++) {
            CallbackResponse again = events.handle(bounce);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.bodyText()).isEqualTo("recorded 0 of 1 events");
        }

        assertThat(history(id)).containsExactly(EventType.EMAIL_QUEUED, EventType.EMAIL_SENT,
                EventType.EMAIL_BOUNCED);
        assertThat(fixture.events(EventType.EMAIL_BOUNCED)).hasSize(1);
    }

    @Test
    void a_bounce_of_an_address_too_long_for_the_event_id_beside_the_feedback_id_is_recorded_once() {
        String longest = "a".repeat(64) + "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(40)
                + ".example";
        MessageId id = sent(longest);
        CallbackRequest bounce = signed(bounce("Permanent", "General", FEEDBACK_ID, longest));

        assertThat(events.handle(bounce).bodyText()).isEqualTo("recorded 1 of 1 events");
        assertThat(events.handle(signed(bounce("Permanent", "General", FEEDBACK_ID, longest))).bodyText())
                .isEqualTo("recorded 0 of 1 events");

        assertThat(status(id)).isEqualTo(EmailStatus.BOUNCED);
        assertThat(acme.suppressions().find(longest, EmailStream.TRANSACTIONAL)).isPresent();
    }

    @Test
    void the_same_bounce_through_a_second_topic_is_recorded_once_by_its_feedback_id() {
        SesEvents both = handler("acme").topicArn(OTHER_TOPIC).build();
        MessageId id = sent("ada@example.com");
        Map<String, String> viaOther = notification(bounce("Permanent", "General", FEEDBACK_ID, "ada@example.com"));
        viaOther.put("TopicArn", OTHER_TOPIC);

        assertThat(both.handle(signed(bounce("Permanent", "General", FEEDBACK_ID, "ada@example.com"))).bodyText())
                .isEqualTo("recorded 1 of 1 events");
        assertThat(both.handle(signed(viaOther, "2")).bodyText()).isEqualTo("recorded 0 of 1 events");

        assertThat(fixture.events(EventType.EMAIL_BOUNCED)).hasSize(1);
        assertThat(history(id)).hasSize(3);
    }

    @Test
    void a_forged_signature_is_refused_and_changes_nothing() {
        MessageId id = sent("ada@example.com");
        Map<String, String> fields = notification(bounce("Permanent", "General", FEEDBACK_ID, "ada@example.com"));

        for (String version : List.of("1", "2")) {
            CallbackResponse response = events.handle(SnsSigner.post(FORGER.sign(fields, version)));
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.bodyText()).contains("Signature does not match");
        }
        // A version 1 signature presented as version 2.
        assertThat(events.handle(SnsSigner.post(SnsSigner.withSignature(fields, "2",
                SnsSigner.signature(SNS.keys.getPrivate(), fields, "1")))).status()).isEqualTo(403);
        assertThat(events.handle(SnsSigner.post(SnsSigner.withSignature(fields, "2", "not base64!"))).status())
                .isEqualTo(403);

        assertThat(status(id)).isEqualTo(EmailStatus.SENT);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
    }

    @Test
    void a_message_tampered_with_after_signing_is_refused() {
        MessageId id = sent("ada@example.com");
        Map<String, String> delivered = SNS.sign(notification(delivery("ada@example.com")), "2");

        Map<String, String> bounced = new LinkedHashMap<>(delivered);
        bounced.put("Message", bounce("Permanent", "General", FEEDBACK_ID, "ada@example.com"));
        Map<String, String> redated = new LinkedHashMap<>(delivered);
        redated.put("Timestamp", "2029-12-31T23:59:59.512Z");
        Map<String, String> renamed = new LinkedHashMap<>(delivered);
        renamed.put("MessageId", UUID.randomUUID().toString());

        for (Map<String, String> tampered : List.of(bounced, redated, renamed)) {
            assertThat(events.handle(SnsSigner.post(tampered)).status()).isEqualTo(403);
        }
        assertThat(status(id)).isEqualTo(EmailStatus.SENT);
        assertThat(events.handle(SnsSigner.post(delivered)).status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo(EmailStatus.DELIVERED);
    }

    @Test
    void a_message_of_a_topic_not_configured_is_refused_before_any_certificate_is_fetched() {
        MessageId id = sent("ada@example.com");
        Map<String, String> fields = notification(delivery("ada@example.com"));
        fields.put("TopicArn", OTHER_TOPIC);

        CallbackResponse response = events.handle(signed(fields, "2"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText()).contains(OTHER_TOPIC);
        assertThat(fetcher.fetched).isEmpty();
        assertThat(status(id)).isEqualTo(EmailStatus.SENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-7ff5.pem",
        "https://sns.eu-west-1.amazonaws.com.evil.example/SimpleNotificationService-7ff5.pem",
        "https://evil.example/sns.eu-west-1.amazonaws.com/SimpleNotificationService-7ff5.pem",
        "https://sns.eu-west-1.evil.amazonaws.com/SimpleNotificationService-7ff5.pem",
        "https://sqs.eu-west-1.amazonaws.com/SimpleNotificationService-7ff5.pem",
        "https://sns.amazonaws.com/SimpleNotificationService-7ff5.pem",
        "https://user@sns.eu-west-1.amazonaws.com/SimpleNotificationService-7ff5.pem",
        "https://sns.eu-west-1.amazonaws.com:8443/SimpleNotificationService-7ff5.pem",
        "file:///etc/passwd",
        "not a url"
    })
    void a_certificate_url_over_http_or_off_the_sns_hosts_is_refused_and_never_fetched(String url) {
        MessageId id = sent("ada@example.com");
        fetcher.answers.put(URI.create(url.replace(' ', '-')), SNS.certificatePem);
        Map<String, String> fields = notification(delivery("ada@example.com"));
        fields.put("SigningCertURL", url);

        CallbackResponse response = events.handle(signed(fields, "2"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.bodyText()).contains("SigningCertURL must be an https URL on sns.<region>.amazonaws.com");
        assertThat(fetcher.fetched).isEmpty();
        assertThat(status(id)).isEqualTo(EmailStatus.SENT);
    }

    @Test
    void a_certificate_on_an_sns_host_of_the_china_partition_is_accepted() {
        String chinaUrl = "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-3242f6a9.pem";
        fetcher.answers.put(URI.create(chinaUrl), SNS.certificatePem);
        MessageId id = sent("ada@example.com");
        Map<String, String> fields = notification(delivery("ada@example.com"));
        fields.put("SigningCertURL", chinaUrl);

        assertThat(events.handle(signed(fields, "1")).status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo(EmailStatus.DELIVERED);
    }

    @Test
    void a_message_older_than_the_tolerance_changes_nothing_and_is_logged_at_warn() {
        MessageId id = sent("ada@example.com");
        String messageId = UUID.randomUUID().toString();
        CallbackRequest stale = signed(fields("Notification", messageId, delivery("ada@example.com"),
                "2029-12-31T23:00:59.999Z"), "2");

        try (LogCapture logs = LogCapture.start()) {
            CallbackResponse response = events.handle(stale);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("ignored: the message is older than PT1H");
            assertThat(logs.lines("WARN", SesEvents.class.getName())).singleElement().asString()
                    .contains(messageId, TOPIC, "acme");
        }
        assertThat(status(id)).isEqualTo(EmailStatus.SENT);

        // Just within the hour it counts; with a tolerance of 5 minutes, six minutes is too old.
        assertThat(events.handle(signed(fields("Notification", UUID.randomUUID().toString(),
                delivery("ada@example.com"), "2029-12-31T23:01:00.001Z"), "2")).bodyText())
                .isEqualTo("recorded 1 of 1 events");
        SesEvents strict = handler("acme").tolerance(Duration.ofMinutes(5)).build();
        assertThat(strict.handle(signed(fields("Notification", UUID.randomUUID().toString(),
                complaint("abuse"), "2029-12-31T23:55:00.000Z"), "2")).bodyText())
                .startsWith("ignored");
        assertThat(status(id)).isEqualTo(EmailStatus.DELIVERED);
    }

    private static Map<String, String> confirmation(String type, String subscribeUrl) {
        Map<String, String> fields = fields(type, UUID.randomUUID().toString(),
                "You have chosen to subscribe to the topic " + TOPIC
                        + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.",
                SNS_TIME);
        fields.remove("UnsubscribeURL");
        fields.put("Token", "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb7"
                + "1854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b78");
        fields.put("SubscribeURL", subscribeUrl);
        return fields;
    }

    private static final String SUBSCRIBE_URL = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription"
            + "&TopicArn=" + TOPIC + "&Token=2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd";

    @Test
    void a_subscription_confirmation_is_not_confirmed_by_default_and_is_logged_at_warn_with_its_topic() {
        CallbackRequest request = signed(confirmation("SubscriptionConfirmation", SUBSCRIBE_URL), "1");

        try (LogCapture logs = LogCapture.start()) {
            CallbackResponse response = events.handle(request);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).startsWith("not confirmed");
            assertThat(logs.lines("WARN", SesEvents.class.getName())).singleElement().asString()
                    .contains(TOPIC, "confirm it in the AWS console").doesNotContain("Token=");
        }
        assertThat(fetcher.fetched(SUBSCRIBE_URL)).isEmpty();
    }

    @Test
    void with_confirming_on_a_signed_confirmation_is_confirmed_by_fetching_its_subscribe_url() {
        SesEvents confirming = handler("acme").confirmSubscriptions(true).build();
        fetcher.answers.put(URI.create(SUBSCRIBE_URL),
                "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8));

        CallbackResponse response = confirming.handle(signed(confirmation("SubscriptionConfirmation", SUBSCRIBE_URL),
                "2"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("subscription confirmed");
        assertThat(fetcher.fetched(SUBSCRIBE_URL)).hasSize(1);
    }

    @Test
    void with_confirming_on_a_forged_confirmation_or_one_whose_url_is_off_the_sns_hosts_is_not_confirmed() {
        SesEvents confirming = handler("acme").confirmSubscriptions(true).build();
        String elsewhere = "https://attacker.example/?Action=ConfirmSubscription";
        fetcher.answers.put(URI.create(elsewhere), new byte[1]);

        assertThat(confirming.handle(SnsSigner.post(FORGER.sign(confirmation("SubscriptionConfirmation",
                SUBSCRIBE_URL), "2"))).status()).isEqualTo(403);
        // The Token is signed: one changed after signing is refused.
        Map<String, String> retokened = SNS.sign(confirmation("SubscriptionConfirmation", SUBSCRIBE_URL), "2");
        retokened.put("Token", "0000");
        assertThat(confirming.handle(SnsSigner.post(retokened)).status()).isEqualTo(403);
        try (LogCapture logs = LogCapture.start()) {
            CallbackResponse offHost = confirming.handle(signed(confirmation("SubscriptionConfirmation", elsewhere),
                    "2"));
            assertThat(offHost.status()).isEqualTo(200);
            assertThat(offHost.bodyText()).startsWith("not confirmed");
            assertThat(logs.lines("WARN", SesEvents.class.getName())).singleElement().asString().contains(TOPIC);
        }
        assertThat(fetcher.fetched(SUBSCRIBE_URL)).isEmpty();
        assertThat(fetcher.fetched(elsewhere)).isEmpty();
    }

    @Test
    void an_unsubscribe_confirmation_is_never_visited_and_is_logged_at_warn() {
        SesEvents confirming = handler("acme").confirmSubscriptions(true).build();
        String resubscribe = SUBSCRIBE_URL.replace("Token=", "Token=re");

        try (LogCapture logs = LogCapture.start()) {
            CallbackResponse response = confirming.handle(signed(confirmation("UnsubscribeConfirmation",
                    resubscribe), "2"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(logs.lines("WARN", SesEvents.class.getName())).singleElement().asString()
                    .contains(TOPIC, "unsubscribed");
        }
        assertThat(fetcher.fetched(resubscribe)).isEmpty();
    }

    @Test
    void the_certificate_is_fetched_once_per_url_and_at_most_32_are_kept() {
        String send = sesEvent("Send", "send", "{}", "ada@example.com");
        for (int i = 0; i < 33; i++) {
            String url = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-" + i + ".pem";
            fetcher.answers.put(URI.create(url), SNS.certificatePem);
            Map<String, String> fields = notification(send);
            fields.put("SigningCertURL", url);
            assertThat(events.handle(signed(fields, "2")).status()).isEqualTo(200);
            assertThat(events.handle(signed(fields, "2")).status()).isEqualTo(200);
        }
        String first = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0.pem";
        String last = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-32.pem";
        assertThat(fetcher.fetched(first)).hasSize(1);
        assertThat(fetcher.fetched(last)).hasSize(1);

        for (String url : List.of(first, last)) {
            Map<String, String> fields = notification(send);
            fields.put("SigningCertURL", url);
            assertThat(events.handle(signed(fields, "2")).status()).isEqualTo(200);
        }
        // The first was the least recently used of 33: it was let go, and is fetched again.
        assertThat(fetcher.fetched(first)).hasSize(2);
        assertThat(fetcher.fetched(last)).hasSize(1);
    }

    @Test
    void a_certificate_that_cannot_be_fetched_is_answered_503_logged_at_warn_and_fetched_again_next_time() {
        MessageId id = sent("ada@example.com");
        CallbackRequest delivered = signed(delivery("ada@example.com"));
        fetcher.down = true;

        try (LogCapture logs = LogCapture.start()) {
            assertThat(events.handle(delivered).status()).isEqualTo(503);
            assertThat(logs.lines("WARN", SesEvents.class.getName())).singleElement().asString()
                    .contains(CERT_URL, TOPIC, "connect timed out");
        }
        assertThat(status(id)).isEqualTo(EmailStatus.SENT);

        fetcher.down = false;
        assertThat(events.handle(delivered).status()).isEqualTo(200);
        assertThat(status(id)).isEqualTo(EmailStatus.DELIVERED);
        assertThat(fetcher.fetched(CERT_URL)).hasSize(2);
    }

    @Test
    void an_expired_certificate_or_one_that_is_not_a_certificate_is_refused() {
        MessageId id = sent("ada@example.com");
        SnsSigner expired = SnsSigner.create(Instant.parse("2027-01-01T00:00:00Z"),
                Instant.parse("2029-06-01T00:00:00Z"));
        String expiredUrl = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-expired.pem";
        String garbageUrl = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-garbage.pem";
        fetcher.answers.put(URI.create(expiredUrl), expired.certificatePem);
        fetcher.answers.put(URI.create(garbageUrl), "<Error><Code>NoSuchKey</Code></Error>".getBytes(
                StandardCharsets.UTF_8));

        Map<String, String> byExpired = notification(delivery("ada@example.com"));
        byExpired.put("SigningCertURL", expiredUrl);
        Map<String, String> byGarbage = notification(delivery("ada@example.com"));
        byGarbage.put("SigningCertURL", garbageUrl);

        assertThat(events.handle(SnsSigner.post(expired.sign(byExpired, "2"))).status()).isEqualTo(403);
        assertThat(events.handle(signed(byGarbage, "2")).status()).isEqualTo(403);
        assertThat(status(id)).isEqualTo(EmailStatus.SENT);
    }

    @Test
    void malformed_requests_are_answered_400_an_unknown_signature_version_403_and_other_methods_405() {
        Map<String, String> delivered = SNS.sign(notification(delivery("ada@example.com")), "2");

        assertThat(events.handle(new CallbackRequest("GET", "/hooks/ses", Map.of(), new byte[0])).status())
                .isEqualTo(405);
        assertThat(events.handle(new CallbackRequest("POST", "/hooks/ses", Map.of(),
                "Type=Notification".getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(400);
        assertThat(events.handle(new CallbackRequest("POST", "/hooks/ses", Map.of(),
                "[1,2]".getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(400);
        for (String field : List.of("Signature", "SigningCertURL", "Timestamp", "MessageId", "Message")) {
            Map<String, String> missing = new LinkedHashMap<>(delivered);
            missing.remove(field);
            CallbackResponse response = events.handle(SnsSigner.post(missing));
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).contains(field);
        }
        Map<String, String> unknownType = new LinkedHashMap<>(delivered);
        unknownType.put("Type", "Telegram");
        assertThat(events.handle(SnsSigner.post(unknownType)).bodyText()).contains("Type must be");
        Map<String, String> badTime = new LinkedHashMap<>(delivered);
        badTime.put("Timestamp", "yesterday");
        assertThat(events.handle(SnsSigner.post(badTime)).status()).isEqualTo(400);
        Map<String, String> version3 = new LinkedHashMap<>(delivered);
        version3.put("SignatureVersion", "3");
        assertThat(events.handle(SnsSigner.post(version3)).status()).isEqualTo(403);

        // Signed by SNS, but not an SES event IRISX can read.
        assertThat(events.handle(signed("plain text")).status()).isEqualTo(400);
        assertThat(events.handle(signed("{\"eventType\":\"Delivery\",\"mail\":{}}")).bodyText())
                .contains("mail.messageId");
        assertThat(events.handle(signed(sesEvent("Click", "click", "{\"timestamp\":\"2030-01-01T00:00:00Z\"}",
                "ada@example.com"))).bodyText()).contains("click.link");
        assertThat(events.handle(signed(sesEvent("Delivery", "delivery", "{\"timestamp\":\"noon\","
                + "\"recipients\":[\"ada@example.com\"]}", "ada@example.com"))).status()).isEqualTo(400);
        assertThat(events.handle(signed(sesEvent("Delivery", "delivery", "{\"recipients\":[\""
                + "a".repeat(300) + "@example.com\"]}", "ada@example.com"))).status()).isEqualTo(400);
    }

    @Test
    void another_tenants_handler_never_touches_this_tenants_email() {
        MessageId ours = sent("ada@example.com");
        SesEvents globexEvents = handler("globex").build();
        EmailClient globex = fixture.emailClient("globex");

        // The topic is shared, but the email is acme's: globex records nothing.
        assertThat(globexEvents.handle(signed(bounce("Permanent", "General", FEEDBACK_ID, "ada@example.com")))
                .bodyText()).isEqualTo("recorded 0 of 1 events");
        assertThat(status(ours)).isEqualTo(EmailStatus.SENT);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();

        // Each tenant's event reaches its own email of the same SES id, and acme's event id is acme's alone.
        MessageId theirs = sent(globex, SES_ID, "ada@example.com");
        CallbackRequest bounce = signed(bounce("Permanent", "General", FEEDBACK_ID, "ada@example.com"));
        assertThat(globexEvents.handle(bounce).bodyText()).isEqualTo("recorded 1 of 1 events");
        assertThat(globex.get(theirs).status()).isEqualTo(EmailStatus.BOUNCED);
        assertThat(globex.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isPresent();
        assertThat(status(ours)).isEqualTo(EmailStatus.SENT);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();

        assertThat(events.handle(bounce).bodyText()).isEqualTo("recorded 1 of 1 events");
        assertThat(status(ours)).isEqualTo(EmailStatus.BOUNCED);
    }

    @Test
    void the_builder_refuses_bad_settings_naming_them() {
        SesEvents.Builder builder = SesEvents.builder(fixture.irisx.tenant("acme"));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("topicArn");
        for (String arn : List.of("", "arn:aws:sqs:eu-west-1:123456789012:queue", "arn:aws:sns:eu-west-1:1234:t",
                "arn:aws:sns:eu-west-1:123456789012:a b", "ses-events")) {
            assertThatThrownBy(() -> builder.topicArn(arn)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("topicArn").hasMessageContaining("'" + arn + "'");
        }
        builder.topicArn("arn:aws-cn:sns:cn-north-1:123456789012:ses-events")
                .topicArn("arn:aws-us-gov:sns:us-gov-west-1:123456789012:ses-events");
        for (Duration tolerance : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(8))) {
            assertThatThrownBy(() -> builder.tolerance(tolerance)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tolerance").hasMessageContaining(tolerance.toString());
        }
        assertThatThrownBy(() -> builder.fetcher(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("fetcher");
        assertThatThrownBy(() -> SesEvents.Fetcher.http(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThat(builder.build().toString()).contains("acme", "cn-north-1", "confirmSubscriptions=false", "PT1H");
    }
}

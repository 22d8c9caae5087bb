package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.messaging.email.sendgrid.SendGridEvents;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The email providers' event webhooks beside Postmark's, against the running app: each tenant "via-…" sends through
 * one provider ({@link LocalApis} speaking its API), and its events come back to {@code /callbacks/{tenant}/<provider>}
 * signed as the provider signs them — applied when signed right, refused and changing nothing when not. Each test
 * names the documentation its payload and signature follow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmailEventWebhooksTest extends RunningApp {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Map<String, String> keys = new HashMap<>();

    @BeforeAll
    void tenantsSendingThroughEachProvider() {
        for (String provider : VIA_PROVIDER) {
            String tenant = "via-" + provider;
            Answer created = post("/admin/tenants", ADMIN_TOKEN, Map.of("id", tenant, "name", "Tenant " + tenant));
            assertThat(created.status()).as(created.response().body()).isEqualTo(201);
            keys.put(provider, key(tenant, "email:send", "email:read"));
        }
    }

    /**
     * SendGrid's Signed Event Webhook: an array of events as
     * twilio.com/docs/sendgrid/for-developers/tracking-events/event shows them ({@code sg_message_id} the send's
     * X-Message-Id and a suffix, twilio.com/docs/sendgrid/glossary/x-message-id), signed with ECDSA P-256 over the
     * timestamp header and the raw body, as
     * twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features says.
     */
    @Test
    void a_signed_sendgrid_delivery_marks_the_email_delivered() {
        Sent email = send("sendgrid", "sg-delivered@example.com");
        String body = sendGridEvents(email, "delivered", "\"response\":\"250 OK\",\"ip\":\"168.1.1.1\",\"tls\":1");

        Answer answer = sendGrid(SENDGRID_SIGNING_KEY, body);

        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        assertNow(email, "DELIVERED", "250 OK");
    }

    @Test
    void a_sendgrid_event_signed_with_another_key_is_refused_and_changes_nothing() throws GeneralSecurityException {
        Sent email = send("sendgrid", "sg-forged@example.com");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));

        Answer answer = sendGrid(generator.generateKeyPair().getPrivate(), sendGridEvents(email, "delivered",
                "\"response\":\"250 OK\""));

        assertThat(answer.status()).isEqualTo(403);
        assertUnchanged(email);
    }

    /**
     * Mailgun's webhooks: a JSON body of {@code signature} and {@code event-data} as
     * documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads shows it, the signature the hex
     * HMAC-SHA256 of timestamp and token under the webhook signing key
     * (documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks).
     */
    @Test
    void a_signed_mailgun_permanent_failure_marks_the_email_bounced() {
        Sent email = send("mailgun", "mg-bounced@example.com");

        Answer answer = mailgun(MAILGUN_SIGNING_KEY, email);

        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        assertNow(email, "BOUNCED", "5.1.1 The email account that you tried to reach does not exist");
    }

    @Test
    void a_mailgun_event_signed_with_another_key_is_refused_and_changes_nothing() {
        Sent email = send("mailgun", "mg-forged@example.com");

        Answer answer = mailgun("key-0000000000000000000000000forged", email);

        assertThat(answer.status()).isEqualTo(403);
        assertUnchanged(email);
    }

    /**
     * Resend's webhooks: an {@code email.delivered} event as resend.com/docs/webhooks/event-types shows it, signed
     * through Svix (resend.com/docs/webhooks/verify-webhooks-requests,
     * docs.svix.com/receiving/verifying-payloads/how-manual): {@code v1,} and the base64 HMAC-SHA256 of
     * {@code svix-id.svix-timestamp.body} under the base64-decoded {@code whsec_} secret.
     */
    @Test
    void a_signed_resend_delivery_marks_the_email_delivered() {
        Sent email = send("resend", "re-delivered@example.com");

        Answer answer = resend(RESEND_SECRET, email);

        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        assertNow(email, "DELIVERED", null);
    }

    @Test
    void a_resend_event_signed_with_another_secret_is_refused_and_changes_nothing() {
        Sent email = send("resend", "re-forged@example.com");

        Answer answer = resend("whsec_" + Base64.getEncoder().encodeToString("another secret of 32 bytes......"
                .getBytes(StandardCharsets.US_ASCII)), email);

        assertThat(answer.status()).isEqualTo(403);
        assertUnchanged(email);
    }

    /**
     * Amazon SES through SNS: a {@code Bounce} record as
     * docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-examples.html shows it, the {@code Message} of
     * an SNS notification as docs.aws.amazon.com/sns/latest/dg/http-notification-json.html shows it, signed as
     * docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html says ({@link LocalSns}).
     */
    @Test
    void a_signed_ses_permanent_bounce_marks_the_email_bounced() {
        Sent email = send("ses", "ses-bounced@example.com");

        Answer answer = ses(SNS.sign(snsNotification(email)));

        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        assertNow(email, "BOUNCED", "smtp; 550 5.1.1 <ses-bounced@example.com>: Recipient address rejected");
    }

    @Test
    void an_ses_notification_changed_after_signing_is_refused_and_changes_nothing() {
        Sent email = send("ses", "ses-forged@example.com");
        Map<String, String> forged = SNS.sign(snsNotification(email));
        forged.put("Message", forged.get("Message").replace("Permanent", "Transient"));

        Answer answer = ses(forged);

        assertThat(answer.status()).isEqualTo(403);
        assertUnchanged(email);
    }

    /**
     * Elastic Email's HTTP Web Notifications: a GET whose query parameters are those
     * help.elasticemail.com/en/articles/4804685-notification-settings lists, the URL's own {@code token} the secret
     * (Elastic Email signs nothing).
     */
    @Test
    void an_elastic_email_sent_notification_with_the_secret_marks_the_email_delivered() {
        Sent email = send("elasticemail", "ee-delivered@example.com");

        Answer answer = elasticEmail(ELASTIC_EMAIL_SECRET, email);

        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        assertNow(email, "DELIVERED", null);
    }

    @Test
    void an_elastic_email_notification_with_a_wrong_secret_is_refused_and_changes_nothing() {
        Sent email = send("elasticemail", "ee-forged@example.com");

        Answer answer = elasticEmail("wrong-secret-0123456789", email);

        assertThat(answer.status()).isEqualTo(403);
        assertUnchanged(email);
    }

    @Test
    void a_tenant_the_app_did_not_register_is_a_404_on_every_provider_route() {
        for (String provider : List.of("sendgrid", "mailgun", "resend", "ses")) {
            assertProblem(call("POST", "/callbacks/nobody-here/" + provider, null, "{}",
                    Map.of("Content-Type", "application/json")), 404, "not-found");
        }
        assertProblem(get("/callbacks/nobody-here/elasticemail?token=" + ELASTIC_EMAIL_SECRET, null), 404,
                "not-found");
    }

    // Sending, and what the app says of the email.

    /** An email the app sent: its id, the key that reads it, its provider, recipient, provider's id, history then. */
    private record Sent(String id, String key, String provider, String to, String providerMessageId,
            JsonNode history) {
    }

    /**
     * The email is now {@code status}, with a new history row of that change for its recipient (with {@code detail}).
     * The history is in the order the changes occurred, and a provider may date its event to the second, before the
     * app's SENT: the row is looked for, not taken as the last.
     */
    private void assertNow(Sent email, String status, String detail) {
        assertThat(get("/v1/emails/" + email.id(), email.key()).json().path("status").asText()).isEqualTo(status);
        JsonNode history = get("/v1/emails/" + email.id() + "/history", email.key()).json();
        assertThat(history.size()).isEqualTo(email.history().size() + 1);
        assertThat(history).filteredOn(change -> change.path("status").asText().equals(status)).singleElement()
                .satisfies(change -> {
                    assertThat(change.path("provider").asText()).isEqualTo(email.provider());
                    assertThat(change.path("recipient").asText()).isEqualTo(email.to());
                    if (detail != null) {
                        assertThat(change.path("detail").asText()).contains(detail);
                    }
                });
    }

    /** The email is still SENT, its history as it was. */
    private void assertUnchanged(Sent email) {
        assertThat(get("/v1/emails/" + email.id(), email.key()).json().path("status").asText()).isEqualTo("SENT");
        assertThat(get("/v1/emails/" + email.id() + "/history", email.key()).json()).isEqualTo(email.history());
    }

    private Sent send(String provider, String to) {
        String key = keys.get(provider);
        Answer sent = post("/v1/emails", key, Map.of("from", "billing@acme.example", "to", List.of(to),
                "subject", "Receipt for " + to, "text", "Thank you."));
        assertThat(sent.status()).as(sent.response().body()).isEqualTo(202);
        String id = sent.json().path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/emails/" + id, key).json().path("status").asText().equals("SENT"));
        JsonNode email = get("/v1/emails/" + id, key).json();
        assertThat(email.path("provider").asText()).isEqualTo(provider);
        return new Sent(id, key, provider, to, email.path("providerMessageId").asText(),
                get("/v1/emails/" + id + "/history", key).json());
    }

    /** The route of {@code provider}'s events for the tenant that sends through it. */
    private static String route(String provider) {
        return "/callbacks/via-" + provider + "/" + provider;
    }

    // SendGrid.

    private static String sendGridEvents(Sent email, String event, String extra) {
        return "[{\"email\":\"" + email.to() + "\",\"timestamp\":" + Instant.now().getEpochSecond()
                + ",\"smtp-id\":\"<14c5d75ce93.dfd.64b469@ismtpd-555>\",\"event\":\"" + event + "\","
                + "\"category\":[\"receipts\"],\"sg_event_id\":\"" + UUID.randomUUID() + "\",\"sg_message_id\":\""
                + email.providerMessageId() + ".filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0\"," + extra + "}]";
    }

    private Answer sendGrid(PrivateKey key, String body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(key);
            ecdsa.update((timestamp + body).getBytes(StandardCharsets.UTF_8));
            return call("POST", route("sendgrid"), null, body, Map.of("Content-Type", "application/json",
                    SendGridEvents.TIMESTAMP_HEADER, timestamp,
                    SendGridEvents.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(ecdsa.sign())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // Mailgun.

    private Answer mailgun(String signingKey, Sent email) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String token = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 50);
        String eventData = "{\"id\":\"" + UUID.randomUUID() + "\",\"timestamp\":" + timestamp + ".908181,"
                + "\"log-level\":\"error\",\"event\":\"failed\",\"severity\":\"permanent\",\"reason\":\"bounce\","
                + "\"delivery-status\":{\"code\":550,\"message\":\"5.1.1 The email account that you tried to reach does"
                + " not exist\",\"description\":\"\"},\"flags\":{\"is-routed\":false,\"is-authenticated\":true,"
                + "\"is-test-mode\":false},\"envelope\":{\"transport\":\"smtp\",\"sender\":\"billing@acme.example\","
                + "\"targets\":\"" + email.to() + "\"},\"message\":{\"headers\":{\"to\":\"" + email.to() + "\","
                + "\"message-id\":\"" + email.providerMessageId() + "\",\"from\":\"billing@acme.example\","
                + "\"subject\":\"Receipt\"},\"attachments\":[],\"size\":111},\"recipient\":\"" + email.to() + "\","
                + "\"recipient-domain\":\"example.com\",\"campaigns\":[],\"tags\":[],\"user-variables\":{}}";
        String body = "{\"signature\":{\"token\":\"" + token + "\",\"timestamp\":\"" + timestamp + "\",\"signature\":\""
                + hmacHex(signingKey, timestamp + token) + "\"},\"event-data\":" + eventData + "}";
        return call("POST", route("mailgun"), null, body, Map.of("Content-Type", "application/json"));
    }

    private static String hmacHex(String key, String content) {
        return HexFormat.of().formatHex(hmac(key.getBytes(StandardCharsets.UTF_8), content));
    }

    private static byte[] hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // Resend.

    private Answer resend(String secret, Sent email) {
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        String body = "{\"type\":\"email.delivered\",\"created_at\":\"" + now + "\",\"data\":{"
                + "\"created_at\":\"" + now + "\",\"email_id\":\"" + email.providerMessageId() + "\","
                + "\"from\":\"billing@acme.example\",\"to\":[\"" + email.to() + "\"],\"subject\":\"Receipt\"}}";
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        String signature = "v1," + Base64.getEncoder().encodeToString(hmac(key, id + "." + timestamp + "." + body));
        return call("POST", route("resend"), null, body, Map.of("Content-Type", "application/json",
                "svix-id", id, "svix-timestamp", timestamp, "svix-signature", signature));
    }

    // Amazon SES through SNS.

    private static Map<String, String> snsNotification(Sent email) {
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        String message = """
                {"eventType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General",\
                "bouncedRecipients":[{"emailAddress":"%1$s","action":"failed","status":"5.1.1",\
                "diagnosticCode":"smtp; 550 5.1.1 <%1$s>: Recipient address rejected"}],"timestamp":"%2$s",\
                "feedbackId":"0102018c1a2b9999-61b59c11-9236-11e6-8f96-7be8aexample-000000",\
                "reportingMTA":"dsn; mta.example.com"},"mail":{"timestamp":"%2$s","source":"billing@acme.example",\
                "sourceArn":"arn:aws:ses:eu-west-1:123456789012:identity/acme.example",\
                "sendingAccountId":"123456789012","messageId":"%3$s","destination":["%1$s"],\
                "headersTruncated":false,"commonHeaders":{"from":["billing@acme.example"],"subject":"Receipt"}}}"""
                .formatted(email.to(), now, email.providerMessageId());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Type", "Notification");
        fields.put("MessageId", UUID.randomUUID().toString());
        fields.put("TopicArn", LocalSns.TOPIC_ARN);
        fields.put("Message", message);
        fields.put("Timestamp", now);
        fields.put("UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
                + LocalSns.TOPIC_ARN + ":c9135db0-26c4-47ec-8998-413945fb5a96");
        return fields;
    }

    private Answer ses(Map<String, String> fields) {
        try {
            return call("POST", route("ses"), null, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fields),
                    Map.of("Content-Type", "text/plain; charset=UTF-8", "x-amz-sns-message-type", fields.get("Type"),
                            "x-amz-sns-message-id", fields.get("MessageId"),
                            "x-amz-sns-topic-arn", fields.get("TopicArn")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // Elastic Email.

    private Answer elasticEmail(String secret, Sent email) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("token", secret);
        query.put("date", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC)
                .format(Instant.now()));
        query.put("from", "billing@acme.example");
        query.put("to", email.to());
        query.put("subject", "Receipt");
        query.put("status", "Sent");
        query.put("channel", "API");
        query.put("account", "ops@acme.example");
        query.put("messageid", "GruPGipsdsy31TIhv3CArg2");
        query.put("transaction", email.providerMessageId());
        return get("/callbacks/via-elasticemail/elasticemail?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")), null);
    }
}

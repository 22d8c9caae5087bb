package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.PageRequest;
import io.irisx.testing.TwilioSignatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin console's credential (the admin token acting for a tenant named by {@code Irisx-Tenant} on {@code /v1})
 * and its analytics route, against the running app with Postmark, Twilio and a customer's receiver on loopback
 * ({@link LocalApis}): each series is the figure IRISX's own APIs give for the day. The providers' reports reach the
 * app as they send them: Postmark's Delivery, Bounce and Spam Complaint webhooks with the webhook URL's basic
 * authentication (postmarkapp.com/developer/webhooks/delivery-webhook, …/bounce-webhook, …/spam-complaint-webhook),
 * Twilio's message and call status callbacks signed with the account's auth token
 * (twilio.com/docs/messaging/guides/track-outbound-message-status,
 * twilio.com/docs/voice/api/call-resource#statuscallback, twilio.com/docs/usage/webhooks/webhooks-security).
 */
class AnalyticsRouteTest extends RunningApp {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The most a listing answers at once (IRISX's {@code PageRequest.MAX_LIMIT}). */
    private static final int PAGE = PageRequest.MAX_LIMIT;
    /** Postmark's timestamps, as its webhooks write them: UTC with seven fractional digits. */
    private static final DateTimeFormatter POSTMARK_TIME = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void the_admin_token_acts_for_the_tenant_it_names_and_for_no_unregistered_one() {
        String tenant = newTenant("ops");
        Map<String, String> asTenant = Map.of("Irisx-Tenant", tenant);

        Answer emails = call("GET", "/v1/emails", ADMIN_TOKEN, null, asTenant);
        assertThat(emails.status()).as(emails.response().body()).isEqualTo(200);
        assertThat(call("GET", "/v1/billing/balance", ADMIN_TOKEN, null, asTenant).status()).isEqualTo(200);
        assertProblem(call("GET", "/v1/emails", ADMIN_TOKEN, null, Map.of("Irisx-Tenant", "nobody-here")), 404,
                "not-found");
        assertProblem(call("GET", "/v1/emails", "not-the-admin-token", null, asTenant), 401, "unauthenticated");
        assertProblem(get("/v1/emails", ADMIN_TOKEN), 401, "unauthenticated");
    }

    @Test
    void the_series_are_the_days_usage_sender_stats_sms_webhook_stats_and_cost() {
        String tenant = newTenant("charted");
        String key = key(tenant, allScopes());
        String endpoint = post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/ok",
                "eventTypes", List.of("email.sent"))).json().path("endpoint").path("id").asText();
        List<String> ids = List.of(
                post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("one@example.com"),
                        "subject", "One", "text", "x")).json().path("id").asText(),
                post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("two@example.com"),
                        "subject", "Two", "text", "x")).json().path("id").asText());
        String sms = post("/v1/sms", key, Map.of("to", "07400 123456", "from", "+447400654321", "body", "Hi"))
                .json().path("id").asText();
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> get("/v1/emails/" + id, key).json()
                .path("status").asText().equals("SENT")) && get("/v1/sms/" + sms, key).json().path("status").asText()
                .equals("SENT"));
        await().atMost(WAIT).until(() -> get("/v1/webhooks/endpoints/" + endpoint + "/messages?status=succeeded",
                key).json().path("items").size() == 2);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        Answer answer = get("/admin/tenants/" + tenant + "/analytics?from=" + today.minusDays(6) + "&to=" + today,
                ADMIN_TOKEN);

        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        JsonNode a = answer.json();
        assertThat(a.path("days")).hasSize(7);
        assertThat(a.path("days").get(6).asText()).isEqualTo(today.toString());
        assertThat(a.path("sends").path("email").get(6).asLong()).isEqualTo(2);
        assertThat(a.path("sends").path("email").get(0).asLong()).isZero();
        assertThat(a.path("sends").path("sms").get(6).asLong()).isEqualTo(1);
        // Sent, not yet delivered: the delivery rate is measured (0), the SMS delivery rate has nothing to measure.
        assertThat(a.path("emailDeliveryRate").get(6).asDouble()).isZero();
        assertThat(a.path("emailBounceRate").get(6).asDouble()).isZero();
        assertThat(a.path("emailDeliveryRate").get(0).isNull()).isTrue();
        assertThat(a.path("smsDeliveryRate").get(6).isNull()).isTrue();
        assertThat(a.path("smsScanned").asLong()).isZero();
        assertThat(a.path("thresholds").path("complaintWarning").asDouble()).isEqualTo(0.001);
        assertThat(a.path("thresholds").path("complaintLimit").asDouble()).isEqualTo(0.003);
        assertThat(a.path("webhookSuccessRate").get(6).asDouble()).isEqualTo(1.0);
        assertThat(a.path("webhookAttempts").get(6).asLong()).isEqualTo(2);
        assertThat(a.path("webhookP95Millis").get(6).asLong()).isGreaterThanOrEqualTo(
                a.path("webhookP50Millis").get(6).asLong());
        assertThat(a.path("webhookSuccessRate").get(0).isNull()).isTrue();
        JsonNode cost = get("/v1/usage/cost?from=" + today + "&to=" + today, key).json();
        assertThat(a.path("currency").asText()).isEqualTo(cost.path("currency").asText());
        assertThat(a.path("revenue").get(6).decimalValue()).isEqualByComparingTo(cost.path("total").decimalValue())
                .isPositive();

        assertProblem(get("/admin/tenants/" + tenant + "/analytics?from=" + today + "&to=" + today.minusDays(1),
                ADMIN_TOKEN), 400, "validation");
        assertProblem(get("/admin/tenants/" + tenant + "/analytics?from=" + today.minusDays(100) + "&to=" + today,
                ADMIN_TOKEN), 400, "validation");
        assertProblem(get("/admin/tenants/" + tenant + "/analytics?from=" + today + "&to=" + today, key), 401,
                "unauthenticated");
    }

    @Test
    void the_days_rates_and_call_minutes_are_those_the_providers_reported_and_a_past_range_has_none() {
        String tenant = newTenant("reported");
        String key = key(tenant, allScopes());
        List<String> recipients = List.of("ann@example.com", "bob@example.com", "cy@example.com", "gone@example.com");
        List<String> emails = recipients.stream().map(to -> post("/v1/emails", key, Map.of("from",
                "news@acme.example", "to", List.of(to), "subject", "Report for " + to, "text", "x")).json()
                .path("id").asText()).toList();
        List<String> sms = List.of("+447400200001", "+447400200002", "+447400200003").stream()
                .map(to -> post("/v1/sms", key, Map.of("to", to, "from", "+447400654321", "body", "Hi")).json()
                        .path("id").asText()).toList();
        List<String> calls = List.of("+447400200011", "+447400200012").stream().map(to -> post("/v1/calls", key,
                Map.of("to", to, "from", "+442079460123", "url", "https://hooks.acme.example/twiml")).json()
                .path("id").asText()).toList();
        await().atMost(WAIT).until(() -> emails.stream().allMatch(id -> status("/v1/emails/" + id, key).equals("SENT"))
                && sms.stream().allMatch(id -> status("/v1/sms/" + id, key).equals("SENT"))
                && calls.stream().noneMatch(id -> get("/v1/calls/" + id, key).json().path("providerCallId").asText()
                        .isEmpty()));

        // Email: three of four delivered, one hard bounce, and one of the delivered reported as spam.
        for (int i = 0; i < 3; i++) {
            postmark(tenant, """
                    {"RecordType": "Delivery", "MessageStream": "outbound", "ServerID": 23, "MessageID": "%s",
                     "Recipient": "%s", "DeliveredAt": "%s", "Details": "smtp;250 2.0.0 OK", "Tag": "",
                     "Metadata": {}}""".formatted(providerId("/v1/emails/", emails.get(i), key), recipients.get(i),
                    POSTMARK_TIME.format(Instant.now())));
        }
        postmark(tenant, """
                {"RecordType": "Bounce", "MessageStream": "outbound", "ID": 4323372036854775807,
                 "Type": "HardBounce", "TypeCode": 1, "Name": "Hard bounce", "Tag": "", "MessageID": "%s",
                 "Metadata": {}, "ServerID": 23,
                 "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
                 "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
                 "Email": "gone@example.com", "From": "news@acme.example", "BouncedAt": "%s", "DumpAvailable": false,
                 "Inactive": true, "CanActivate": true, "Subject": "Report for gone@example.com"}"""
                .formatted(providerId("/v1/emails/", emails.get(3), key), POSTMARK_TIME.format(Instant.now())));
        postmark(tenant, """
                {"RecordType": "SpamComplaint", "MessageStream": "outbound", "ID": 42,
                 "Type": "SpamComplaint", "TypeCode": 512, "Name": "Spam complaint", "Tag": "", "MessageID": "%s",
                 "Metadata": {}, "ServerID": 23, "Description": "", "Details": "Test spam complaint details",
                 "Email": "ann@example.com", "From": "news@acme.example", "BouncedAt": "%s", "DumpAvailable": true,
                 "Inactive": true, "CanActivate": false, "Subject": "Report for ann@example.com"}"""
                .formatted(providerId("/v1/emails/", emails.get(0), key), POSTMARK_TIME.format(Instant.now())));
        // SMS: one delivered, one undelivered (30003: unreachable handset), one still only sent.
        twilio(tenant, "sms/status", smsStatus(providerId("/v1/sms/", sms.get(0), key), "delivered", null));
        twilio(tenant, "sms/status", smsStatus(providerId("/v1/sms/", sms.get(1), key), "undelivered", "30003"));
        // Calls: 90 and 45 seconds, 2.25 minutes.
        twilio(tenant, "voice/status", callCompleted(providerId("/v1/calls/", calls.get(0), key), 90));
        twilio(tenant, "voice/status", callCompleted(providerId("/v1/calls/", calls.get(1), key), 45));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        Answer answer = get("/admin/tenants/" + tenant + "/analytics?from=" + today + "&to=" + today, ADMIN_TOKEN);
        Answer past = get("/admin/tenants/" + tenant + "/analytics?from=" + today.minusDays(40) + "&to="
                + today.minusDays(31), ADMIN_TOKEN);

        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        JsonNode a = answer.json();
        assertThat(a.path("sends").path("email").get(0).asLong()).isEqualTo(4);
        assertThat(a.path("emailDeliveryRate").get(0).asDouble()).isEqualTo(0.75);
        assertThat(a.path("emailBounceRate").get(0).asDouble()).isEqualTo(0.25);
        assertThat(a.path("emailComplaintRate").get(0).asDouble()).isEqualTo(1.0 / 3);
        assertThat(a.path("sends").path("sms").get(0).asLong()).isEqualTo(3);
        assertThat(a.path("smsDeliveryRate").get(0).asDouble()).isEqualTo(0.5);
        assertThat(a.path("smsScanned").asLong()).isEqualTo(2);
        assertThat(a.path("sends").path("calls").get(0).asLong()).isEqualTo(2);
        assertThat(a.path("callMinutes").get(0).asDouble()).isEqualTo(2.25);

        assertThat(past.status()).as(past.response().body()).isEqualTo(200);
        JsonNode p = past.json();
        assertThat(p.path("days")).hasSize(10);
        for (String channel : List.of("email", "sms", "calls")) {
            assertThat(p.path("sends").path(channel)).allSatisfy(n -> assertThat(n.asLong()).isZero());
        }
        for (String rate : List.of("emailDeliveryRate", "emailBounceRate", "emailComplaintRate", "smsDeliveryRate",
                "webhookSuccessRate")) {
            assertThat(p.path(rate)).as(rate).hasSize(10).allSatisfy(n -> assertThat(n.isNull()).isTrue());
        }
        assertThat(p.path("callMinutes")).allSatisfy(n -> assertThat(n.asDouble()).isZero());
        assertThat(p.path("smsScanned").asLong()).isZero();
        assertThat(p.path("revenue")).allSatisfy(n -> assertThat(n.decimalValue()).isZero());
    }

    @Test
    void the_sms_delivery_rate_reads_every_page_of_the_range() {
        String tenant = newTenant("busy");
        String key = key(tenant, "sms:send", "sms:read");
        int count = PAGE + 1;
        for (int n = 0; n < count; n++) {
            Answer sent = post("/v1/sms", key, Map.of("to", String.format("+4474003%05d", n), "from", "+447400654321",
                    "body", "Busy " + tenant));
            assertThat(sent.status()).as(sent.response().body()).isEqualTo(202);
        }
        await().atMost(WAIT).until(() -> providerIds("/v1/sms?status=sent&limit=" + PAGE, key).size() == count);
        List<String> sids = providerIds("/v1/sms?status=sent&limit=" + PAGE, key);

        // All delivered but one, the oldest, undelivered (30006: landline or unreachable carrier).
        for (int n = 0; n < count; n++) {
            twilio(tenant, "sms/status", n == count - 1 ? smsStatus(sids.get(n), "undelivered", "30006")
                    : smsStatus(sids.get(n), "delivered", null));
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        JsonNode a = get("/admin/tenants/" + tenant + "/analytics?from=" + today + "&to=" + today, ADMIN_TOKEN).json();

        assertThat(a.path("smsScanned").asLong()).isEqualTo(count);
        assertThat(a.path("smsDeliveryRate").get(0).asDouble()).isEqualTo((double) PAGE / count);
    }

    /** The provider ids of every message a listing {@code path} answers, newest first, following its pages. */
    private List<String> providerIds(String path, String key) {
        List<String> ids = new ArrayList<>();
        String next = path;
        while (next != null) {
            JsonNode page = get(next, key).json();
            page.path("items").forEach(item -> ids.add(item.path("providerMessageId").asText()));
            next = page.has("nextCursor") ? path + "&cursor=" + page.path("nextCursor").asText() : null;
        }
        return ids;
    }

    private String status(String path, String key) {
        return get(path, key).json().path("status").asText();
    }

    /** The provider's id of the message or call at {@code prefix + id}. */
    private String providerId(String prefix, String id, String key) {
        JsonNode found = get(prefix + id, key).json();
        return found.has("providerCallId") ? found.path("providerCallId").asText()
                : found.path("providerMessageId").asText();
    }

    /** Posts one Postmark webhook record to the tenant's Postmark callback, as Postmark does; it must be taken. */
    private void postmark(String tenant, String record) {
        String basic = "Basic " + Base64.getEncoder().encodeToString("postmark:hook-pass-93kd"
                .getBytes(StandardCharsets.UTF_8));
        Answer answer = call("POST", "/callbacks/" + tenant + "/postmark", null, record,
                Map.of("Authorization", basic, "Content-Type", "application/json"));
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
    }

    /** Twilio's status callback of a message: {@code status}, with Twilio's error code when it failed. */
    private static Map<String, String> smsStatus(String sid, String status, String errorCode) {
        Map<String, String> params = new LinkedHashMap<>(Map.of("AccountSid", LocalApis.TWILIO_SID, "ApiVersion",
                "2010-04-01", "MessageSid", sid, "SmsSid", sid, "MessageStatus", status, "SmsStatus", status,
                "From", "+447400654321"));
        if (errorCode != null) {
            params.put("ErrorCode", errorCode);
        }
        return params;
    }

    /** Twilio's status callback of a call that completed after {@code seconds}. */
    private static Map<String, String> callCompleted(String sid, int seconds) {
        return Map.of("AccountSid", LocalApis.TWILIO_SID, "ApiVersion", "2010-04-01", "CallSid", sid,
                "CallStatus", "completed", "CallDuration", String.valueOf(seconds), "Direction", "outbound-api",
                "From", "+442079460123");
    }

    /** Posts {@code params} to the tenant's Twilio callback {@code path}, signed over the app's public URL. */
    private void twilio(String tenant, String path, Map<String, String> params) {
        String url = PUBLIC_URL + "/callbacks/" + tenant + "/twilio/" + path;
        TwilioSignatures.SignedForm form = TwilioSignatures.signed(LocalApis.TWILIO_TOKEN, url, params);
        Answer answer = call("POST", url.substring(PUBLIC_URL.length()), null, form.body(),
                Map.of("X-Twilio-Signature", form.headers().get("X-Twilio-Signature").get(0)));
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(204);
    }
}

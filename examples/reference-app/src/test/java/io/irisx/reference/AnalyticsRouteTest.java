package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin console's credential (the admin token acting for a tenant named by {@code Irisx-Tenant} on {@code /v1})
 * and its analytics route, against the running app with Postmark, Twilio and a customer's receiver on loopback
 * ({@link LocalApis}): each series is the figure IRISX's own APIs give for the day.
 */
class AnalyticsRouteTest extends RunningApp {

    private static final Duration WAIT = Duration.ofSeconds(30);

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
        assertThat(a.path("smsScanned").asLong()).isEqualTo(1);
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
}

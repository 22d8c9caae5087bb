package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The account routes against the running app: metered usage and its cost, prepaid credit (402 when it does not
 * cover a send, top-ups by the admin and by card through a local Stripe, Stripe's webhook, and the ledger), and the tenant's send limit (429 with {@code Retry-After}).
 */
class AccountRoutesTest extends RunningApp {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, Object> EMAIL = Map.of("from", "a@acme.example", "to", List.of("u@example.com"),
            "subject", "Metered", "text", "x");

    @Test
    void a_sent_email_is_metered_and_priced() {
        String key = key(newTenant("acme"), "email:send", "email:read", "usage:read");
        String id = post("/v1/emails", key, EMAIL).json().path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/emails/" + id, key).json().path("status").asText().equals("SENT"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String month = YearMonth.now(ZoneOffset.UTC).toString();

        JsonNode daily = get("/v1/usage/daily?from=" + today + "&to=" + today, key).json();
        JsonNode monthly = get("/v1/usage/monthly?from=" + month + "&to=" + month, key).json();
        JsonNode records = get("/v1/usage/records?from=" + today + "&to=" + today + "&limit=10", key).json();
        JsonNode cost = get("/v1/usage/cost?from=" + today + "&to=" + today, key).json();

        assertThat(daily).hasSize(1);
        assertThat(daily.get(0).path("unit").asText()).isEqualTo("EMAIL");
        assertThat(daily.get(0).path("quantity").asLong()).isEqualTo(1);
        assertThat(monthly.get(0).path("quantity").asLong()).isEqualTo(1);
        assertThat(records.path("items").get(0).path("idempotencyKey").asText()).isEqualTo(id + ":EMAIL");
        assertThat(cost.path("currency").asText()).isEqualTo("USD");
        assertThat(cost.path("lines").get(0).path("quantity").asLong()).isEqualTo(1);
        assertThat(cost.path("total").decimalValue()).isEqualByComparingTo(cost.path("lines").get(0).path("amount")
                .decimalValue());
        Answer badDay = get("/v1/usage/daily?from=yesterday&to=" + today, key);
        assertProblem(badDay, 400, "validation");
        assertThat(badDay.json().path("detail").asText()).contains("from", "yesterday");
        assertProblem(get("/v1/usage/daily?to=" + today, key), 400, null);
    }

    @Test
    void a_prepaid_tenant_without_credit_gets_402_until_it_is_topped_up() {
        String tenant = newTenant("acme");
        String key = key(tenant, "email:send", "billing:manage");
        Answer prepaid = call("PUT", "/admin/tenants/" + tenant + "/billing", ADMIN_TOKEN, Map.of("mode", "prepaid",
                "currency", "USD"), Map.of());
        assertThat(prepaid.json().path("mode").asText()).isEqualTo("PREPAID");

        Answer refused = post("/v1/emails", key, EMAIL);

        assertProblem(refused, 402, "insufficient-credit");
        assertThat(refused.json().path("available").decimalValue()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(refused.json().path("currency").asText()).isEqualTo("USD");

        Answer topUp = post("/admin/tenants/" + tenant + "/credit/top-ups", ADMIN_TOKEN, Map.of("amount", 5,
                "reference", "invoice-2030-001"));
        assertThat(topUp.status()).as(topUp.response().body()).isEqualTo(201);
        assertThat(post("/admin/tenants/" + tenant + "/credit/top-ups", ADMIN_TOKEN, Map.of("amount", 5,
                "reference", "invoice-2030-001")).json().path("id").asText()).isEqualTo(topUp.json().path("id").asText());
        assertThat(post("/v1/emails", key, EMAIL).status()).isEqualTo(202);
        // The send reserved its price; the worker charges it when the email is SENT.
        await().atMost(WAIT).until(() -> get("/v1/billing/ledger", key).json().path("items").findValuesAsText("kind")
                .containsAll(List.of("TOP_UP", "RESERVATION", "DEBIT")));
        BigDecimal charged = get("/v1/billing/balance", key).json().path("balance").decimalValue();
        assertThat(charged).isLessThan(new BigDecimal("5")).isGreaterThan(new BigDecimal("4.99"));
        assertProblem(post("/admin/tenants/" + tenant + "/credit/top-ups", ADMIN_TOKEN, Map.of("amount", 7,
                "reference", "invoice-2030-001")), 409, "conflict");
        assertThat(post("/admin/tenants/" + tenant + "/credit/adjustments", ADMIN_TOKEN, Map.of("amount", -1,
                "reference", "goodwill-reversal", "reason", "double credit")).status()).isEqualTo(201);
        assertThat(get("/admin/tenants/" + tenant + "/billing", ADMIN_TOKEN).json().path("balance").path("balance")
                .decimalValue()).isEqualByComparingTo(charged.subtract(BigDecimal.ONE));
        assertProblem(call("PUT", "/admin/tenants/" + tenant + "/billing", ADMIN_TOKEN, Map.of("mode", "barter"),
                Map.of()), 400, "validation");
    }

    @Test
    void a_card_top_up_is_asked_of_stripe_and_credited_once_when_stripe_reports_it_paid() throws Exception {
        String tenant = newTenant("acme");
        String key = key(tenant, "billing:manage");

        Answer started = call("POST", "/v1/billing/top-ups", key, Map.of("amount", 20),
                Map.of("Idempotency-Key", "checkout-501"));

        assertThat(started.status()).as(started.response().body()).isEqualTo(201);
        String paymentId = started.json().path("paymentId").asText();
        assertThat(started.json().path("clientSecret").asText()).startsWith(paymentId + "_secret_");
        LocalApis.Received asked = APIS.received("/v1/payment_intents").stream()
                .filter(r -> tenant.equals(r.form().get("metadata[irisx_tenant]"))).findFirst().orElseThrow();
        assertThat(asked.form()).containsEntry("amount", "2000").containsEntry("currency", "usd");
        assertThat(asked.header("Authorization")).isEqualTo("Bearer " + STRIPE_KEY);
        assertProblem(post("/v1/billing/top-ups", key, Map.of("amount", 20)), 400, "validation");

        String event = "{\"id\": \"evt_" + tenant + "\", \"object\": \"event\", \"api_version\": \"2026-07-29.dahlia\","
                + " \"created\": " + Instant.now().getEpochSecond() + ", \"data\": {\"object\": {\"id\": \""
                + paymentId + "\", \"object\": \"payment_intent\", \"amount\": 2000, \"amount_received\": 2000,"
                + " \"currency\": \"usd\", \"latest_charge\": \"ch_1\", \"livemode\": false, \"metadata\":"
                + " {\"irisx_tenant\": \"" + tenant + "\"}, \"status\": \"succeeded\"}}, \"livemode\": false,"
                + " \"pending_webhooks\": 1, \"request\": {\"id\": null, \"idempotency_key\": null},"
                + " \"type\": \"payment_intent.succeeded\"}";
        Answer forged = call("POST", "/callbacks/stripe", null, event, Map.of("Content-Type", "application/json",
                "Stripe-Signature", stripeSignature(event, "whsec_not_the_secret")));
        Answer paid = call("POST", "/callbacks/stripe", null, event, Map.of("Content-Type", "application/json",
                "Stripe-Signature", stripeSignature(event, STRIPE_WEBHOOK_SECRET)));
        Answer again = call("POST", "/callbacks/stripe", null, event, Map.of("Content-Type", "application/json",
                "Stripe-Signature", stripeSignature(event, STRIPE_WEBHOOK_SECRET)));

        assertThat(forged.status()).isEqualTo(400);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(get("/v1/billing/balance", key).json().path("balance").decimalValue()).isEqualByComparingTo("20");
        assertThat(get("/v1/billing/ledger", key).json().path("items")).hasSize(1);
    }

    /** Stripe's {@code Stripe-Signature} (docs.stripe.com/webhooks#verify-manually), computed here. */
    private static String stripeSignature(String payload, String secret) throws Exception {
        long timestamp = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + payload)
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_tenant_over_its_send_limit_gets_429_with_retry_after() {
        // irisx.rate-limits.tenants.limited.send.email is 1 an hour (RunningApp).
        post("/admin/tenants", ADMIN_TOKEN, Map.of("id", "limited", "name", "Limited"));
        String key = key("limited", "email:send");

        Answer first = post("/v1/emails", key, EMAIL);
        Answer second = post("/v1/emails", key, EMAIL);

        assertThat(first.status()).isEqualTo(202);
        assertProblem(second, 429, "rate-limited");
        long retryAfter = Long.parseLong(second.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 3600L);
        assertThat(second.json().path("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
    }
}

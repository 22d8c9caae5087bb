package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.webhooks.signing.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The webhook routes against the running app and a customer's receiver on loopback ({@link LocalApis}): endpoints
 * (create with the secret shown once, get, list, update, disable, enable, rotate the secret, delete), event types,
 * test events, messages, attempts, retries, recovery and stats. Each delivery is checked with irisx-webhooks'
 * Standard Webhooks verifier, as the customer would check it.
 */
class WebhookRoutesTest extends RunningApp {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void an_endpoint_receives_the_tenants_events_signed_with_the_secret_shown_once() throws Exception {
        String key = key(newTenant("acme"), "webhooks:manage", "email:send");

        assertThat(get("/v1/webhooks/event-types", key).json()).extracting(t -> t.path("name").asText())
                .contains("email.sent", "sms.delivered", "call.completed");
        Answer created = post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/ok",
                "description", "orders service", "eventTypes", List.of("email.sent")));
        assertThat(created.status()).as(created.response().body()).isEqualTo(201);
        String endpoint = created.json().path("endpoint").path("id").asText();
        assertThat(created.json().path("endpoint").path("testMode").asBoolean(true)).isFalse();
        String secret = created.json().path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(get("/v1/webhooks/endpoints/" + endpoint, key).response().body()).doesNotContain(secret);

        String email = post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("w@example.com"),
                "subject", "Hooked", "text", "x")).json().path("id").asText();

        // The customer's receiver is shared by the tests: this tenant's delivery names its email.
        await().atMost(WAIT).until(() -> APIS.received("/hooks/ok").stream()
                .anyMatch(r -> r.body().contains("email.sent") && r.body().contains(email)));
        LocalApis.Received delivery = APIS.received("/hooks/ok").stream()
                .filter(r -> r.body().contains("email.sent") && r.body().contains(email)).findFirst().orElseThrow();
        WebhookVerifier.builder().secret(secret).build().verify(delivery.headers(),
                delivery.body().getBytes(StandardCharsets.UTF_8));

        JsonNode messages = get("/v1/webhooks/endpoints/" + endpoint + "/messages", key).json().path("items");
        assertThat(messages).hasSize(1);
        String message = messages.get(0).path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/webhooks/messages/" + message, key).json().path("status").asText()
                .equals("SUCCEEDED"));
        JsonNode attempts = get("/v1/webhooks/messages/" + message + "/attempts", key).json().path("items");
        assertThat(attempts.get(0).path("statusCode").asInt()).isEqualTo(204);
        assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(get("/v1/webhooks/endpoints/" + endpoint + "/messages?status=succeeded", key).json().path("items"))
                .hasSize(1);
        String from = Instant.now().minusSeconds(3600).toString();
        String to = Instant.now().plusSeconds(60).toString();
        JsonNode stats = get("/v1/webhooks/endpoints/" + endpoint + "/stats?from=" + from + "&to=" + to, key).json();
        assertThat(stats.path("attempts").asLong()).isEqualTo(1);
        assertThat(get("/v1/webhooks/stats?from=" + from + "&to=" + to, key).json().path("attempts").asLong())
                .isEqualTo(1);
        assertProblem(get("/v1/webhooks/stats?from=yesterday&to=" + to, key), 400, "validation");
    }

    @Test
    void a_test_endpoint_is_created_as_such_and_hears_no_live_event() throws Exception {
        String key = key(newTenant("acme"), "webhooks:manage", "email:send");
        Answer created = post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/ok",
                "eventTypes", List.of("email.sent"), "testMode", true));
        assertThat(created.status()).as(created.response().body()).isEqualTo(201);
        String endpoint = created.json().path("endpoint").path("id").asText();
        assertThat(get("/v1/webhooks/endpoints/" + endpoint, key).json().path("testMode").asBoolean()).isTrue();
        Answer live = post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/ok",
                "eventTypes", List.of("email.sent")));
        String liveEndpoint = live.json().path("endpoint").path("id").asText();

        post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("w@example.com"), "subject", "Live",
                "text", "x"));

        // The live email's event reaches the live endpoint; the test endpoint has no message.
        await().atMost(WAIT).until(() -> get("/v1/webhooks/endpoints/" + liveEndpoint + "/messages", key).json()
                .path("items").size() == 1);
        assertThat(get("/v1/webhooks/endpoints/" + endpoint + "/messages", key).json().path("items")).isEmpty();
    }

    @Test
    void an_endpoint_is_updated_disabled_enabled_rotated_tested_and_deleted() {
        String key = key(newTenant("acme"), "webhooks:manage");
        String endpoint = post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/ok")).json()
                .path("endpoint").path("id").asText();

        JsonNode updated = call("PATCH", "/v1/webhooks/endpoints/" + endpoint, key, Map.of("description", "billing",
                "eventTypes", List.of("sms.delivered"), "rateLimitPerSecond", 5), Map.of()).json();
        assertThat(updated.path("description").asText()).isEqualTo("billing");
        assertThat(updated.path("eventTypes")).extracting(JsonNode::asText).containsExactly("sms.delivered");
        assertThat(updated.path("rateLimitPerSecond").asInt()).isEqualTo(5);
        assertThat(post("/v1/webhooks/endpoints/" + endpoint + "/disable", key, Map.of("reason", "maintenance")).json()
                .path("disabled").asBoolean()).isTrue();
        assertThat(get("/v1/webhooks/endpoints?disabled=true", key).json().path("items")).hasSize(1);
        assertThat(get("/v1/webhooks/endpoints?disabled=false", key).json().path("items")).isEmpty();
        assertThat(post("/v1/webhooks/endpoints/" + endpoint + "/enable", key, null).json().path("disabled").asBoolean())
                .isFalse();
        assertThat(get("/v1/webhooks/endpoints?eventType=sms.delivered", key).json().path("items")).hasSize(1);

        JsonNode rotated = post("/v1/webhooks/endpoints/" + endpoint + "/rotate-secret", key,
                Map.of("graceSeconds", 600)).json();
        assertThat(rotated.path("secret").asText()).startsWith("whsec_");
        assertThat(rotated.path("previousSecretValidSeconds").asLong()).isEqualTo(600);

        Answer test = post("/v1/webhooks/endpoints/" + endpoint + "/test", key, null);
        assertThat(test.status()).isEqualTo(202);
        String message = test.json().path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/webhooks/messages/" + message, key).json().path("status").asText()
                .equals("SUCCEEDED"));
        WebhookVerifier.builder().secret(rotated.path("secret").asText()).build().verify(
                APIS.received("/hooks/ok").stream().filter(r -> r.headers().get("webhook-id").get(0).equals(message))
                        .findFirst().map(LocalApis.Received::headers).orElseThrow(),
                APIS.received("/hooks/ok").stream().filter(r -> r.headers().get("webhook-id").get(0).equals(message))
                        .findFirst().orElseThrow().body().getBytes(StandardCharsets.UTF_8));

        assertProblem(post("/v1/webhooks/endpoints", key, Map.of("url", "ftp://files.example.com")), 400, null);
        assertThat(call("DELETE", "/v1/webhooks/endpoints/" + endpoint, key, null, Map.of()).status()).isEqualTo(204);
        assertProblem(get("/v1/webhooks/endpoints/" + endpoint, key), 404, "not-found");
    }

    @Test
    void a_test_event_repeated_with_its_idempotency_key_is_queued_once() {
        String key = key(newTenant("acme"), "webhooks:manage");
        String endpoint = post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/ok")).json()
                .path("endpoint").path("id").asText();
        String test = "/v1/webhooks/endpoints/" + endpoint + "/test";

        Answer first = call("POST", test, key, null, Map.of("Idempotency-Key", "deploy-2031-04-01"));
        Answer repeated = call("POST", test, key, null, Map.of("Idempotency-Key", "deploy-2031-04-01"));
        Answer another = call("POST", test, key, null, Map.of("Idempotency-Key", "deploy-2031-04-02"));

        assertThat(first.status()).as(first.response().body()).isEqualTo(202);
        assertThat(repeated.status()).isEqualTo(202);
        String message = first.json().path("id").asText();
        assertThat(repeated.json().path("id").asText()).isEqualTo(message);
        assertThat(another.json().path("id").asText()).isNotEqualTo(message);
        assertThat(get("/v1/webhooks/endpoints/" + endpoint + "/messages", key).json().path("items"))
                .extracting(m -> m.path("id").asText())
                .containsExactlyInAnyOrder(message, another.json().path("id").asText());
        assertProblem(call("POST", test, key, null, Map.of("Idempotency-Key", "x".repeat(256))), 400, "validation");
    }

    @Test
    void a_failing_endpoints_message_is_retried_and_recovered_on_demand() {
        String key = key(newTenant("acme"), "webhooks:manage");
        String endpoint = post("/v1/webhooks/endpoints", key, Map.of("url", APIS.url() + "/hooks/down")).json()
                .path("endpoint").path("id").asText();
        String message = post("/v1/webhooks/endpoints/" + endpoint + "/test", key, null).json().path("id").asText();
        await().atMost(WAIT).until(() -> get("/v1/webhooks/messages/" + message + "/attempts", key).json()
                .path("items").size() == 1);
        JsonNode attempt = get("/v1/webhooks/messages/" + message + "/attempts", key).json().path("items").get(0);
        assertThat(attempt.path("statusCode").asInt()).isEqualTo(503);
        assertThat(attempt.path("responseBody").asText()).contains("down for maintenance");

        Answer retried = post("/v1/webhooks/messages/" + message + "/retry", key, null);
        assertThat(retried.status()).isEqualTo(202);
        await().atMost(WAIT).until(() -> get("/v1/webhooks/messages/" + message + "/attempts", key).json()
                .path("items").size() == 2);
        Answer recovered = post("/v1/webhooks/endpoints/" + endpoint + "/recover?since="
                + Instant.now().minusSeconds(3600), key, null);
        assertThat(recovered.status()).as(recovered.response().body()).isEqualTo(200);
        assertThat(recovered.json().path("messages").asInt()).isGreaterThanOrEqualTo(0);
        assertProblem(post("/v1/webhooks/endpoints/" + endpoint + "/recover", key, null), 400, null);
    }
}

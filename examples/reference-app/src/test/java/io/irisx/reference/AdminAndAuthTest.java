package io.irisx.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin routes (tenants and their API keys, behind the admin token) and the API-key authentication of
 * {@code /v1}: 401 without a valid key, 403 without the route's scope, and every failure one problem-details shape.
 */
class AdminAndAuthTest extends RunningApp {

    @Test
    void the_admin_routes_need_the_admin_token() {
        Answer none = get("/admin/tenants", null);
        Answer wrong = get("/admin/tenants", "not-the-token");

        for (Answer answer : List.of(none, wrong)) {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertProblem(answer, 401, "unauthenticated");
        }
    }

    @Test
    void an_admin_registers_a_tenant_once_and_lists_tenants_a_page_at_a_time() {
        String id = newTenant("globex");
        newTenant("globex");
        newTenant("globex");

        Answer again = post("/admin/tenants", ADMIN_TOKEN, Map.of("id", id, "name", "Again"));
        assertProblem(again, 409, "conflict");

        Answer renamed = call("PATCH", "/admin/tenants/" + id, ADMIN_TOKEN, Map.of("name", "Globex Corp"), Map.of());
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(get("/admin/tenants/" + id, ADMIN_TOKEN).json().path("name").asText()).isEqualTo("Globex Corp");

        Answer first = get("/admin/tenants?limit=2", ADMIN_TOKEN);
        assertThat(first.json().path("items")).hasSize(2);
        String cursor = first.json().path("nextCursor").asText();
        assertThat(cursor).isNotEmpty();
        Answer second = get("/admin/tenants?limit=2&cursor=" + cursor, ADMIN_TOKEN);
        assertThat(second.json().path("items").get(0).path("id").asText())
                .isGreaterThan(first.json().path("items").get(1).path("id").asText());

        assertProblem(get("/admin/tenants/nobody-here", ADMIN_TOKEN), 404, "not-found");
        assertProblem(post("/admin/tenants", ADMIN_TOKEN, Map.of("name", "No id")), 400, "validation");
    }

    @Test
    void an_admin_creates_a_test_key_whose_sends_are_test_sends_that_reach_no_provider() {
        String tenant = newTenant("initech");
        String live = key(tenant, "sms:send", "sms:read");
        Answer created = post("/admin/tenants/" + tenant + "/api-keys", ADMIN_TOKEN,
                Map.of("name", "ci", "mode", "test", "scopes", List.of("sms:send", "sms:read")));

        assertThat(created.status()).as(created.response().body()).isEqualTo(201);
        assertThat(created.json().path("key").path("mode").asText()).isEqualTo("TEST");
        String test = created.json().path("secret").asText();
        assertThat(test).startsWith("irx_test_");
        assertThat(live).startsWith("irx_live_");
        assertThat(get("/admin/tenants/" + tenant + "/api-keys", ADMIN_TOKEN).json().path("items"))
                .extracting(k -> k.path("name").asText() + " " + k.path("mode").asText())
                .containsExactlyInAnyOrder("ci TEST", "test key LIVE");
        assertThat(get("/admin/tenants/" + tenant + "/api-keys/" + created.json().path("key").path("id").asText(),
                ADMIN_TOKEN).json().path("mode").asText()).isEqualTo("TEST");

        String id = post("/v1/sms", test, Map.of("to", "+447400123499", "from", "+447400654321",
                "body", "From the test key")).json().path("id").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            Answer sent = get("/v1/sms/" + id, test);
            assertThat(sent.json().path("status").asText()).as(sent.response().body()).isIn("SENT", "DELIVERED");
        });
        com.fasterxml.jackson.databind.JsonNode sms = get("/v1/sms/" + id, live).json();
        assertThat(sms.path("test").asBoolean()).isTrue();
        assertThat(sms.path("provider").asText()).isEqualTo("sandbox");
        assertThat(APIS.received("/2010-04-01/Accounts/" + LocalApis.TWILIO_SID + "/Messages.json"))
                .noneMatch(r -> "From the test key".equals(r.form().get("Body")));
        Answer staging = post("/admin/tenants/" + tenant + "/api-keys", ADMIN_TOKEN,
                Map.of("name", "x", "mode", "staging", "scopes", List.of("sms:read")));
        SmsAndCallRoutesTest.assertRejected(staging, "mode", "staging");
    }

    @Test
    void a_key_is_shown_once_authenticates_its_tenant_and_stops_when_revoked() {
        String tenant = newTenant("initech");
        Answer created = post("/admin/tenants/" + tenant + "/api-keys", ADMIN_TOKEN,
                Map.of("name", "backend", "scopes", List.of("email:read")));
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().path("secret").asText();
        String keyId = created.json().path("key").path("id").asText();
        assertThat(key).startsWith("irx_live_");
        assertThat(created.json().path("key").path("scopes")).extracting(Object::toString)
                .containsExactly("\"email:read\"");

        Answer listed = get("/admin/tenants/" + tenant + "/api-keys", ADMIN_TOKEN);
        assertThat(listed.json().path("items")).hasSize(1);
        assertThat(listed.response().body()).doesNotContain(key);
        assertThat(get("/admin/tenants/" + tenant + "/api-keys/" + keyId, ADMIN_TOKEN).json().path("name").asText())
                .isEqualTo("backend");

        assertThat(get("/v1/emails", key).status()).isEqualTo(200);
        assertThat(call("DELETE", "/admin/tenants/" + tenant + "/api-keys/" + keyId, ADMIN_TOKEN, null, Map.of())
                .json().path("revokedAt").asText()).isNotEmpty();
        assertProblem(get("/v1/emails", key), 401, "unauthenticated");

        Answer unknownScope = post("/admin/tenants/" + tenant + "/api-keys", ADMIN_TOKEN,
                Map.of("name", "bad", "scopes", List.of("email:write")));
        assertProblem(unknownScope, 400, "validation");
        assertThat(unknownScope.json().path("detail").asText()).contains("scopes", "email:write");
        assertProblem(post("/admin/tenants/nobody-here/api-keys", ADMIN_TOKEN,
                Map.of("name", "k", "scopes", List.of("email:read"))), 404, "not-found");
    }

    @Test
    void a_request_without_a_valid_key_is_refused_with_401() {
        assertProblem(get("/v1/emails", null), 401, "unauthenticated");
        assertProblem(get("/v1/emails", "irx_live_notakeyatall"), 401, "unauthenticated");
        assertProblem(get("/v1/emails", ADMIN_TOKEN), 401, "unauthenticated");
        assertThat(get("/v1/emails", null).header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void a_key_without_the_routes_scope_is_refused_with_403_naming_the_scope() {
        String tenant = newTenant("umbrella");
        String readOnly = key(tenant, "email:read");

        Answer send = post("/v1/emails", readOnly, Map.of("from", "a@umbrella.example", "to", List.of("b@example.com"),
                "subject", "Hi", "text", "Hi"));

        assertProblem(send, 403, "missing-scope");
        assertThat(send.json().path("scope").asText()).isEqualTo("email:send");
        assertThat(send.json().path("instance").asText()).isEqualTo("/v1/emails");
        for (String route : List.of("/v1/sms", "/v1/calls", "/v1/webhooks/endpoints", "/v1/usage/cost?from=2030-01-01&to=2030-01-31",
                "/v1/billing/balance", "/v1/dead-letters/sms")) {
            assertProblem(get(route, readOnly), 403, "missing-scope");
        }
    }

    @Test
    void an_unknown_route_and_a_wrong_method_are_problems_too() {
        String key = key(newTenant("hooli"), allScopes());

        assertProblem(get("/v1/nothing-here", key), 404, null);
        assertProblem(call("PUT", "/v1/emails", key, Map.of(), Map.of()), 405, null);
        Answer unreadable = call("POST", "/v1/emails", key, null, Map.of("Content-Type", "application/json"));
        assertProblem(unreadable, 400, "validation");
        assertThat(unreadable.json().path("detail").asText()).contains("JSON body");
        Answer misspelt = post("/v1/emails", key, Map.of("from", "a@hooli.example", "to", List.of("b@example.com"),
                "sbject", "Hi", "text", "Hi"));
        assertProblem(misspelt, 400, "validation");
        assertThat(misspelt.json().path("detail").asText()).contains("sbject");
        Answer wrongType = post("/v1/emails", key, Map.of("from", "a@hooli.example", "to", "b@example.com",
                "track", "yes please"));
        assertProblem(wrongType, 400, "validation");
        assertThat(wrongType.json().path("detail").asText()).startsWith("track");
    }

    @Test
    void a_suspended_tenant_is_refused_its_sends_and_a_deleted_ones_keys_stop() {
        String tenant = newTenant("stark");
        String key = key(tenant, allScopes());
        Map<String, Object> email = Map.of("from", "a@stark.example", "to", List.of("b@example.com"), "subject", "Hi",
                "text", "Hi");

        assertThat(post("/admin/tenants/" + tenant + "/suspend", ADMIN_TOKEN, Map.of("reason", "unpaid"))
                .json().path("status").asText()).isEqualTo("SUSPENDED");
        assertProblem(post("/v1/emails", key, email), 403, "tenant-suspended");
        assertThat(post("/admin/tenants/" + tenant + "/resume", ADMIN_TOKEN, null).json().path("status").asText())
                .isEqualTo("ACTIVE");

        String empty = newTenant("wayne");
        String emptyKey = key(empty, allScopes());
        assertThat(call("DELETE", "/admin/tenants/" + empty, ADMIN_TOKEN, null, Map.of()).status()).isEqualTo(204);
        assertProblem(get("/v1/emails", emptyKey), 401, "unauthenticated");
        assertProblem(get("/admin/tenants/" + empty, ADMIN_TOKEN), 404, "not-found");
    }

    /** An RFC 9457 body of {@code status}, of the app's problem type {@code type} (any type when null). */
    static void assertProblem(Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("status").asInt()).isEqualTo(status);
        assertThat(answer.json().path("title").asText()).isNotEmpty();
        assertThat(answer.json().has("detail")).isTrue();
        assertThat(answer.json().path("instance").asText()).startsWith("/");
        if (type != null) {
            assertThat(answer.json().path("type").asText()).isEqualTo("https://irisx.io/problems/" + type);
        }
    }
}

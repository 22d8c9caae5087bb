package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The customer portal's credential: a short-lived token the admin issues for one tenant ({@code irxp_…}), which
 * reaches that tenant's webhook routes and nothing else — no other tenant's endpoints, no other capability — and
 * stops when it expires, is altered, or its tenant is suspended.
 */
class PortalTokenTest extends RunningApp {

    @Test
    void a_portal_token_manages_its_tenants_webhooks_and_sees_nothing_of_another_tenant() {
        String a = newTenant("portal");
        String b = newTenant("portal");
        String bEndpoint = post("/v1/webhooks/endpoints", key(b, "webhooks:manage"), Map.of("url",
                APIS.url() + "/hooks/ok")).json().path("endpoint").path("id").asText();

        Answer issued = post("/admin/tenants/" + a + "/portal-tokens", ADMIN_TOKEN, Map.of("ttlSeconds", 600));
        assertThat(issued.status()).isEqualTo(201);
        String token = issued.json().path("token").asText();
        assertThat(token).startsWith("irxp_");
        assertThat(issued.json().path("scopes")).extracting(JsonNode::asText).containsExactly("webhooks:manage");

        Answer created = post("/v1/webhooks/endpoints", token, Map.of("url", APIS.url() + "/hooks/ok"));
        assertThat(created.status()).isEqualTo(201);
        String aEndpoint = created.json().path("endpoint").path("id").asText();
        assertThat(get("/v1/webhooks/endpoints", token).json().path("items")).extracting(e -> e.path("id").asText())
                .containsExactly(aEndpoint);
        assertThat(get("/v1/webhooks/event-types", token).status()).isEqualTo(200);
        assertThat(post("/v1/webhooks/endpoints/" + aEndpoint + "/rotate-secret", token, null).status())
                .isEqualTo(200);

        assertProblem(get("/v1/webhooks/endpoints/" + bEndpoint, token), 404, "not-found");
        assertProblem(call("DELETE", "/v1/webhooks/endpoints/" + bEndpoint, token, null, Map.of()), 404, "not-found");
        assertProblem(get("/v1/emails", token), 403, "missing-scope");
        assertProblem(get("/v1/billing/balance", token), 403, "missing-scope");
        assertProblem(get("/admin/tenants", token), 401, "unauthenticated");
    }

    @Test
    void an_altered_expired_or_suspended_tenants_token_is_refused() {
        String tenant = newTenant("portal");
        String token = post("/admin/tenants/" + tenant + "/portal-tokens", ADMIN_TOKEN, null).json().path("token")
                .asText();
        String other = newTenant("portal");
        String otherToken = post("/admin/tenants/" + other + "/portal-tokens", ADMIN_TOKEN, null).json()
                .path("token").asText();
        // This tenant's claims with the other's signature.
        String spliced = token.substring(0, token.indexOf('.')) + otherToken.substring(otherToken.indexOf('.'));

        assertThat(get("/v1/webhooks/endpoints", token).status()).isEqualTo(200);
        assertProblem(get("/v1/webhooks/endpoints", spliced), 401, "unauthenticated");
        assertProblem(get("/v1/webhooks/endpoints", "irxp_garbage"), 401, "unauthenticated");

        post("/admin/tenants/" + tenant + "/suspend", ADMIN_TOKEN, Map.of("reason", "unpaid"));
        assertProblem(get("/v1/webhooks/endpoints", token), 401, "unauthenticated");
        post("/admin/tenants/" + tenant + "/resume", ADMIN_TOKEN, null);
        assertThat(get("/v1/webhooks/endpoints", token).status()).isEqualTo(200);

        String brief = post("/admin/tenants/" + tenant + "/portal-tokens", ADMIN_TOKEN, Map.of("ttlSeconds", 1)).json()
                .path("token").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/v1/webhooks/endpoints", brief).status() == 401);

        assertProblem(post("/admin/tenants/" + tenant + "/portal-tokens", ADMIN_TOKEN, Map.of("ttlSeconds", 7200)),
                400, "validation");
        assertProblem(post("/admin/tenants/nobody-here/portal-tokens", ADMIN_TOKEN, null), 404, "not-found");
    }
}

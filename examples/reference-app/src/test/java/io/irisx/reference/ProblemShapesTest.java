package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The app's failures in its one RFC 9457 shape (rfc-editor.org/rfc/rfc9457): Spring MVC's own (a path no route serves,
 * a method a route does not take, a body or an Accept of a type it does not take, a misspelt JSON member) as much as
 * the app's (a missing member, a bad cursor, the paging parameters on a complete list), each naming what the request
 * called it and nothing of the app's Java.
 */
class ProblemShapesTest extends RunningApp {

    @Test
    void a_path_no_route_serves_is_a_not_found_problem_naming_the_path() {
        String key = key(newTenant("shapes"), allScopes());

        Answer answer = get("/v1/nothing", key);

        assertProblem(answer, 404, "not-found");
        assertThat(answer.json().path("title").asText()).isEqualTo("Not found");
        assertThat(answer.json().path("detail").asText()).contains("GET /v1/nothing").doesNotContain("static");
    }

    @Test
    void a_method_a_route_does_not_take_is_a_405_problem_naming_the_methods_it_takes() {
        String key = key(newTenant("shapes"), allScopes());

        Answer answer = call("PUT", "/v1/emails", key, Map.of(), Map.of());

        assertProblem(answer, 405, "method-not-allowed");
        assertThat(answer.header("Allow")).contains("GET", "POST");
        assertThat(answer.json().path("allowed")).extracting(JsonNode::asText).containsExactly("GET", "POST");
        assertThat(answer.json().path("detail").asText()).isEqualTo("/v1/emails does not take PUT; it takes GET, POST");
    }

    @Test
    void a_body_of_a_type_the_route_does_not_read_is_a_415_problem_naming_content_type() {
        String key = key(newTenant("shapes"), allScopes());

        Answer answer = call("POST", "/v1/emails", key, "from=a@shapes.example", Map.of("Content-Type", "text/plain"));

        assertProblem(answer, 415, "unsupported-media-type");
        assertThat(answer.json().path("field").asText()).isEqualTo("Content-Type");
        assertThat(answer.json().path("detail").asText()).startsWith("/v1/emails does not read text/plain")
                .contains("application/json");
    }

    @Test
    void an_accept_the_route_cannot_answer_is_a_406_problem_in_json() {
        String key = key(newTenant("shapes"), allScopes());

        Answer answer = call("GET", "/v1/emails", key, null, Map.of("Accept", "text/csv"));

        assertProblem(answer, 406, "not-acceptable");
        assertThat(answer.json().path("field").asText()).isEqualTo("Accept");
        assertThat(answer.json().path("detail").asText()).contains("application/json");
    }

    @Test
    void the_opt_out_list_is_not_read_as_a_message_id_but_answers_405() {
        String key = key(newTenant("shapes"), "sms:read", "sms:send");

        Answer answer = get("/v1/sms/opt-outs", key);

        assertProblem(answer, 405, "method-not-allowed");
        assertThat(answer.header("Allow")).isEqualTo("POST");
        assertThat(answer.json().path("detail").asText()).doesNotContain("messageId");
    }

    @Test
    void a_misspelt_member_is_named_without_the_apps_classes() {
        String key = key(newTenant("shapes"), allScopes());

        Answer answer = post("/v1/emails", key, Map.of("from", "a@shapes.example", "to", List.of("b@example.com"),
                "sbject", "Hi", "text", "Hi"));

        assertProblem(answer, 400, "validation");
        assertThat(answer.json().path("field").asText()).isEqualTo("sbject");
        assertThat(answer.json().path("detail").asText()).startsWith("sbject: is not a member")
                .contains("subject").doesNotContain("io.irisx", "EmailController", "class", "$");
    }

    @Test
    void a_missing_member_or_parameter_names_its_field() {
        String key = key(newTenant("shapes"), allScopes());

        Answer sms = post("/v1/sms", key, Map.of("from", "+447400654321", "body", "no recipient"));
        Answer endpoint = post("/v1/webhooks/endpoints", key, Map.of("description", "no url"));

        assertProblem(sms, 400, "validation");
        assertThat(sms.json().path("field").asText()).isEqualTo("to");
        assertThat(sms.json().path("detail").asText()).isEqualTo("to is required");
        assertThat(sms.json().has("rejectedValue")).isFalse();
        assertProblem(endpoint, 400, "validation");
        assertThat(endpoint.json().path("field").asText()).isEqualTo("url");
        Answer stats = get("/v1/webhooks/stats?from=2030-01-01T00:00:00Z", key);
        assertProblem(stats, 400, "validation");
        assertThat(stats.json().path("field").asText()).isEqualTo("to");
        assertThat(stats.json().path("detail").asText()).isEqualTo("to is required");
        Answer topUp = post("/v1/billing/top-ups", key, Map.of("amount", 20));
        assertProblem(topUp, 400, "validation");
        assertThat(topUp.json().path("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void a_bad_cursor_names_the_cursor_parameter() {
        String key = key(newTenant("shapes"), allScopes());

        for (String path : List.of("/v1/sms?cursor=not-a-cursor", "/v1/emails?cursor=not-a-cursor",
                "/v1/webhooks/endpoints?cursor=not-a-cursor")) {
            Answer answer = get(path, key);

            SmsAndCallRoutesTest.assertRejected(answer, "cursor", "not-a-cursor");
            assertThat(answer.json().path("detail").asText()).as(path).startsWith("cursor: ");
        }
    }

    @Test
    void a_complete_list_refuses_the_paging_parameters_naming_them() {
        String key = key(newTenant("shapes"), allScopes());
        assertThat(call("PUT", "/v1/email/templates/welcome", key, Map.of("subject", "Hi", "text", "Hello"), Map.of())
                .status()).isEqualTo(200);

        SmsAndCallRoutesTest.assertRejected(get("/v1/email/templates?limit=10", key), "limit", "10");
        SmsAndCallRoutesTest.assertRejected(get("/v1/email/templates/welcome/versions?cursor=abc", key), "cursor",
                "abc");
        SmsAndCallRoutesTest.assertRejected(get("/v1/webhooks/event-types?limit=5", key), "limit", "5");
        SmsAndCallRoutesTest.assertRejected(get("/v1/sms?limit=0", key), "limit", "0");

        assertThat(get("/v1/email/templates", key).json()).hasSize(1);
        assertThat(get("/v1/email/templates/welcome/versions", key).json()).hasSize(1);
        assertThat(get("/v1/webhooks/event-types", key).json()).isNotEmpty();
    }
}

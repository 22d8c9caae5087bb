package io.irisx.reference;

import static io.irisx.reference.AdminAndAuthTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.id.MessageId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The email routes against the running app and a local Postmark ({@link LocalApis}): send with an idempotency key,
 * get, list with filters and paging, history; templates; suppressions; dead letters; Postmark's event webhook and
 * the one-click unsubscribe link. Postmark's wire format: postmarkapp.com/developer/api/email-api and
 * postmarkapp.com/developer/webhooks/delivery-webhook.
 */
class EmailRoutesTest extends RunningApp {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void an_email_is_sent_through_postmark_and_read_back_with_its_history() {
        String tenant = newTenant("acme");
        String key = key(tenant, "email:send", "email:read");

        Answer sent = post("/v1/emails", key, Map.of("from", "billing@acme.example", "fromName", "Acme Billing",
                "to", List.of("ada@example.com"), "subject", "Receipt 1042", "text", "Thank you.",
                "tags", List.of("receipt"), "attachments", List.of(Map.of("filename", "r.txt",
                        "contentType", "text/plain", "content", Base64.getEncoder().encodeToString(
                                "paid".getBytes(StandardCharsets.UTF_8))))));

        assertThat(sent.status()).as(sent.response().body()).isEqualTo(202);
        String id = sent.json().path("id").asText();
        assertThat(id).startsWith("msg_");
        awaitEmailStatus(key, id, "SENT");
        LocalApis.Received request = postmarkRequest("Receipt 1042");
        assertThat(request.header("X-Postmark-Server-Token")).isEqualTo(LocalApis.POSTMARK_TOKEN);
        assertThat(request.body()).contains("\"From\":\"\\\"Acme Billing\\\" <billing@acme.example>\"", "\"Name\":\"r.txt\"");

        JsonNode email = get("/v1/emails/" + id, key).json();
        assertThat(email.path("tenant").asText()).isEqualTo(tenant);
        assertThat(email.path("provider").asText()).isEqualTo("postmark");
        assertThat(email.path("to").get(0).path("address").asText()).isEqualTo("ada@example.com");
        assertThat(get("/v1/emails/" + id + "/history", key).json()).extracting(h -> h.path("status").asText())
                .containsSubsequence("QUEUED", "SENT");
        assertThat(get("/v1/emails/" + id + "/attachments", key).json().get(0).path("content").asText())
                .isEqualTo(Base64.getEncoder().encodeToString("paid".getBytes(StandardCharsets.UTF_8)));
        assertThat(get("/v1/emails/" + id + "/engagements", key).json()).isEmpty();
        JsonNode stats = get("/v1/email/stats?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", key).json();
        assertThat(stats.get(0).path("counts").path("domain").asText()).isEqualTo("acme.example");
        assertThat(stats.get(0).path("counts").path("sent").asLong()).isEqualTo(1);
        assertThat(stats.get(0).path("complaintRate").asDouble()).isZero();
        assertThat(get("/v1/emails?status=sent", key).json().path("items")).extracting(e -> e.path("id").asText())
                .containsExactly(id);
        assertThat(get("/v1/emails?status=failed", key).json().path("items")).isEmpty();
        assertThat(get("/v1/emails?createdFrom=2000-01-01T00:00:00Z&createdTo=2001-01-01T00:00:00Z", key).json()
                .path("items")).isEmpty();
        assertProblem(get("/v1/emails?status=lost", key), 400, "validation");
        assertProblem(get("/v1/emails/" + MessageId.generate(), key), 404, "not-found");
        assertProblem(get("/v1/emails/not-an-id", key), 400, "validation");

        String other = key(newTenant("acme"), "email:read");
        assertProblem(get("/v1/emails/" + id, other), 404, "not-found");
    }

    @Test
    void a_repeated_idempotency_key_returns_the_first_email_and_sends_once() {
        String key = key(newTenant("acme"), "email:send", "email:read");
        Map<String, Object> email = Map.of("from", "hello@acme.example", "to", List.of("bob@example.com"),
                "subject", "Welcome once", "text", "Hello Bob");
        Map<String, String> idempotency = Map.of("Idempotency-Key", "signup-7731-welcome");

        Answer first = call("POST", "/v1/emails", key, email, idempotency);
        Answer second = call("POST", "/v1/emails", key, email, idempotency);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        awaitEmailStatus(key, first.json().path("id").asText(), "SENT");
        assertThat(get("/v1/emails/" + first.json().path("id").asText(), key).json().path("idempotencyKey").asText())
                .isEqualTo("signup-7731-welcome");
        assertThat(APIS.received("/postmark/email").stream().filter(r -> r.body().contains("Welcome once")))
                .hasSize(1);
    }

    @Test
    void an_invalid_email_is_a_400_naming_the_field_and_nothing_is_stored() {
        String key = key(newTenant("acme"), "email:send", "email:read");

        Answer badAddress = post("/v1/emails", key, Map.of("from", "hello@acme.example", "to", List.of("not-an-address"),
                "subject", "Hi", "text", "Hi"));
        Answer injection = post("/v1/emails", key, Map.of("from", "hello@acme.example", "to", List.of("a@example.com"),
                "subject", "Hi\r\nBcc: all@example.com", "text", "Hi"));
        Answer noFrom = post("/v1/emails", key, Map.of("to", List.of("a@example.com"), "subject", "Hi", "text", "Hi"));

        assertProblem(badAddress, 400, "validation");
        assertThat(badAddress.json().path("field").asText()).isEqualTo("to");
        assertThat(badAddress.json().path("detail").asText()).contains("not-an-address");
        assertProblem(injection, 400, "validation");
        assertThat(injection.json().path("field").asText()).isEqualTo("subject");
        assertProblem(noFrom, 400, "validation");
        assertThat(noFrom.json().path("detail").asText()).contains("from");
        assertThat(get("/v1/emails", key).json().path("items")).isEmpty();
    }

    @Test
    void emails_are_listed_a_page_at_a_time() {
        String key = key(newTenant("acme"), "email:send", "email:read");
        for (int i = 0; i < 3; i++) {
            post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("p" + i + "@example.com"),
                    "subject", "Page " + i, "text", "x"));
        }

        Answer first = get("/v1/emails?limit=2", key);
        Answer second = get("/v1/emails?limit=2&cursor=" + first.json().path("nextCursor").asText(), key);

        assertThat(first.json().path("items")).hasSize(2);
        assertThat(second.json().path("items")).hasSize(1);
        assertThat(second.json().has("nextCursor")).isFalse();
        assertProblem(get("/v1/emails?limit=0", key), 400, "validation");
        assertProblem(get("/v1/emails?limit=501", key), 400, "validation");
    }

    @Test
    void templates_are_saved_as_versions_previewed_sent_and_deleted() {
        String key = key(newTenant("acme"), "email:send", "email:read");
        Map<String, Object> v1 = Map.of("subject", "Welcome, {{name}}", "text", "Hello {{name}}");
        Map<String, Object> v2 = Map.of("subject", "Welcome aboard, {{name}}", "text", "Hello {{name}}",
                "html", "<p>Hello {{name}}</p>");

        assertThat(call("PUT", "/v1/email/templates/welcome", key, v1, Map.of()).json().path("version").asInt())
                .isEqualTo(1);
        assertThat(call("PUT", "/v1/email/templates/welcome", key, v2, Map.of()).json().path("version").asInt())
                .isEqualTo(2);
        assertThat(get("/v1/email/templates/welcome", key).json().path("version").asInt()).isEqualTo(2);
        assertThat(get("/v1/email/templates/welcome/versions", key).json()).hasSize(2);
        assertThat(get("/v1/email/templates/welcome/versions/1", key).json().path("subject").asText())
                .isEqualTo("Welcome, {{name}}");
        assertThat(get("/v1/email/templates", key).json()).hasSize(1);
        JsonNode preview = post("/v1/email/templates/welcome/preview", key, Map.of("name", "<Ada>")).json();
        assertThat(preview.path("subject").asText()).isEqualTo("Welcome aboard, <Ada>");
        assertThat(preview.path("html").asText()).isEqualTo("<p>Hello &lt;Ada&gt;</p>");
        assertProblem(call("PUT", "/v1/email/templates/broken", key, Map.of("subject", "{{#open}}", "text", "x"),
                Map.of()), 400, "validation");

        Answer sent = post("/v1/emails", key, Map.of("from", "hello@acme.example", "to", List.of("ada@example.com"),
                "template", "welcome", "variables", Map.of("name", "Ada")));
        awaitEmailStatus(key, sent.json().path("id").asText(), "SENT");
        assertThat(postmarkRequest("Welcome aboard, Ada").body()).contains("Hello Ada");

        assertThat(call("DELETE", "/v1/email/templates/welcome", key, null, Map.of()).status()).isEqualTo(204);
        assertProblem(get("/v1/email/templates/welcome", key), 404, "not-found");
    }

    @Test
    void a_suppressed_address_is_refused_until_the_suppression_is_lifted() {
        String key = key(newTenant("acme"), "email:send", "email:read");
        Map<String, Object> email = Map.of("from", "hello@acme.example", "to", List.of("gone@example.com"),
                "subject", "Hi", "text", "Hi");

        assertThat(post("/v1/email/suppressions/transactional", key, Map.of("address", "gone@example.com",
                "note", "asked by phone")).status()).isEqualTo(201);
        assertThat(post("/v1/email/suppressions/transactional", key, Map.of("address", "gone@example.com")).status())
                .isEqualTo(200);
        assertThat(get("/v1/email/suppressions/transactional/gone@example.com", key).json().path("detail").asText())
                .isEqualTo("asked by phone");
        assertThat(get("/v1/email/suppressions/transactional", key).json().path("items")).hasSize(1);
        assertThat(get("/v1/email/suppressions/marketing", key).json().path("items")).isEmpty();
        assertProblem(post("/v1/emails", key, email), 422, "suppressed-recipient");

        assertThat(call("DELETE", "/v1/email/suppressions/transactional/gone@example.com", key, null, Map.of())
                .status()).isEqualTo(204);
        assertProblem(call("DELETE", "/v1/email/suppressions/transactional/gone@example.com", key, null, Map.of()),
                404, "not-found");
        assertThat(post("/v1/emails", key, email).status()).isEqualTo(202);
        assertProblem(get("/v1/email/suppressions/bulk", key), 400, "validation");
    }

    @Test
    void a_refused_email_becomes_a_dead_letter_to_list_replay_and_purge() {
        String tenant = newTenant("acme");
        String key = key(tenant, "email:send", "email:read");
        String readOnly = key(tenant, "email:read");
        APIS.postmarkRefusing(true);
        String first;
        String second;
        try {
            first = post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("x@example.com"),
                    "subject", "Refused 1", "text", "x")).json().path("id").asText();
            second = post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("y@example.com"),
                    "subject", "Refused 2", "text", "x")).json().path("id").asText();
            awaitEmailStatus(key, first, "FAILED");
            awaitEmailStatus(key, second, "FAILED");
        } finally {
            APIS.postmarkRefusing(false);
        }
        await().atMost(WAIT).until(() -> get("/v1/dead-letters/email", key).json().path("items").size() == 2);

        JsonNode letter = get("/v1/dead-letters/email/" + first, key).json();
        assertThat(letter.path("channel").asText()).isEqualTo("email");
        assertThat(letter.path("lastError").asText()).contains("406");
        assertThat(get("/v1/dead-letters/email?limit=1", key).json().path("nextCursor").asText()).isNotEmpty();
        assertProblem(get("/v1/dead-letters/email", readOnly), 403, "missing-scope");
        assertProblem(get("/v1/dead-letters/sms/" + first, key(tenant, "sms:send")), 404, "not-found");
        assertProblem(get("/v1/dead-letters/fax", key), 400, "validation");

        assertThat(post("/v1/dead-letters/email/" + first + "/replay", key, null).status()).isEqualTo(202);
        assertThat(call("DELETE", "/v1/dead-letters/email/" + second, key, null, Map.of()).status()).isEqualTo(204);
        assertProblem(get("/v1/dead-letters/email/" + second, key), 404, "not-found");
        // The replayed email is FAILED already: its worker settles the replayed work and sends nothing again.
        await().atMost(WAIT).until(() -> get("/v1/dead-letters/email", key).json().path("items").isEmpty());
        assertThat(APIS.received("/postmark/email").stream().filter(r -> r.body().contains("Refused 1"))).hasSize(1);
    }

    @Test
    void postmarks_delivery_webhook_marks_the_email_delivered() {
        String tenant = newTenant("acme");
        String key = key(tenant, "email:send", "email:read");
        String id = post("/v1/emails", key, Map.of("from", "a@acme.example", "to", List.of("d@example.com"),
                "subject", "Deliver me", "text", "x")).json().path("id").asText();
        awaitEmailStatus(key, id, "SENT");
        String providerId = get("/v1/emails/" + id, key).json().path("providerMessageId").asText();
        String delivery = """
                {"MessageID": "%s", "Recipient": "d@example.com", "DeliveredAt": "2030-01-01T10:00:00.0000000Z",
                 "Details": "Test delivery webhook details", "Tag": "", "ServerID": 23, "Metadata": {},
                 "RecordType": "Delivery", "MessageStream": "outbound"}""".formatted(providerId);
        String basic = "Basic " + Base64.getEncoder().encodeToString("postmark:hook-pass-93kd".getBytes(
                StandardCharsets.UTF_8));

        Answer refused = call("POST", "/callbacks/" + tenant + "/postmark", null, delivery,
                Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("postmark:wrong".getBytes(
                        StandardCharsets.UTF_8)), "Content-Type", "application/json"));
        Answer accepted = call("POST", "/callbacks/" + tenant + "/postmark", null, delivery,
                Map.of("Authorization", basic, "Content-Type", "application/json"));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(get("/v1/emails/" + id, key).json().path("status").asText()).isEqualTo("DELIVERED");
    }

    @Test
    void the_one_click_unsubscribe_link_suppresses_the_recipient_on_the_marketing_stream() {
        String key = key(newTenant("acme"), "email:send", "email:read");
        String id = post("/v1/emails", key, Map.of("from", "news@acme.example", "to", List.of("reader@example.com"),
                "subject", "Spring news", "text", "News", "stream", "marketing")).json().path("id").asText();
        awaitEmailStatus(key, id, "SENT");
        Matcher link = Pattern.compile("https://api\\.acme\\.test(/links/u/[A-Za-z0-9_.-]+)").matcher(
                postmarkRequest("Spring news").body());
        assertThat(link.find()).isTrue();

        Answer page = call("GET", link.group(1), null, null, Map.of());
        Answer unsubscribed = call("POST", link.group(1), null, "List-Unsubscribe=One-Click", Map.of());
        Answer forged = call("POST", link.group(1) + "x", null, "List-Unsubscribe=One-Click", Map.of());

        assertThat(page.status()).isEqualTo(200);
        assertThat(unsubscribed.status()).isEqualTo(200);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(get("/v1/email/suppressions/marketing/reader@example.com", key).status()).isEqualTo(200);
        assertProblem(get("/v1/email/suppressions/transactional/reader@example.com", key), 404, "not-found");
    }

    @Test
    void a_tracked_emails_open_and_click_come_back_through_the_links_and_show_as_engagements() {
        String key = key(newTenant("acme"), "email:send", "email:read");
        String id = post("/v1/emails", key, Map.of("from", "news@acme.example", "to", List.of("fan@example.com"),
                "subject", "Tracked launch", "html", "<html><body><p><a href=\"https://acme.example/pricing\">Pricing"
                        + "</a></p></body></html>", "track", true)).json().path("id").asText();
        awaitEmailStatus(key, id, "SENT");
        String html = postmarkRequest("Tracked launch").body();
        Matcher open = Pattern.compile("https://api\\.acme\\.test(/links/o/[A-Za-z0-9_.-]+)").matcher(html);
        Matcher click = Pattern.compile("https://api\\.acme\\.test(/links/c/[A-Za-z0-9_.-]+)").matcher(html);
        assertThat(open.find()).as(html).isTrue();
        assertThat(click.find()).as(html).isTrue();

        Answer pixel = get(open.group(1), null);
        Answer redirect = get(click.group(1), null);

        assertThat(pixel.status()).isEqualTo(200);
        assertThat(pixel.contentType()).startsWith("image/");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("https://acme.example/pricing");
        assertThat(get("/v1/emails/" + id + "/engagements", key).json()).extracting(e -> e.path("kind").asText())
                .containsExactlyInAnyOrder("OPEN", "CLICK");
        assertThat(get(click.group(1) + "x", null).status()).isEqualTo(403);
    }

    private void awaitEmailStatus(String key, String id, String status) {
        await().atMost(WAIT).until(() -> get("/v1/emails/" + id, key).json().path("status").asText().equals(status));
    }

    private static LocalApis.Received postmarkRequest(String subject) {
        await().atMost(WAIT).until(() -> APIS.received("/postmark/email").stream()
                .anyMatch(r -> r.body().contains(subject)));
        return APIS.received("/postmark/email").stream().filter(r -> r.body().contains(subject)).findFirst()
                .orElseThrow();
    }
}

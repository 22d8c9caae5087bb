package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.SuppressedRecipientException;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * One-click unsubscribe: the headers of RFC 2369 ({@code List-Unsubscribe}) and RFC 8058
 * ({@code List-Unsubscribe-Post}, https://www.rfc-editor.org/rfc/rfc8058#section-3) on marketing email, and
 * {@link EmailLinks} answering the link — the one-click POST of §3.2, in either encoding, from a plain HTTP client;
 * the confirmation page of a GET; the {@code mailto:} link — on each database.
 */
@OnEachDialect
class EmailUnsubscribeTest {

    @Parameter
    Database.Dialect dialect;
    private LinksRuntime runtime;
    private EmailClient acme;

    @BeforeEach
    void start() {
        runtime = new LinksRuntime(TestDatabases.of(dialect));
        acme = runtime.email("acme");
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    private static EmailMessage.Builder newsletter() {
        return newsletter("ada@example.com");
    }

    private static EmailMessage.Builder newsletter(String to) {
        return EmailMessage.builder()
                .from("news@acme.example", "Acme News")
                .to(to)
                .subject("Spring news")
                .text("News.")
                .stream(EmailStream.MARKETING);
    }

    private String unsubscribePath(MessageId id) {
        return LinksRuntime.paths(acme.get(id).headers().get("List-Unsubscribe")).get(0);
    }

    @Test
    void a_marketing_email_carries_its_one_click_and_mailto_unsubscribe_links_and_a_transactional_one_none() {
        MessageId marketing = acme.send(newsletter().build());
        MessageId transactional = acme.send(newsletter().stream(EmailStream.TRANSACTIONAL).build());

        Map<String, String> headers = acme.get(marketing).headers();
        assertThat(headers.get("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(headers.get("List-Unsubscribe")).matches("<https://links\\.acme\\.test/email/u/([A-Za-z0-9_-]+)>,"
                + " <mailto:unsubscribe@links\\.acme\\.test\\?subject=unsubscribe-\\1>");
        assertThat(acme.get(transactional).headers()).doesNotContainKeys("List-Unsubscribe", "List-Unsubscribe-Post");
    }

    @Test
    void the_provider_is_given_the_unsubscribe_headers_and_the_tracked_body() {
        List<OutgoingEmail> sent = new CopyOnWriteArrayList<>();
        EmailProvider recording = new EmailProvider() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public EmailReceipt send(OutgoingEmail email) {
                sent.add(email);
                return new EmailReceipt("rec-" + sent.size());
            }
        };
        try (LinksRuntime sending = new LinksRuntime(TestDatabases.of(dialect), recording)) {
            EmailClient email = sending.email("acme");
            MessageId id = email.send(newsletter().html("<a href=\"https://acme.example/\">Shop</a>").track(true)
                    .build());

            await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 1);
            assertThat(sent.get(0).headers())
                    .containsEntry("List-Unsubscribe", email.get(id).headers().get("List-Unsubscribe"))
                    .containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            assertThat(sent.get(0).html()).isEqualTo(email.get(id).html()).contains(LinksRuntime.BASE + "/c/",
                    LinksRuntime.BASE + "/o/");
        }
    }

    @Test
    void each_marketing_email_has_a_token_of_its_own() {
        String first = unsubscribePath(acme.send(newsletter().build()));
        String second = unsubscribePath(acme.send(newsletter("bob@example.com").build()));

        assertThat(first).isNotEqualTo(second);
        assertThat(first.length()).isLessThan(120);
    }

    @Test
    void a_marketing_email_with_several_recipients_or_its_own_unsubscribe_header_is_refused() {
        assertThatThrownBy(() -> acme.send(newsletter().cc("bob@example.com").build()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("to");
                    assertThat(e.getMessage()).contains("2 recipients", "exactly one");
                });
        assertThatThrownBy(() -> acme.send(newsletter().header("List-Unsubscribe", "<https://evil.example/u>").build()))
                .isInstanceOfSatisfying(IrisxValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("headers.List-Unsubscribe"));
        // A transactional email may name a list of its own.
        acme.send(newsletter().stream(EmailStream.TRANSACTIONAL).cc("bob@example.com")
                .header("List-Unsubscribe", "<mailto:lists@acme.example>").build());
    }

    @Test
    void without_links_a_marketing_email_is_refused_naming_the_setting() {
        try (Irisx bare = Irisx.builder().dataSource(runtime.database.dataSource())
                .sealingKeys(SealingKeys.generate("k1")).install(EmailModule.builder().sendOnly().build()).build()) {
            EmailClient email = EmailClient.of(bare.tenant("acme"));

            assertThatThrownBy(() -> email.send(newsletter().build()))
                    .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                        assertThat(e.field()).isEqualTo("stream");
                        assertThat(e.getMessage()).contains("EmailModule.Builder.links(baseUrl)");
                    });
            email.send(newsletter().stream(EmailStream.TRANSACTIONAL).build());
            assertThatThrownBy(() -> bare.tenant("acme").module(EmailModule.class).links())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("links(baseUrl)");
        }
    }

    @Test
    void a_one_click_post_from_a_plain_http_client_unsubscribes_in_one_transaction_with_its_history_and_event()
            throws Exception {
        MessageId id = acme.send(newsletter().build());
        HttpServer server = serve(runtime.links());
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/email" + unsubscribePath(id)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Unsubscribed", "Acme News");
        } finally {
            server.stop(0);
        }

        assertThat(acme.suppressions().find("ada@example.com", EmailStream.MARKETING)).hasValueSatisfying(s -> {
            assertThat(s.reason()).isEqualTo(Suppression.Reason.UNSUBSCRIBE);
            assertThat(s.source()).isEqualTo("unsubscribe link " + id.value());
        });
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
        StatusChange change = acme.history(id).get(1);
        assertThat(change.event()).isEqualTo(EventType.EMAIL_UNSUBSCRIBED);
        assertThat(change.recipient()).hasValue("ada@example.com");
        assertThat(change.status()).isEqualTo(EmailStatus.QUEUED);
        assertThat(runtime.events(EventType.EMAIL_UNSUBSCRIBED)).singleElement().satisfies(event -> {
            assertThat(event.id()).isEqualTo(change.id());
            assertThat(event.data()).contains("\"messageId\":\"" + id.value() + "\"",
                    "\"recipient\":\"ada@example.com\"", "\"stream\":\"marketing\"");
        });

        // Then the address is refused on marketing email, and still gets transactional email.
        assertThatThrownBy(() -> acme.send(newsletter().build())).isInstanceOf(SuppressedRecipientException.class);
        acme.send(newsletter().stream(EmailStream.TRANSACTIONAL).build());
    }

    @Test
    void a_multipart_one_click_post_unsubscribes_too_and_a_second_post_changes_nothing_more() {
        MessageId id = acme.send(newsletter().build());
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n";

        assertThat(runtime.handle(LinksRuntime.post(unsubscribePath(id), "multipart/form-data; boundary=XyZ", body))
                .status()).isEqualTo(200);
        assertThat(runtime.handle(LinksRuntime.post(unsubscribePath(id), "application/x-www-form-urlencoded",
                "List-Unsubscribe=One-Click")).status()).isEqualTo(200);

        assertThat(acme.suppressions().find("ada@example.com", EmailStream.MARKETING)).isPresent();
        assertThat(runtime.events(EventType.EMAIL_UNSUBSCRIBED)).hasSize(1);
        assertThat(acme.history(id)).hasSize(2);
    }

    @Test
    void a_get_shows_a_page_with_a_form_and_unsubscribes_no_one() {
        MessageId id = acme.send(newsletter().build());

        CallbackResponse page = runtime.handle(LinksRuntime.get(unsubscribePath(id), Map.of()));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers()).containsEntry("Content-Type", "text/html; charset=utf-8")
                .containsEntry("Cache-Control", "no-store");
        assertThat(page.bodyText()).contains("<form method=\"post\">",
                "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">", "Acme News");
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.MARKETING)).isEmpty();
        assertThat(acme.history(id)).hasSize(1);
        assertThat(runtime.events(EventType.EMAIL_UNSUBSCRIBED)).isEmpty();
    }

    @Test
    void a_post_without_the_one_click_body_is_refused_and_changes_nothing() {
        MessageId id = acme.send(newsletter().build());

        for (String body : List.of("", "List-Unsubscribe=Yes", "unsubscribe=One-Click", "%zz")) {
            assertThat(runtime.handle(LinksRuntime.post(unsubscribePath(id), "application/x-www-form-urlencoded",
                    body)).status()).as(body).isEqualTo(400);
        }
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.MARKETING)).isEmpty();
    }

    @Test
    void a_tampered_token_is_refused_and_changes_nothing() {
        MessageId id = acme.send(newsletter().build());
        String path = unsubscribePath(id);
        String token = path.substring(3);

        for (String tampered : List.of(flip(token, 10), flip(token, token.length() - 1), token.substring(1),
                token + "A", "AAAA", "not a token")) {
            assertThat(runtime.handle(LinksRuntime.post("/u/" + tampered, "application/x-www-form-urlencoded",
                    "List-Unsubscribe=One-Click")).status()).as(tampered).isEqualTo(403);
        }
        // A token is bound to its purpose: the unsubscribe token is no open or click token.
        assertThat(runtime.handle(LinksRuntime.get("/o/" + token, Map.of())).status()).isEqualTo(403);
        assertThat(runtime.handle(LinksRuntime.get("/c/" + token, Map.of())).status()).isEqualTo(403);
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.MARKETING)).isEmpty();
        assertThat(acme.history(id)).hasSize(1);
        assertThat(runtime.events).extracting(Event::type).containsOnly(EventType.EMAIL_QUEUED);
    }

    @Test
    void other_paths_are_not_found_and_other_methods_not_allowed() {
        String path = unsubscribePath(acme.send(newsletter().build()));

        assertThat(runtime.handle(LinksRuntime.get("/x" + path.substring(2), Map.of())).status()).isEqualTo(404);
        assertThat(runtime.handle(LinksRuntime.get("/", Map.of())).status()).isEqualTo(404);
        CallbackResponse put = runtime.handle(new CallbackRequest("PUT", "/email" + path, Map.of(), new byte[0]));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.headers()).containsEntry("Allow", "GET, POST");
    }

    @Test
    void the_mailto_link_unsubscribes_by_the_subject_of_the_mail_it_sends() {
        MessageId id = acme.send(newsletter().build());
        String token = unsubscribePath(id).substring(3);

        assertThat(runtime.links().unsubscribeByMail("Re: unsubscribe-" + flip(token, 5))).isFalse();
        assertThat(runtime.links().unsubscribeByMail("please unsubscribe me")).isFalse();
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.MARKETING)).isEmpty();

        assertThat(runtime.links().unsubscribeByMail("Re: unsubscribe-" + token)).isTrue();
        assertThat(acme.suppressions().find("ada@example.com", EmailStream.MARKETING)).hasValueSatisfying(s ->
                assertThat(s.source()).isEqualTo("unsubscribe mailto " + id.value()));
        assertThat(acme.history(id).get(1).detail()).isEqualTo("unsubscribed by mail");
    }

    /** {@code token} with the character at {@code index} changed to another of the base64url alphabet. */
    static String flip(String token, int index) {
        char c = token.charAt(index);
        char other = c == 'A' ? 'B' : 'A';
        return token.substring(0, index) + other + token.substring(index + 1);
    }

    /** A JDK HTTP server on loopback that hands every request to {@code links}, as a host's controller would. */
    static HttpServer serve(EmailLinks links) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> respond(exchange, links.handle(request(exchange))));
        server.start();
        return server;
    }

    private static CallbackRequest request(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        return new CallbackRequest(exchange.getRequestMethod(), uri.getRawPath(),
                uri.getRawQuery() == null ? "" : uri.getRawQuery(), exchange.getRequestHeaders(),
                exchange.getRequestBody().readAllBytes(), exchange.getRemoteAddress().getAddress().getHostAddress());
    }

    private static void respond(HttpExchange exchange, CallbackResponse response) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

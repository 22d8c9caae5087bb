package io.irisx.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.testing.MutableClock;
import io.irisx.webhooks.delivery.AttemptResult.Kind;
import io.irisx.webhooks.signing.WebhookKeyPair;
import io.irisx.webhooks.signing.WebhookSecret;
import io.irisx.webhooks.signing.WebhookVerifier;
import io.irisx.webhooks.ssrf.SsrfGuard;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deliveries to a real local receiver (MockWebServer on 127.0.0.1), each request checked with the IRISX
 * {@link WebhookVerifier} as a consumer would. The wire format followed is the Standard Webhooks specification 1.0
 * (github.com/standard-webhooks/standard-webhooks, {@code spec/standard-webhooks.md}): the {@code webhook-id},
 * {@code webhook-timestamp} and {@code webhook-signature} headers, the id kept across retries, 2xx as success and
 * 410 as "disable this endpoint"; {@code Retry-After} is read as RFC 9110 §10.2.3 defines it.
 */
class WebhookDispatcherTest {

    private static final byte[] BODY = "{\"type\":\"message.sent\",\"data\":{\"id\":\"msg_1\",\"to\":\"+15551234567\"}}"
            .getBytes(StandardCharsets.UTF_8);
    private static final SsrfGuard LOOPBACK_ALLOWED =
            SsrfGuard.create(SsrfPolicy.builder().allow("127.0.0.0/8").build());

    private final MockWebServer server = new MockWebServer();
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final WebhookSecret secret = WebhookSecret.generate();
    private final WebhookVerifier verifier = WebhookVerifier.builder().secret(secret).clock(clock).build();
    private WebhookDispatcher dispatcher;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        dispatcher = dispatcher().build();
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        server.close();
    }

    private WebhookDispatcher.Builder dispatcher() {
        return WebhookDispatcher.builder()
                .ssrfGuard(LOOPBACK_ALLOWED)
                .clock(clock)
                .connectTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(5));
    }

    /** The server's URL by address: MockWebServer names it "localhost", which may also resolve to ::1. */
    private String url(String path) {
        return server.url(path).newBuilder().host("127.0.0.1").build().toString();
    }

    private WebhookRequest request(Map<String, String> headers) {
        return new WebhookRequest(url("/hooks"), "evt_2Zq8kD1", BODY, List.of(secret), headers);
    }

    private void answer(MockResponse.Builder response) {
        server.enqueue(response.build());
    }

    /** The next request the receiver got, after checking it as a Standard Webhooks consumer would. */
    private RecordedRequest receivedAndVerified() throws InterruptedException {
        RecordedRequest received = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(received).as("a request reached the receiver").isNotNull();
        byte[] body = received.getBody().toByteArray();
        verifier.verify(received.getHeaders().toMultimap(), body);
        assertThat(received.getMethod()).isEqualTo("POST");
        assertThat(body).isEqualTo(BODY);
        assertThat(received.getHeaders().get("Content-Type")).isEqualTo("application/json");
        return received;
    }

    @Test
    @DisplayName("A 200 is a success: the request is signed, its body byte for byte, with the custom headers")
    void a_200_is_a_success() throws Exception {
        answer(new MockResponse.Builder().code(200).body("ok"));

        AttemptResult result = dispatcher.deliver(request(Map.of("X-Tenant", "acme", "Authorization", "Bearer t0k")));

        assertThat(result.kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.statusCode()).hasValue(200);
        assertThat(result.responseBody()).isEqualTo("ok");
        assertThat(result.error()).isEmpty();
        assertThat(result.retryAfter()).isEmpty();
        assertThat(result.latency()).isPositive();
        RecordedRequest received = receivedAndVerified();
        assertThat(received.getTarget()).isEqualTo("/hooks");
        assertThat(received.getHeaders().get("webhook-id")).isEqualTo("evt_2Zq8kD1");
        assertThat(received.getHeaders().get("webhook-timestamp")).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(received.getHeaders().get("X-Tenant")).isEqualTo("acme");
        assertThat(received.getHeaders().get("Authorization")).isEqualTo("Bearer t0k");
        assertThat(received.getHeaders().get("User-Agent")).isEqualTo("IRISX-Webhooks/1");
        // What the attempt keeps of its request: every header sent, but the endpoint's own headers' values.
        assertThat(result.requestHeaders()).containsOnlyKeys("Authorization", "Content-Type", "User-Agent",
                "X-Tenant", "webhook-id", "webhook-signature", "webhook-timestamp");
        assertThat(result.requestHeaders()).containsEntry("webhook-id", "evt_2Zq8kD1")
                .containsEntry("webhook-timestamp", received.getHeaders().get("webhook-timestamp"))
                .containsEntry("webhook-signature", received.getHeaders().get("webhook-signature"))
                .containsEntry("User-Agent", "IRISX-Webhooks/1")
                .containsEntry("Authorization", AttemptResult.NOT_KEPT)
                .containsEntry("X-Tenant", AttemptResult.NOT_KEPT);
        assertThat(result.requestHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(result.requestHeaders().values()).doesNotContain("Bearer t0k", "acme");
    }

    @Test
    @DisplayName("Two deliveries of one request keep the webhook-id and carry each its own timestamp, both verifying")
    void retries_keep_the_webhook_id() throws Exception {
        answer(new MockResponse.Builder().code(500));
        answer(new MockResponse.Builder().code(204));
        WebhookRequest request = request(Map.of());

        assertThat(dispatcher.deliver(request).kind()).isEqualTo(Kind.FAILED);
        RecordedRequest first = receivedAndVerified();
        clock.advance(Duration.ofSeconds(30));
        AttemptResult second = dispatcher.deliver(request);

        assertThat(second.kind()).isEqualTo(Kind.SUCCEEDED);
        assertThat(second.statusCode()).hasValue(204);
        assertThat(second.responseBody()).isEmpty();
        RecordedRequest retried = receivedAndVerified();
        assertThat(retried.getHeaders().get("webhook-id")).isEqualTo(first.getHeaders().get("webhook-id"));
        assertThat(Long.parseLong(retried.getHeaders().get("webhook-timestamp")))
                .isEqualTo(Long.parseLong(first.getHeaders().get("webhook-timestamp")) + 30);
    }

    @Test
    @DisplayName("Signing with two keys (rotation) sends two signatures; a consumer knowing either key accepts")
    void two_keys_sign_twice() throws Exception {
        WebhookKeyPair pair = WebhookKeyPair.generate();
        answer(new MockResponse.Builder().code(200));

        AttemptResult result = dispatcher.deliver(
                new WebhookRequest(url("/hooks"), "evt_rot", BODY, List.of(secret, pair), Map.of()));

        assertThat(result.kind()).isEqualTo(Kind.SUCCEEDED);
        RecordedRequest received = receivedAndVerified();
        assertThat(received.getHeaders().get("webhook-signature")).startsWith("v1,").contains(" v1a,");
        WebhookVerifier byPublicKey = WebhookVerifier.builder().publicKey(pair.publicKey()).clock(clock).build();
        byPublicKey.verify(received.getHeaders().toMultimap(), received.getBody().toByteArray());
    }

    @Test
    @DisplayName("Custom headers cannot override the webhook-* headers, the content type or the user agent")
    void custom_headers_do_not_override_reserved_ones() throws Exception {
        answer(new MockResponse.Builder().code(200));

        dispatcher.deliver(request(Map.of("Webhook-Id", "evt_forged", "webhook-signature", "v1,forged",
                "Content-Type", "text/plain", "User-Agent", "spoof", "X-Kept", "yes")));

        RecordedRequest received = receivedAndVerified();
        assertThat(received.getHeaders().values("webhook-id")).containsExactly("evt_2Zq8kD1");
        assertThat(received.getHeaders().values("webhook-signature")).hasSize(1).noneMatch(s -> s.contains("forged"));
        assertThat(received.getHeaders().values("Content-Type")).containsExactly("application/json");
        assertThat(received.getHeaders().get("User-Agent")).isEqualTo("IRISX-Webhooks/1");
        assertThat(received.getHeaders().get("X-Kept")).isEqualTo("yes");
    }

    @Test
    @DisplayName("A 410 means the endpoint is gone")
    void a_410_is_gone() throws Exception {
        answer(new MockResponse.Builder().code(410).body("endpoint removed"));

        AttemptResult result = dispatcher.deliver(request(Map.of()));

        assertThat(result.kind()).isEqualTo(Kind.GONE);
        assertThat(result.retryable()).isFalse();
        assertThat(result.statusCode()).hasValue(410);
        assertThat(result.responseBody()).isEqualTo("endpoint removed");
        receivedAndVerified();
    }

    @Test
    @DisplayName("A 429 with Retry-After: 7 fails with a 7 s retry-after (RFC 9110 §10.2.3 delta-seconds)")
    void a_429_with_delta_seconds() throws Exception {
        answer(new MockResponse.Builder().code(429).setHeader("Retry-After", "7"));

        AttemptResult result = dispatcher.deliver(request(Map.of()));

        assertThat(result.kind()).isEqualTo(Kind.FAILED);
        assertThat(result.statusCode()).hasValue(429);
        assertThat(result.error()).hasValue("HTTP 429");
        assertThat(result.retryAfter()).hasValue(Duration.ofSeconds(7));
        receivedAndVerified();
    }

    @Test
    @DisplayName("A 429 with Retry-After as an HTTP-date waits until that date, by the dispatcher's clock")
    void a_429_with_an_http_date() throws Exception {
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                clock.instant().plusSeconds(120).atOffset(ZoneOffset.UTC));
        answer(new MockResponse.Builder().code(429).setHeader("Retry-After", inTwoMinutes));

        AttemptResult result = dispatcher.deliver(request(Map.of()));

        assertThat(result.kind()).isEqualTo(Kind.FAILED);
        assertThat(result.retryAfter()).hasValue(Duration.ofSeconds(120));
    }

    @Test
    @DisplayName("A 503 asking for weeks is held to the retry-after cap")
    void a_huge_retry_after_is_clamped() {
        answer(new MockResponse.Builder().code(503).setHeader("Retry-After", "2592000"));
        answer(new MockResponse.Builder().code(503).setHeader("Retry-After", "99999999999999999999999"));

        assertThat(dispatcher.deliver(request(Map.of())).retryAfter()).hasValue(Duration.ofHours(1));
        assertThat(dispatcher.deliver(request(Map.of())).retryAfter()).hasValue(Duration.ofHours(1));

        try (WebhookDispatcher capped = dispatcher().retryAfterCap(Duration.ofMinutes(10)).build()) {
            answer(new MockResponse.Builder().code(503).setHeader("Retry-After", "3600"));
            assertThat(capped.deliver(request(Map.of())).retryAfter()).hasValue(Duration.ofMinutes(10));
        }
    }

    @Test
    @DisplayName("A 503 with Retry-After: 0 is one attempt: OkHttp does not re-send it on its own")
    void a_503_asking_for_an_immediate_retry_is_not_resent() throws Exception {
        answer(new MockResponse.Builder().code(503).setHeader("Retry-After", "0"));
        answer(new MockResponse.Builder().code(200));

        AttemptResult result = dispatcher.deliver(request(Map.of()));

        assertThat(result.kind()).isEqualTo(Kind.FAILED);
        assertThat(result.statusCode()).hasValue(503);
        assertThat(result.retryAfter()).hasValue(Duration.ZERO);
        receivedAndVerified();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("A 500 fails with no retry-after; one is honoured only with 429, 502, 503 and 504")
    void a_500_fails_without_retry_after() throws Exception {
        answer(new MockResponse.Builder().code(500).body("boom"));
        answer(new MockResponse.Builder().code(500).setHeader("Retry-After", "7"));
        answer(new MockResponse.Builder().code(502).setHeader("Retry-After", "not a date"));

        AttemptResult plain = dispatcher.deliver(request(Map.of()));
        AttemptResult withHeader = dispatcher.deliver(request(Map.of()));
        AttemptResult unparsable = dispatcher.deliver(request(Map.of()));

        assertThat(plain.kind()).isEqualTo(Kind.FAILED);
        assertThat(plain.error()).hasValue("HTTP 500");
        assertThat(plain.responseBody()).isEqualTo("boom");
        assertThat(plain.retryAfter()).isEmpty();
        assertThat(withHeader.retryAfter()).isEmpty();
        assertThat(unparsable.error()).hasValue("HTTP 502");
        assertThat(unparsable.retryAfter()).isEmpty();
        receivedAndVerified();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {301, 302, 307, 308})
    @DisplayName("A redirect fails, naming its Location, and its target is never requested")
    void a_redirect_is_not_followed(int code) throws Exception {
        HttpUrl elsewhere = server.url("/elsewhere").newBuilder().host("127.0.0.1").build();
        answer(new MockResponse.Builder().code(code).setHeader("Location", elsewhere));
        answer(new MockResponse.Builder().code(200));

        AttemptResult result = dispatcher.deliver(request(Map.of()));

        assertThat(result.kind()).isEqualTo(Kind.FAILED);
        assertThat(result.statusCode()).hasValue(code);
        assertThat(result.error()).hasValue("redirect to " + elsewhere + " not followed (HTTP " + code + ")");
        receivedAndVerified();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("A receiver that answers after the call timeout fails with a timeout")
    void a_slow_receiver_times_out() {
        answer(new MockResponse.Builder().code(200).headersDelay(3, TimeUnit.SECONDS));

        try (WebhookDispatcher quick = dispatcher().callTimeout(Duration.ofMillis(300)).build()) {
            AttemptResult result = quick.deliver(request(Map.of()));

            assertThat(result.kind()).isEqualTo(Kind.FAILED);
            assertThat(result.statusCode()).isEmpty();
            assertThat(result.error()).hasValue("timeout after 300ms");
            assertThat(result.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    @DisplayName("A 200 whose body does not arrive within the call timeout is a failed attempt, not a delivery")
    void a_stalled_body_times_out() {
        answer(new MockResponse.Builder().code(200).body("late").bodyDelay(3, TimeUnit.SECONDS));

        try (WebhookDispatcher quick = dispatcher().callTimeout(Duration.ofMillis(300)).build()) {
            AttemptResult result = quick.deliver(request(Map.of()));

            assertThat(result.kind()).isEqualTo(Kind.FAILED);
            assertThat(result.statusCode()).hasValue(200);
            assertThat(result.error()).hasValue("timeout after 300ms");
        }
    }

    @Test
    @DisplayName("A closed port fails with connection refused")
    void a_closed_port_is_refused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }

        AttemptResult result = dispatcher.deliver(new WebhookRequest("http://127.0.0.1:" + port + "/hooks",
                "evt_1", BODY, List.of(secret), Map.of()));

        assertThat(result.kind()).isEqualTo(Kind.FAILED);
        assertThat(result.statusCode()).isEmpty();
        assertThat(result.error()).hasValue("connection refused");
        assertThat(result.responseBody()).isEmpty();
    }

    @Test
    @DisplayName("A name that does not resolve fails with a DNS failure")
    void an_unknown_host_fails() {
        SsrfGuard noDns = SsrfGuard.create(SsrfPolicy.defaults(), host -> {
            throw new UnknownHostException(host + ": no such host");
        });
        try (WebhookDispatcher lost = dispatcher().ssrfGuard(noDns).build()) {
            AttemptResult result = lost.deliver(new WebhookRequest("https://hooks.example.test/in", "evt_1", BODY,
                    List.of(secret), Map.of()));

            assertThat(result.kind()).isEqualTo(Kind.FAILED);
            assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).startsWith("DNS failure")
                    .contains("hooks.example.test"));
        }
    }

    @Test
    @DisplayName("A response body past 20 KiB is cut at 20 KiB, never in the middle of a character")
    void a_large_response_body_is_truncated() {
        answer(new MockResponse.Builder().code(500).body("x".repeat(30_000)));
        answer(new MockResponse.Builder().code(500).body("€".repeat(10_000)));

        AttemptResult ascii = dispatcher.deliver(request(Map.of()));
        AttemptResult euros = dispatcher.deliver(request(Map.of()));

        assertThat(ascii.responseBody()).hasSize(20 * 1024).isEqualTo("x".repeat(20 * 1024));
        // 20 480 bytes hold 6 826 three-byte euro signs and two bytes of the next, which are dropped.
        assertThat(euros.responseBody()).isEqualTo("€".repeat(6_826));
    }

    @Test
    @DisplayName("The default SSRF guard refuses 127.0.0.1 at delivery: BLOCKED, nothing sent")
    void the_default_guard_blocks_loopback() {
        answer(new MockResponse.Builder().code(200));

        try (WebhookDispatcher guarded = WebhookDispatcher.builder().clock(clock).build()) {
            AttemptResult result = guarded.deliver(request(Map.of()));

            assertThat(result.kind()).isEqualTo(Kind.BLOCKED);
            assertThat(result.retryable()).isFalse();
            assertThat(result.statusCode()).isEmpty();
            assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("loopback (127.0.0.0/8)"));
        }
        assertThat(server.getRequestCount()).isZero();

        assertThat(dispatcher.deliver(request(Map.of())).kind()).as("with 127.0.0.0/8 allowed").isEqualTo(Kind.SUCCEEDED);
    }

    @Test
    @DisplayName("An https-only guard refuses a plain http endpoint at delivery: BLOCKED, nothing sent")
    void an_https_only_guard_blocks_http() {
        SsrfGuard httpsOnly = SsrfGuard.create(SsrfPolicy.builder().allow("127.0.0.0/8").httpsOnly(true).build());
        try (WebhookDispatcher guarded = dispatcher().ssrfGuard(httpsOnly).build()) {
            AttemptResult result = guarded.deliver(request(Map.of()));

            assertThat(result.kind()).isEqualTo(Kind.BLOCKED);
            assertThat(result.error()).hasValueSatisfying(e -> assertThat(e).contains("must use https"));
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    @DisplayName("A webhook id the signer refuses is a programming error, thrown before anything is sent")
    void a_bad_webhook_id_throws() {
        WebhookRequest dotted = new WebhookRequest(url("/hooks"), "evt.1", BODY, List.of(secret), Map.of());

        assertThatThrownBy(() -> dispatcher.deliver(dotted)).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    @DisplayName("Closing leaves a client given by the host running, and a closed dispatcher delivers nothing")
    void close_respects_a_shared_client() {
        OkHttpClient shared = new OkHttpClient();
        WebhookDispatcher onShared = dispatcher().client(shared).build();
        answer(new MockResponse.Builder().code(200));
        assertThat(onShared.deliver(request(Map.of())).kind()).isEqualTo(Kind.SUCCEEDED);

        onShared.close();
        onShared.close();

        assertThat(shared.dispatcher().executorService().isShutdown()).isFalse();
        assertThatThrownBy(() -> onShared.deliver(request(Map.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        shared.dispatcher().executorService().shutdown();
    }

    @Test
    @DisplayName("Builder settings are checked at once, naming the bad value")
    void builder_checks_settings() {
        WebhookDispatcher.Builder builder = WebhookDispatcher.builder();
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> builder.callTimeout(Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("callTimeout");
        assertThatThrownBy(() -> builder.retryAfterCap(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryAfterCap");
        assertThatThrownBy(() -> builder.maxResponseBody(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxResponseBody");
        assertThatThrownBy(() -> builder.userAgent("IRISX\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userAgent");
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    }
}

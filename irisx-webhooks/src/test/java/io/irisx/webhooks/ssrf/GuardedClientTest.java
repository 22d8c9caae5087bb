package io.irisx.webhooks.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.IrisxValidationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Deliveries through an OkHttp client set up by the guard, to a real local server on 127.0.0.1. */
class GuardedClientTest {

    private static final String NAME = "hooks.example.test";

    private final MockWebServer server = new MockWebServer();
    private InetAddress loopback;

    @BeforeEach
    void start() throws IOException {
        loopback = InetAddress.getByName("127.0.0.1");
        server.start(loopback, 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static OkHttpClient client(SsrfGuard guard) {
        return guard.configure(new OkHttpClient.Builder())
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static Response post(OkHttpClient client, HttpUrl url) throws IOException {
        RequestBody body = RequestBody.create("{\"type\":\"message.sent\"}", MediaType.get("application/json"));
        return client.newCall(new Request.Builder().url(url).post(body).build()).execute();
    }

    /** The server's URL with its address as the host; MockWebServer's own URLs name it "localhost". */
    private HttpUrl byAddress(String path) {
        return server.url(path).newBuilder().host("127.0.0.1").build();
    }

    private HttpUrl byName(String path) {
        return server.url(path).newBuilder().host(NAME).build();
    }

    /** Resolves {@link #NAME} to the server's loopback address, as a hostile DNS record would. */
    private HostResolver nameToLoopback() {
        return host -> {
            if (!host.equals(NAME)) {
                throw new UnknownHostException(host);
            }
            return List.of(loopback);
        };
    }

    @Test
    @DisplayName("Without an allowlist, a delivery to 127.0.0.1 is refused before any request reaches the server")
    void a_loopback_literal_is_refused() {
        OkHttpClient client = client(SsrfGuard.create(SsrfPolicy.defaults()));
        assertThatThrownBy(() -> post(client, byAddress("/hook")))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(BlockedAddressException.findIn(e)).hasValueSatisfying(blocked -> {
                    assertThat(blocked.address()).isEqualTo(loopback);
                    assertThat(blocked.reason()).isEqualTo("loopback (127.0.0.0/8)");
                }));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    @DisplayName("Without an allowlist, a name that resolves to 127.0.0.1 is refused before any request reaches the server")
    void a_name_resolving_to_loopback_is_refused() {
        OkHttpClient client = client(SsrfGuard.create(SsrfPolicy.defaults(), nameToLoopback()));
        assertThatThrownBy(() -> post(client, byName("/hook")))
                .isInstanceOf(UnknownHostException.class)
                .satisfies(e -> assertThat(BlockedAddressException.findIn(e)).hasValueSatisfying(
                        blocked -> assertThat(blocked.host()).isEqualTo(NAME)));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    @DisplayName("An odd spelling of 127.0.0.1 in the URL is refused like the address it means")
    void an_odd_spelling_of_loopback_is_refused() {
        OkHttpClient client = client(SsrfGuard.create(SsrfPolicy.defaults()));
        for (String host : List.of("2130706433", "0x7f.0.0.1", "127.1", "0177.0.0.1")) {
            HttpUrl url = server.url("/hook").newBuilder().host(host).build();
            assertThatThrownBy(() -> post(client, url)).as(host).isInstanceOf(IOException.class)
                    .satisfies(e -> assertThat(BlockedAddressException.findIn(e)).as(host + ": " + e).isPresent());
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    @DisplayName("With 127.0.0.0/8 allowlisted, deliveries reach the server, by address and by name")
    void allowlisted_loopback_is_delivered() throws Exception {
        SsrfPolicy policy = SsrfPolicy.builder().allow("127.0.0.0/8").build();
        OkHttpClient client = client(SsrfGuard.create(policy, nameToLoopback()));
        server.enqueue(new MockResponse.Builder().code(204).build());
        server.enqueue(new MockResponse.Builder().code(204).build());

        try (Response response = post(client, byAddress("/by-address"))) {
            assertThat(response.code()).isEqualTo(204);
        }
        try (Response response = post(client, byName("/by-name"))) {
            assertThat(response.code()).isEqualTo(204);
        }
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/by-address");
        RecordedRequest byName = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(byName.getTarget()).isEqualTo("/by-name");
        assertThat(byName.getHeaders().get("Host")).isEqualTo(NAME + ":" + server.getPort());
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("A name that passed registration but rebinds to 127.0.0.1 is refused at delivery")
    void a_rebinding_name_is_refused_at_delivery() {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> lookups.getAndIncrement() == 0
                ? List.of(InetAddress.getByName("93.184.216.34"))
                : List.of(loopback);
        SsrfGuard guard = SsrfGuard.create(SsrfPolicy.defaults(), rebinding);

        HttpUrl registered = guard.validateUrl(byName("/hook").toString());
        assertThatThrownBy(() -> post(client(guard), registered))
                .satisfies(e -> assertThat(BlockedAddressException.findIn(e)).isPresent());
        assertThat(lookups).hasValueGreaterThanOrEqualTo(2);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    @DisplayName("A 302 from the endpoint is returned as it is, not followed")
    void a_redirect_is_not_followed() throws Exception {
        OkHttpClient client = client(SsrfGuard.create(SsrfPolicy.builder().allow("127.0.0.0/8").build()));
        server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", server.url("/elsewhere")).build());
        server.enqueue(new MockResponse.Builder().code(200).build());

        try (Response response = post(client, byAddress("/hook"))) {
            assertThat(response.code()).isEqualTo(302);
            assertThat(response.header("Location")).endsWith("/elsewhere");
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(client.followRedirects()).isFalse();
        assertThat(client.followSslRedirects()).isFalse();
    }

    @Test
    @DisplayName("With redirects turned back on, a redirect to a forbidden address is still refused, at the socket")
    void sockets_refuse_forbidden_addresses_whatever_produced_them() {
        SsrfGuard guard = SsrfGuard.create(SsrfPolicy.builder().allow("127.0.0.1/32").build());
        OkHttpClient client = guard.configure(new OkHttpClient.Builder()).followRedirects(true).build();
        HttpUrl elsewhere = byAddress("/elsewhere").newBuilder().host("127.0.0.2").build();
        server.enqueue(new MockResponse.Builder().code(307).setHeader("Location", elsewhere).build());

        assertThatThrownBy(() -> post(client, byAddress("/hook")))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(BlockedAddressException.findIn(e)).hasValueSatisfying(
                        blocked -> assertThat(blocked.address().getHostAddress()).isEqualTo("127.0.0.2")));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("An https-only client refuses plain http even to an allowlisted address")
    void an_https_only_client_refuses_http() {
        SsrfPolicy policy = SsrfPolicy.builder().allow("127.0.0.0/8").httpsOnly(true).build();
        OkHttpClient client = client(SsrfGuard.create(policy));
        assertThatThrownBy(() -> post(client, byAddress("/hook")))
                .isInstanceOf(IOException.class)
                .hasCauseInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("must use https");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    @DisplayName("The guarded client uses no proxy, which would resolve names past the guard")
    void the_client_uses_no_proxy() {
        OkHttpClient client = client(SsrfGuard.create(SsrfPolicy.defaults()));
        assertThat(client.proxy()).isEqualTo(java.net.Proxy.NO_PROXY);
    }
}

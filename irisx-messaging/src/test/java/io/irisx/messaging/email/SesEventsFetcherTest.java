package io.irisx.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.irisx.messaging.email.ses.SesEvents;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SesEvents.Fetcher#http}, the default fetcher of SNS certificates and subscription confirmations, against a
 * real local HTTP server (the JDK's): what it reads, and what it refuses.
 */
class SesEventsFetcherTest {

    private HttpServer server;
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final SesEvents.Fetcher fetcher = SesEvents.Fetcher.http(Duration.ofMillis(500));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requested.add(exchange.getRequestMethod() + " " + path);
            byte[] body = switch (path) {
                case "/cert.pem" -> "-----BEGIN CERTIFICATE-----".getBytes(StandardCharsets.US_ASCII);
                case "/huge" -> new byte[64 * 1024 + 1];
                default -> new byte[0];
            };
            int status = switch (path) {
                case "/cert.pem", "/huge", "/slow" -> 200;
                case "/moved" -> 302;
                default -> 404;
            };
            if (path.equals("/moved")) {
                exchange.getResponseHeaders().add("Location", "/cert.pem");
            }
            if (path.equals("/slow")) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void a_get_answered_2xx_gives_its_body() throws IOException {
        assertThat(new String(fetcher.fetch(url("/cert.pem")), StandardCharsets.US_ASCII))
                .isEqualTo("-----BEGIN CERTIFICATE-----");
        assertThat(requested).containsExactly("GET /cert.pem");
    }

    @Test
    void another_status_a_redirect_too_is_a_failure_and_no_redirect_is_followed() {
        assertThatThrownBy(() -> fetcher.fetch(url("/gone"))).isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> fetcher.fetch(url("/moved"))).isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP 302");
        assertThat(requested).containsExactly("GET /gone", "GET /moved");
    }

    @Test
    void an_answer_over_64_kib_is_refused() {
        assertThatThrownBy(() -> fetcher.fetch(url("/huge"))).isInstanceOf(IOException.class)
                .hasMessageContaining("more than 65536 bytes");
    }

    @Test
    void an_answer_slower_than_the_timeout_is_a_failure() {
        assertThatThrownBy(() -> fetcher.fetch(url("/slow"))).isInstanceOf(IOException.class);
        assertThat(fetcher.toString()).isEqualTo("Fetcher.http(PT0.5S)");
    }
}

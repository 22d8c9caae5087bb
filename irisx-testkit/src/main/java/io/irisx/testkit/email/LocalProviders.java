package io.irisx.testkit.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.messaging.email.postmark.PostmarkProvider;
import io.irisx.messaging.email.resend.ResendProvider;
import io.irisx.messaging.email.spi.EmailProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Two provider servers on loopback for the sender's tests, each speaking its provider's documented API and able to
 * go down or refuse on demand:
 * <ul>
 *   <li>Resend (resend.com/docs/api-reference/emails/send-email, resend.com/docs/api-reference/errors): POST
 *       {@code /emails} with a Bearer key, answering {@code {"id"}}; an {@code Idempotency-Key} seen before answers
 *       the first response again and sends nothing (resend.com/docs/dashboard/emails/idempotency-keys);</li>
 *   <li>Postmark (postmarkapp.com/developer/api/email-api, postmarkapp.com/developer/api/overview#error-codes): POST
 *       {@code /email} with {@code X-Postmark-Server-Token}, answering {@code {"MessageID","ErrorCode":0}}.</li>
 * </ul>
 */
final class LocalProviders implements AutoCloseable {

    /** How a server answers. */
    enum Mode {
        /** It sends. */
        UP,
        /** It fails on its side: retryable. */
        DOWN,
        /** It refuses the sender: permanent. */
        REFUSING
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final Server resend = new Server("resend");
    final Server postmark = new Server("postmark");

    /** The Resend provider, pointed at its server. */
    EmailProvider resendProvider() {
        return ResendProvider.builder("re_test_key").baseUrl(resend.web.url("/").toString())
                .timeout(Duration.ofSeconds(2)).build();
    }

    /** The Postmark provider, pointed at its server. */
    EmailProvider postmarkProvider() {
        return PostmarkProvider.builder("pm-test-token").baseUrl(postmark.web.url("/").toString())
                .timeout(Duration.ofSeconds(2)).build();
    }

    @Override
    public void close() {
        resend.web.close();
        postmark.web.close();
    }

    /** One provider's server: its mode, every request it got, and the emails it actually sent. */
    static final class Server extends Dispatcher {
        final MockWebServer web = new MockWebServer();
        final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
        final AtomicInteger sent = new AtomicInteger();
        private final String kind;
        private final Map<String, String> idempotent = new ConcurrentHashMap<>();
        volatile Mode mode = Mode.UP;

        Server(String kind) {
            this.kind = kind;
            web.setDispatcher(this);
            try {
                web.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            return kind.equals("resend") ? resend(request) : postmark(request);
        }

        private MockResponse resend(RecordedRequest request) {
            switch (mode) {
                case DOWN:
                    return json(500, "{\"statusCode\":500,\"name\":\"application_error\","
                            + "\"message\":\"An unexpected error occurred.\"}");
                case REFUSING:
                    return json(403, "{\"statusCode\":403,\"name\":\"validation_error\","
                            + "\"message\":\"The acme.example domain is not verified.\"}");
                default:
                    String key = request.getHeaders().get("Idempotency-Key");
                    String id = key == null ? newId() : idempotent.computeIfAbsent(key, k -> newId());
                    return json(200, "{\"id\":\"" + id + "\"}");
            }
        }

        private String newId() {
            return "re_" + sent.incrementAndGet();
        }

        private MockResponse postmark(RecordedRequest request) {
            switch (mode) {
                case DOWN:
                    return json(500, "{\"ErrorCode\":500,\"Message\":\"Internal server error\"}");
                case REFUSING:
                    return json(422, "{\"ErrorCode\":400,\"Message\":\"The 'From' address you supplied "
                            + "(billing@acme.example) is not a Sender Signature on your account.\"}");
                default:
                    JsonNode body = read(request);
                    return json(200, "{\"To\":" + JSON.valueToTree(body.path("To").asText()) + ",\"SubmittedAt\":"
                            + "\"2030-01-01T00:00:00Z\",\"MessageID\":\"pm-" + sent.incrementAndGet()
                            + "\",\"ErrorCode\":0,\"Message\":\"OK\"}");
            }
        }

        private static JsonNode read(RecordedRequest request) {
            try {
                return JSON.readTree(request.getBody().utf8());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static MockResponse json(int code, String body) {
            return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
        }
    }
}

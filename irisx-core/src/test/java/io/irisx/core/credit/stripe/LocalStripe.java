package io.irisx.core.credit.stripe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.irisx.core.callback.CallbackRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server speaking the part of Stripe's API that top-ups use, on loopback; thread-safe. Its
 * {@code POST /v1/payment_intents} takes Stripe's form-encoded parameters and answers a PaymentIntent object as JSON
 * with a {@code Request-Id} header, as https://docs.stripe.com/api/payment_intents/create and
 * https://docs.stripe.com/api/payment_intents/object describe; the same {@code Idempotency-Key} answers the same
 * PaymentIntent, as https://docs.stripe.com/api/idempotent_requests says. A queued failure is answered instead, with
 * Stripe's error object (https://docs.stripe.com/api/errors).
 */
final class LocalStripe implements AutoCloseable {

    /** A request as received. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse("");
        }

        Map<String, List<String>> form() {
            return CallbackRequest.form(body);
        }
    }

    /** A failure to answer with. */
    record Failure(int status, String type, String code, String message) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Failure> failures = new ConcurrentLinkedDeque<>();
    private final Map<String, String> byIdempotencyKey = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();

    LocalStripe() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to give {@code StripePayments.Builder.apiBase}. */
    String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The requests received so far, in order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** Answers the next request with {@code failure}. */
    void failNext(Failure failure) {
        failures.add(failure);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body);
        received.add(request);
        String requestId = "req_" + Integer.toHexString(received.size()) + "LocalStripe";
        exchange.getResponseHeaders().add("Request-Id", requestId);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        Failure failure = failures.poll();
        if (failure != null) {
            respond(exchange, failure.status(), "{\"error\":{\"type\":\"" + failure.type() + "\",\"code\":\""
                    + failure.code() + "\",\"message\":\"" + failure.message() + "\",\"request_log_url\":"
                    + "\"https://dashboard.stripe.com/test/logs/" + requestId + "\"}}");
            return;
        }
        if (!request.method().equals("POST") || !request.path().equals("/v1/payment_intents")) {
            respond(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request"
                    + " URL (" + request.method() + ": " + request.path() + ").\"}}");
            return;
        }
        Map<String, List<String>> form = request.form();
        String key = request.header("Idempotency-Key");
        String id = byIdempotencyKey.computeIfAbsent(key.isEmpty() ? "none-" + created.get() : key,
                k -> "pi_3LocalStripe" + created.incrementAndGet() + "x");
        String tenant = form.getOrDefault("metadata[irisx_tenant]", List.of("")).get(0);
        respond(exchange, 200, "{\n  \"id\": \"" + id + "\",\n  \"object\": \"payment_intent\",\n  \"amount\": "
                + form.get("amount").get(0) + ",\n  \"amount_capturable\": 0,\n  \"amount_received\": 0,\n"
                + "  \"automatic_payment_methods\": {\"allow_redirects\": \"always\", \"enabled\": true},\n"
                + "  \"capture_method\": \"automatic\",\n  \"client_secret\": \"" + id + "_secret_Yr4kJUKribcBjcG8\",\n"
                + "  \"confirmation_method\": \"automatic\",\n  \"created\": 1680800504,\n  \"currency\": \""
                + form.get("currency").get(0) + "\",\n  \"description\": \"" + form.get("description").get(0)
                + "\",\n  \"livemode\": false,\n  \"metadata\": {\"irisx_tenant\": \"" + tenant + "\"},\n"
                + "  \"payment_method_types\": [\"card\", \"link\"],\n  \"status\": \"requires_payment_method\"\n}");
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

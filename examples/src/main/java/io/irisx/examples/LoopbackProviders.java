package io.irisx.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Two email providers' APIs on loopback, so that the quickstart sends real HTTP requests with nothing but the JVM:
 * Resend's ({@code POST /resend/emails}), answering as Resend does when it fails on its side (500,
 * {@code {"statusCode":500,"name":"application_error",…}}), and Postmark's ({@code POST /postmark/email}), accepting
 * each email with a new {@code MessageID} as Postmark does. Each request is reported.
 */
final class LoopbackProviders implements AutoCloseable {

    private final HttpServer server;
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();

    private LoopbackProviders(HttpServer server) {
        this.server = server;
    }

    /** Both APIs on a free port of 127.0.0.1. */
    static LoopbackProviders start() {
        try {
            LoopbackProviders providers = new LoopbackProviders(HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0));
            providers.server.createContext("/resend/emails", exchange -> providers.answer(exchange, 500,
                    "{\"statusCode\":500,\"name\":\"application_error\",\"message\":\"An unexpected error occurred.\"}"));
            providers.server.createContext("/postmark/email", exchange -> providers.answer(exchange, 200,
                    "{\"To\":\"\",\"SubmittedAt\":\"2030-01-01T00:00:00Z\",\"MessageID\":\"" + UUID.randomUUID()
                            + "\",\"ErrorCode\":0,\"Message\":\"OK\"}"));
            providers.server.start();
            return providers;
        } catch (IOException e) {
            throw new UncheckedIOException("starting the loopback providers failed", e);
        }
    }

    /** The base URL of the Resend API here. */
    String resendUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/resend";
    }

    /** The base URL of the Postmark API here. */
    String postmarkUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/postmark";
    }

    /** The requests received so far, described, and forgets them. */
    java.util.List<String> drain() {
        java.util.List<String> drained = new java.util.ArrayList<>();
        requests.drainTo(drained);
        return drained;
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " -> " + status);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

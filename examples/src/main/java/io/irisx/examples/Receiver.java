package io.irisx.examples;

import com.sun.net.httpserver.HttpServer;
import io.irisx.webhooks.signing.WebhookHeaders;
import io.irisx.webhooks.signing.WebhookVerificationException;
import io.irisx.webhooks.signing.WebhookVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on loopback, as the host's customer runs one: it verifies each webhook with a
 * {@link WebhookVerifier}, answers 204 when it is valid and 400 when it is not, and reports what it got.
 */
final class Receiver implements AutoCloseable {

    private final HttpServer server;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private volatile WebhookVerifier verifier;

    private Receiver(HttpServer server) {
        this.server = server;
    }

    /** A receiver listening on a free port of 127.0.0.1. */
    static Receiver start() {
        try {
            Receiver receiver = new Receiver(HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0));
            receiver.server.createContext("/webhooks", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String id = exchange.getRequestHeaders().getFirst(WebhookHeaders.ID);
                    try {
                        receiver.verifier.verify(exchange.getRequestHeaders(), body);
                        exchange.sendResponseHeaders(204, -1);
                        receiver.received.add("verified webhook " + id + " "
                                + new String(body, StandardCharsets.UTF_8));
                    } catch (WebhookVerificationException e) {
                        exchange.sendResponseHeaders(400, -1);
                        receiver.received.add("refused webhook " + id + ": " + e.getMessage());
                    }
                }
            });
            receiver.server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("starting the receiver on loopback failed", e);
        }
    }

    /** Where webhooks are posted. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
    }

    /** Checks the webhooks that arrive from now on with {@code verifier}. */
    void verifyWith(WebhookVerifier verifier) {
        this.verifier = verifier;
    }

    /** What the next webhook came to, waiting up to {@code timeout}. */
    String next(Duration timeout) {
        try {
            String next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return next == null ? "nothing arrived within " + timeout : next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a webhook", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

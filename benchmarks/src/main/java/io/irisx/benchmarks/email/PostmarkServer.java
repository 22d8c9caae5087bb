package io.irisx.benchmarks.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.irisx.benchmarks.Arrivals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local Postmark of the send benchmark: the JDK's HTTP server on 127.0.0.1 answering {@code POST /email} as
 * Postmark's Email API does (postmarkapp.com/developer/api/email-api), at once: with the right
 * {@code X-Postmark-Server-Token}, 200 and {@code {"To","SubmittedAt","MessageID","ErrorCode":0,"Message":"OK"}}, the
 * {@code To} read back from the request; without it, 401 and ErrorCode 10. Counts the emails it accepted. Thread-safe.
 */
final class PostmarkServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK's server writes the headers and the body of an answer apart; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK of the headers, some 40 ms: no real provider answers that slowly.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final String token;
    private final Arrivals accepted = new Arrivals("emails");

    private PostmarkServer(HttpServer server, ExecutorService threads, String token) {
        this.server = server;
        this.threads = threads;
        this.token = token;
    }

    /** A server on a free port of 127.0.0.1 that accepts {@code token}, handling requests on {@code threads} threads. */
    static PostmarkServer start(String token, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        PostmarkServer postmark = new PostmarkServer(server, pool, token);
        server.createContext("/email", postmark::handle);
        server.setExecutor(pool);
        server.start();
        return postmark;
    }

    /** The base URL to give the provider, which posts to {@code <baseUrl>/email}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode email;
        try (InputStream body = exchange.getRequestBody()) {
            email = JSON.readTree(body);
        }
        if (!"POST".equals(exchange.getRequestMethod())
                || !token.equals(exchange.getRequestHeaders().getFirst("X-Postmark-Server-Token"))) {
            answer(exchange, 401, "{\"ErrorCode\":10,\"Message\":\"No Account or Server API tokens were supplied in"
                    + " the HTTP headers. Please add a header for either X-Postmark-Server-Token or"
                    + " X-Postmark-Account-Token.\"}");
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String answer = "{\"To\":" + JSON.writeValueAsString(email.path("To").asText()) + ",\"SubmittedAt\":\""
                + Instant.now() + "\",\"MessageID\":\"" + new UUID(random.nextLong(), random.nextLong())
                + "\",\"ErrorCode\":0,\"Message\":\"OK\"}";
        // Counted before answering, so that a sender who has its answer finds it counted.
        accepted.add();
        answer(exchange, 200, answer);
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Forgets every email accepted, before a new round. */
    void reset() {
        accepted.reset();
    }

    /** Fails the round unless it accepted exactly {@code count} emails since the last {@link #reset()}. */
    void checkAccepted(int count) {
        accepted.checkExactly(count);
    }

    /** Waits until it has accepted {@code count} emails since the last {@link #reset()}. */
    void await(int count, Duration timeout) throws InterruptedException {
        accepted.await(count, timeout);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

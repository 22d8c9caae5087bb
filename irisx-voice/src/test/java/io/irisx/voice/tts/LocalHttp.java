package io.irisx.voice.tts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A provider's HTTP API on loopback, a JDK {@link HttpServer}: each request is kept as it arrived and answered with
 * the next answer the test queued (404 when none is). Thread-safe.
 */
public final class LocalHttp implements AutoCloseable {

    /**
     * A request as the server received it.
     *
     * @param method the HTTP method
     * @param path the path, without the query
     * @param query the raw query, or null
     * @param headers the headers, names in any case
     * @param body the body
     */
    public record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        /** The body as UTF-8. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * An answer to send.
     *
     * @param status the HTTP status
     * @param headers its headers
     * @param body its body
     */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        /** A JSON answer. */
        public static Answer json(int status, String json) {
            return new Answer(status, Map.of("Content-Type", "application/json"),
                    json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    /** Starts the server on an ephemeral loopback port. */
    public LocalHttp() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** The server's base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Queues {@code answer} for the next request. */
    public void answer(Answer answer) {
        answers.add(answer);
    }

    /** The requests received, in order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The only request received. */
    public Received only() {
        if (received.size() != 1) {
            throw new AssertionError("expected one request, received " + received.size());
        }
        return received.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                List.copyOf(values)));
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body));
        Answer answer = answers.poll();
        if (answer == null) {
            answer = Answer.json(404, "{\"message\":\"no answer queued\"}");
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        exchange.getResponseBody().write(answer.body());
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

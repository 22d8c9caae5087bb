package io.irisx.benchmarks.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.irisx.webhooks.signing.WebhookHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local webhook receiver of the delivery benchmark: the JDK's HTTP server on 127.0.0.1, answering every POST
 * with 204 once it has read the body, and noting when each {@code webhook-id} first arrived. Thread-safe.
 */
final class Receiver implements AutoCloseable {

    private static final String PATH = "/webhooks";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final Object arrived = new Object();

    private Receiver(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** A receiver listening on a free port of 127.0.0.1, handling requests on {@code threads} threads. */
    static Receiver start(int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Receiver receiver = new Receiver(server, pool);
        server.createContext(PATH, receiver::handle);
        server.setExecutor(pool);
        server.start();
        return receiver;
    }

    /** The URL webhooks are posted to. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        long now = System.nanoTime();
        String id = exchange.getRequestHeaders().getFirst(WebhookHeaders.ID);
        // Noted before answering, so that a sender who has its answer finds its arrival.
        if (id != null && arrivals.putIfAbsent(id, now) == null) {
            synchronized (arrived) {
                arrived.notifyAll();
            }
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /** Forgets every arrival, before a new round. */
    void reset() {
        arrivals.clear();
    }

    /** How many distinct webhook ids arrived since the last {@link #reset()}. */
    int count() {
        return arrivals.size();
    }

    /** When ({@link System#nanoTime()}) the webhook {@code id} first arrived; fails if it has not. */
    long arrivalOf(String id) {
        Long at = arrivals.get(id);
        if (at == null) {
            throw new IllegalStateException("webhook " + id + " never arrived");
        }
        return at;
    }

    /** Waits until {@code count} distinct webhook ids have arrived since the last {@link #reset()}. */
    void await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (arrived) {
            while (arrivals.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("only " + arrivals.size() + " of " + count
                            + " webhooks arrived within " + timeout);
                }
                arrived.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

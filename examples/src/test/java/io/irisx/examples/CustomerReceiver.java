package io.irisx.examples;

import io.irisx.examples.readme.ReceivedWebhook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;

/**
 * A tenant's customer's webhook receiver on loopback: it answers 204 to every request and keeps each one; thread-safe.
 * As a {@link ReceivedWebhook}, it is the first webhook it got, once it has got {@code expected} (its headers and body
 * wait for them): what the README's front door checks at the customer's receiver.
 */
final class CustomerReceiver extends Dispatcher implements ReceivedWebhook, AutoCloseable {

    private final MockWebServer web = new MockWebServer();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final int expected;
    private final Duration timeout;
    private final AtomicBoolean headersRead = new AtomicBoolean();
    private final AtomicBoolean bodyRead = new AtomicBoolean();

    private CustomerReceiver(int expected, Duration timeout) {
        this.expected = expected;
        this.timeout = timeout;
        web.setDispatcher(this);
        try {
            web.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the receiver on loopback failed", e);
        }
    }

    /** A receiver on a free port of 127.0.0.1 that waits, when read, for {@code expected} webhooks. */
    static CustomerReceiver expecting(int expected, Duration timeout) {
        return new CustomerReceiver(expected, timeout);
    }

    /** Where webhooks are posted. */
    String url() {
        return web.url("/webhooks").newBuilder().host("127.0.0.1").build().toString();
    }

    /** The requests received, in order, after waiting for {@code count} of them. */
    List<RecordedRequest> await(int count) {
        Awaitility.await("webhooks at the receiver").atMost(timeout).until(() -> requests.size() >= count);
        return List.copyOf(requests);
    }

    /** Whether a caller read both the headers and the body of the webhook it stands for. */
    boolean wasRead() {
        return headersRead.get() && bodyRead.get();
    }

    @Override
    public Map<String, List<String>> headers() {
        headersRead.set(true);
        return await(expected).get(0).getHeaders().toMultimap();
    }

    @Override
    public byte[] body() {
        bodyRead.set(true);
        return await(expected).get(0).getBody().toByteArray();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        return new MockResponse.Builder().code(204).build();
    }

    @Override
    public void close() {
        web.close();
    }
}

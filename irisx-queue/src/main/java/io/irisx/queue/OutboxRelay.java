package io.irisx.queue;

import io.irisx.core.Channel;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.OutboxStore;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay of one {@link JetStreamOutbox}: threads that move committed outbox records to their channel's stream,
 * a batch at a time, with asynchronous publishes whose acknowledgements they await before the records are marked
 * published. With a backlog, the threads work on different batches at once (each skips the rows the others hold), so
 * one batch's database writes overlap another's publishing. Thread-safe.
 */
final class OutboxRelay implements OutboxStore.Relay {

    /** Header naming the message a stream message carries work for. */
    static final String MESSAGE_ID = "Irisx-Message-Id";
    /** Header naming the message's tenant. */
    static final String TENANT = "Irisx-Tenant";
    /** Header set when the payload was too large for the server and stays in the outbox table only. */
    static final String PAYLOAD_OMITTED = "Irisx-Payload-Omitted";

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    /** Room left in the server's max payload for headers. */
    private static final int HEADER_ROOM = 4096;

    private final Connection connection;
    private final JetStream jetStream;
    private final Map<Channel, StreamSettings> streams;
    private final int batchSize;
    private final Duration interval;
    private final List<Thread> threads = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean wakeRequested; // guarded by lock
    private volatile boolean running = true;
    private volatile OutboxStore store;

    OutboxRelay(Connection connection, Map<Channel, StreamSettings> streams, int batchSize, Duration interval,
            int threadCount, String instance) {
        this.connection = connection;
        try {
            this.jetStream = connection.jetStream();
        } catch (IOException e) {
            throw new IllegalStateException("JetStream is not available on " + connection.getConnectedUrl(), e);
        }
        this.streams = streams;
        this.batchSize = batchSize;
        this.interval = interval;
        for (int i = 1; i <= threadCount; i++) {
            Thread thread = new Thread(this::loop, "irisx-outbox-" + instance + "-relay-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    void start(OutboxStore store) {
        this.store = store;
        threads.forEach(Thread::start);
    }

    /** Makes the relay look for records now rather than after its interval. */
    void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        boolean failing = false;
        while (running) {
            int found = 0;
            try {
                found = store.relay(batchSize, this);
                if (failing) {
                    failing = false;
                    log.info("irisx outbox relay: publishing to JetStream works again");
                }
            } catch (RuntimeException e) {
                // The broker or the database may be away for a while: the records stay unpublished meanwhile.
                if (!failing) {
                    failing = true;
                    log.warn("irisx outbox relay: publishing failed; the records wait in the outbox table and are"
                            + " retried every {}: {}", interval, e.toString());
                } else {
                    log.debug("irisx outbox relay: publishing failed again: {}", e.toString());
                }
            }
            if (found < batchSize || failing) {
                awaitWake();
            }
        }
    }

    @Override
    public Set<MessageId> publish(List<OutboxStore.Unpublished> batch) throws InterruptedException {
        long maxBody = connection.getMaxPayload() - HEADER_ROOM;
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(batch.size());
        for (OutboxStore.Unpublished record : batch) {
            Headers headers = new Headers()
                    .put(MESSAGE_ID, record.envelope().id().value())
                    .put(TENANT, record.envelope().tenant().value());
            byte[] body = record.envelope().payload().getBytes(StandardCharsets.UTF_8);
            if (body.length > maxBody) {
                headers.put(PAYLOAD_OMITTED, "true");
                body = new byte[0];
            }
            StreamSettings stream = streams.get(record.envelope().channel());
            PublishOptions options = PublishOptions.builder()
                    .messageId(record.publicationId())
                    .expectedStream(stream.name())
                    .build();
            acks.add(jetStream.publishAsync(stream.outboxSubject(), headers, body, options));
        }
        Set<MessageId> published = new HashSet<>();
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        Exception firstFailure = null;
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                published.add(batch.get(i).envelope().id());
            } catch (ExecutionException | TimeoutException e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (published.isEmpty() && firstFailure != null) {
            throw new IllegalStateException("JetStream acknowledged none of " + batch.size() + " record(s): "
                    + (firstFailure.getCause() == null ? firstFailure : firstFailure.getCause()), firstFailure);
        }
        if (firstFailure != null) {
            log.debug("irisx outbox relay: {} of {} record(s) not acknowledged; they go again next pass: {}",
                    batch.size() - published.size(), batch.size(), firstFailure.toString());
        }
        return published;
    }

    private void awaitWake() {
        lock.lock();
        try {
            long nanos = interval.toNanos();
            while (!wakeRequested && running && nanos > 0) {
                nanos = wakeUp.awaitNanos(nanos);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the relay after its current pass, then publishes what is left (for up to 10 s) while the broker is there. */
    void close() {
        running = false;
        wake();
        try {
            for (Thread thread : threads) {
                thread.join(ACK_TIMEOUT.toMillis() * 2);
            }
            long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
            while (store != null && connection.getStatus() == Connection.Status.CONNECTED
                    && store.relay(batchSize, this) == batchSize && System.nanoTime() < deadline) {
                log.debug("irisx outbox relay: flushing before closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("irisx outbox relay: the last pass before closing failed; the records wait for the next relay:"
                    + " {}", e.toString());
        }
    }
}

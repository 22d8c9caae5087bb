package io.irisx.queue;

import io.irisx.core.Channel;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.spi.OutboxRelayStore;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * a batch at a time, with asynchronous publishes whose acknowledgements they await before the records' marks as
 * published are committed (the store writes the marks while the stream works). With a backlog, the threads work on
 * different batches at once (each skips the rows the others hold), so one batch's database writes overlap another's
 * publishing. Thread-safe.
 *
 * <p>Records this process committed itself are named to the relay ({@link #committed(MessageId)}), which fetches
 * them by primary key. The first thread alone takes them: what is named while it relays one batch goes in its next,
 * so batches grow with the load rather than each thread relaying one or two records a transaction. Every
 * {@code interval} one of the other threads (the first, when it is the only one) sweeps the table for whatever else
 * is unpublished (records committed in callers' own transactions, by other processes, or whose relaying failed): the
 * sweep reads the unpublished table's index, whose entries for records published since stay until the table is
 * vacuumed, so running it for every send would make each send cost more the more sends came before.
 */
final class OutboxRelay implements OutboxRelayStore.Relay {

    /** Header set when the payload was too large for the server and stays in the outbox table only. */
    static final String PAYLOAD_OMITTED = "Irisx-Payload-Omitted";

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    /** Ids of committed records held for the relay at most, per batch; beyond that the sweep finds them. */
    private static final int COMMITTED_PER_BATCH = 4;
    /** Room left in the server's max payload for headers. */
    private static final int HEADER_ROOM = 4096;

    private final Connection connection;
    private final JetStream jetStream;
    private final ChannelStreams streams;
    private final int batchSize;
    private final Duration interval;
    private final List<Thread> threads = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled for every thread: a sweep is due now, a backlog began, or the relay closes. */
    private final Condition wakeUp = lock.newCondition();
    /**
     * Signalled for the first thread, which alone takes the records named to the relay; it sweeps only during a
     * backlog, unless it is the only thread, so that a sweep never holds up a record named.
     */
    private final Condition named = lock.newCondition();
    private final BlockingQueue<MessageId> committed;
    private long nextSweep = System.nanoTime(); // guarded by lock
    /** Set while sweeps find full batches: every thread sweeps then, each taking a batch the others do not hold. */
    private boolean backlog; // guarded by lock
    private volatile boolean running = true;
    private volatile OutboxRelayStore store;

    OutboxRelay(Connection connection, ChannelStreams streams, int batchSize, Duration interval,
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
        this.committed = new ArrayBlockingQueue<>(batchSize * COMMITTED_PER_BATCH);
        for (int i = 1; i <= threadCount; i++) {
            boolean takesNamed = i == 1;
            boolean sweeps = i > 1 || threadCount == 1;
            Thread thread = new Thread(() -> loop(takesNamed, sweeps), "irisx-outbox-" + instance + "-relay-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    void start(OutboxRelayStore store) {
        this.store = store;
        threads.forEach(Thread::start);
    }

    /** Makes the relay sweep the table for unpublished records now rather than after its interval. */
    void wake() {
        lock.lock();
        try {
            nextSweep = System.nanoTime();
            wakeUp.signalAll();
            named.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Tells the relay of a record just committed, for it to publish at once. */
    void committed(MessageId id) {
        // When the relay is that far behind (the broker is away), the sweep finds the record instead.
        if (committed.offer(id)) {
            lock.lock();
            try {
                named.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * One relay thread: it takes the records named to the relay ({@code takesNamed}), or it {@code sweeps} when a
     * sweep is due; or both. During a backlog every thread sweeps.
     */
    private void loop(boolean takesNamed, boolean sweeps) {
        boolean failing = false;
        while (running) {
            boolean more = false;
            try {
                List<MessageId> ids = new ArrayList<>();
                if (takesNamed) {
                    committed.drainTo(ids, batchSize);
                }
                if (!ids.isEmpty()) {
                    store.relay(ids, this);
                    more = true;
                } else if (sweepDue(sweeps)) {
                    backlog(store.relay(batchSize, this) == batchSize);
                }
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
            if (failing) {
                pause();
            } else if (!more) {
                awaitWork(takesNamed, sweeps);
            }
        }
    }

    /**
     * True when this thread is to sweep: during a backlog, or when a sweep is due and it {@code sweeps} (the next one
     * is then due an interval later).
     */
    private boolean sweepDue(boolean sweeps) {
        lock.lock();
        try {
            if (backlog) {
                return true;
            }
            if (!sweeps) {
                return false;
            }
            long now = System.nanoTime();
            if (now - nextSweep < 0) {
                return false;
            }
            nextSweep = now + interval.toNanos();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Starts a backlog (waking every thread) when a sweep found a full batch, and ends it when one did not. */
    private void backlog(boolean full) {
        lock.lock();
        try {
            if (full && !backlog) {
                wakeUp.signalAll();
                named.signal();
            }
            backlog = full;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a backlog, and for a record named to the relay or the next sweep, as the thread takes the one
     * ({@code takesNamed}) or {@code sweeps}.
     */
    private void awaitWork(boolean takesNamed, boolean sweeps) {
        lock.lock();
        try {
            while (running && !(takesNamed && !committed.isEmpty()) && !backlog) {
                long nanos = sweeps ? nextSweep - System.nanoTime() : interval.toNanos();
                if (nanos <= 0) {
                    return;
                }
                (takesNamed ? named : wakeUp).awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits an interval after a failure (or until closed). */
    private void pause() {
        lock.lock();
        try {
            long nanos = interval.toNanos();
            while (running && nanos > 0) {
                nanos = wakeUp.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publishes each record with its publication id as {@code Nats-Msg-Id}, its one header but for a payload
     * omitted (a worker finds the message id there, and everything else in the table); an acknowledgement from
     * another stream than the channel's (one that took over its subject) does not count, as the channel's workers
     * would never see the message. A channel's stream is set up before its first record goes; the records of a
     * channel whose stream cannot be set up stay unpublished.
     */
    @Override
    public OutboxRelayStore.Acknowledgements publish(List<OutboxRelayStore.Unpublished> batch) {
        long maxBody = connection.getMaxPayload() - HEADER_ROOM;
        Map<Channel, RuntimeException> unavailable = new EnumMap<>(Channel.class);
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>(batch.size());
        for (OutboxRelayStore.Unpublished record : batch) {
            Channel channel = record.envelope().channel();
            RuntimeException setUp = setUp(channel, unavailable);
            if (setUp != null) {
                acks.add(CompletableFuture.failedFuture(setUp));
                continue;
            }
            Headers headers = null;
            byte[] body = record.envelope().payload().getBytes(StandardCharsets.UTF_8);
            if (body.length > maxBody) {
                headers = new Headers().put(PAYLOAD_OMITTED, "true");
                body = new byte[0];
            }
            StreamSettings stream = streams.settings(channel);
            PublishOptions options = PublishOptions.builder().messageId(record.publicationId()).build();
            acks.add(jetStream.publishAsync(stream.outboxSubject(), headers, body, options)
                    .thenApply(ack -> fromStream(ack, stream.name())));
        }
        return () -> await(batch, acks);
    }

    /** Sets up the stream of {@code channel} unless it is; the failure, once per batch and channel, else null. */
    private RuntimeException setUp(Channel channel, Map<Channel, RuntimeException> unavailable) {
        if (unavailable.containsKey(channel)) {
            return unavailable.get(channel);
        }
        try {
            streams.ensure(channel);
            return null;
        } catch (RuntimeException e) {
            unavailable.put(channel, e);
            return e;
        }
    }

    private static PublishAck fromStream(PublishAck ack, String stream) {
        if (!stream.equals(ack.getStream())) {
            throw new IllegalStateException("stream " + ack.getStream() + " acknowledged a message for stream " + stream
                    + ", whose subject it holds, so the outbox's workers would not see it");
        }
        return ack;
    }

    /**
     * Waits (up to the ack timeout) for the acknowledgements of a batch sent; fails when none came. The stream of a
     * channel whose records failed is looked at again before its next record goes (it may be gone).
     */
    private Set<MessageId> await(List<OutboxRelayStore.Unpublished> batch, List<CompletableFuture<PublishAck>> acks)
            throws InterruptedException {
        Set<MessageId> published = new HashSet<>();
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        Exception firstFailure = null;
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                published.add(batch.get(i).envelope().id());
            } catch (ExecutionException | TimeoutException e) {
                streams.invalidate(batch.get(i).envelope().channel());
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

package io.irisx.queue;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Claim;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.spi.OutboxClaims;
import io.irisx.core.outbox.spi.OutboxOutcomes;
import io.irisx.core.outbox.spi.OutboxRelayStore;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsJetStreamConstants;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim stage of a {@link StreamWorker}: one thread claims the records of the messages its fetcher pulled, those
 * that arrived together in one transaction, before any handler thread sees them, so that handler threads never wait
 * for a claim's commit. Claimed messages go to the worker's handlers; every other is answered here (held back,
 * acknowledged, terminated). Thread-safe.
 */
final class StreamClaims {

    private static final Logger log = LoggerFactory.getLogger(StreamClaims.class);
    /** The most messages claimed in one transaction. */
    private static final int MAX_BATCH = 256;

    /** What the worker does with what this stage found. */
    interface Sink {
        /** Hands a claimed message, claimed at {@code claimedAt} ({@link System#nanoTime()}), to a handler. */
        void handle(Delivered message, Claim claim, long claimedAt);

        /** Says that a message was answered here and needs no handler. */
        void answered(Delivered message);
    }

    private final OutboxClaims claims;
    private final OutboxOutcomes outcomes;
    private final ConsumeOptions options;
    private final String owner;
    private final String subject;
    private final Clock clock;
    private final Function<Instant, Duration> until;
    private final Sink sink;
    private final BlockingQueue<Delivered> pulled = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param subject the subject the messages come from, as logged
     * @param until how long the broker should hold a message back, to be delivered again at an instant
     */
    StreamClaims(OutboxClaims claims, OutboxOutcomes outcomes, ConsumeOptions options, String owner, String subject,
            Clock clock, Function<Instant, Duration> until, Sink sink, ThreadFactory threads) {
        this.claims = claims;
        this.outcomes = outcomes;
        this.options = options;
        this.owner = owner;
        this.subject = subject;
        this.clock = clock;
        this.until = until;
        this.sink = sink;
        this.thread = threads.newThread(this::claimLoop);
    }

    void start() {
        thread.start();
    }

    /** Queues a pulled message for the next claim. */
    void add(Delivered message) {
        pulled.add(message);
    }

    /** Claims what is queued still, then stops; the worker's fetcher has stopped already. */
    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    private void claimLoop() {
        List<Delivered> batch = new ArrayList<>();
        while (running || !pulled.isEmpty()) {
            try {
                Delivered first = pulled.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                pulled.drainTo(batch, MAX_BATCH - 1);
                claim(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("irisx outbox: claiming messages of {} failed unexpectedly: {}", subject, e.toString(), e);
            }
        }
    }

    private void claim(List<Delivered> batch) {
        Map<Delivered, MessageId> ids = new LinkedHashMap<>();
        for (Delivered message : batch) {
            MessageId id = messageId(message);
            if (id != null) {
                ids.put(message, id);
            }
        }
        long claimedAt = System.nanoTime();
        Map<MessageId, OutboxClaims.Take> takes;
        try {
            takes = claims.claim(new LinkedHashSet<>(ids.values()), owner, options.claimTimeout().toMillis(),
                    options.retryPolicy().maxAttempts());
        } catch (RuntimeException e) {
            log.warn("irisx outbox: claiming {} message(s) of {} failed; they come back in {}: {}", ids.size(),
                    subject, options.claimTimeout(), e.toString());
            ids.keySet().forEach(message -> {
                message.nakWithDelay(options.claimTimeout());
                sink.answered(message);
            });
            return;
        }
        // A message delivered twice in one batch is claimed once; the other delivery finds it held.
        Set<MessageId> given = new HashSet<>();
        Instant heldUntil = clock.instant().plus(options.claimTimeout());
        ids.forEach((message, id) -> answer(message, id,
                given.add(id) ? takes.get(id) : new OutboxClaims.Held(heldUntil), claimedAt));
    }

    /** The message's record id; null when it carries none, after terminating it (nothing says what to do with it). */
    private MessageId messageId(Delivered message) {
        Headers headers = message.message().getHeaders();
        try {
            return OutboxRelayStore.Unpublished.messageId(headers == null ? null
                    : headers.getFirst(NatsJetStreamConstants.MSG_ID_HDR));
        } catch (IrisxValidationException e) {
            log.warn("irisx outbox: a message on {} carries no valid {} header; terminating it: {}", subject,
                    NatsJetStreamConstants.MSG_ID_HDR, e.getMessage());
            message.term();
            sink.answered(message);
            return null;
        }
    }

    private void answer(Delivered message, MessageId id, OutboxClaims.Take take, long claimedAt) {
        if (take instanceof OutboxClaims.Claimed claimed) {
            sink.handle(message, claimed.claim(), claimedAt);
            return;
        }
        if (take instanceof OutboxClaims.NotDue notDue) {
            message.nakWithDelay(until.apply(notDue.dueAt()));
        } else if (take instanceof OutboxClaims.Held held) {
            message.nakWithDelay(until.apply(held.until()));
        } else if (take instanceof OutboxClaims.DeadOnLapse dead) {
            message.term();
            outcomes.deadLettered(dead.letter(), options);
        } else {
            log.debug("irisx outbox: {} was handled already; acknowledging the redelivery", id);
            message.ack();
        }
        sink.answered(message);
    }
}

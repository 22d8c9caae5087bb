package io.irisx.queue;

import io.irisx.core.Channel;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Claim;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.DeadLetter;
import io.irisx.core.outbox.Handler;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.outbox.spi.ClaimAhead;
import io.irisx.core.outbox.spi.ClaimAtQueue;
import io.irisx.core.outbox.spi.OutboxClaims;
import io.irisx.core.outbox.spi.OutboxOutcomes;
import io.irisx.core.outbox.spi.OutboxRelayStore;
import io.irisx.core.outbox.spi.OutcomeRecorder;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsJetStreamConstants;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's worker on a {@link JetStreamOutbox}: a fetcher thread pulls from the channel's durable consumer as
 * many messages as the worker has room for ({@link ClaimAhead}: its free handlers and, while they are quick, a batch in
 * line behind them), in one pull. A claimer thread claims the records of the messages pulled, those that came in
 * together in one statement, and hands the records claimed to a fixed pool of {@code concurrency} handler threads,
 * which hand each outcome to an {@link OutcomeRecorder}: it records the outcomes that come in together (the records
 * done in one transaction), then acknowledges their messages. Records its process queues claimed for it
 * ({@link ClaimAtQueue}) take places of the same room. A record that waited in line too long (every handler got
 * stuck) is put back untried. Thread-safe.
 */
final class StreamWorker implements Subscription, ClaimAtQueue.Taker {

    private static final Logger log = LoggerFactory.getLogger(StreamWorker.class);
    private static final ThreadLocal<StreamWorker> DELIVERING = new ThreadLocal<>();
    /** The shortest pull: the server answers a pull that expires sooner with nothing. */
    private static final Duration MIN_PULL = Duration.ofMillis(100);
    /** The most unacknowledged messages the consumer hands out, over every worker. */
    private static final long MAX_ACK_PENDING = 10_000;
    /** JetStream's error code for a stream that does not exist. */
    private static final int STREAM_NOT_FOUND = 10059;

    private final Connection connection;
    private final Channel channel;
    private final ChannelStreams streams;
    private final StreamSettings stream;
    private final String durable;
    private final OutboxClaims claims;
    private final OutboxOutcomes outcomes;
    private final Clock clock;
    private final Handler handler;
    private final ConsumeOptions options;
    private final String owner;
    private final Duration recheck;
    private final Consumer<StreamWorker> onClosed;
    private final ClaimAhead claimAhead;
    /**
     * Places taken and not yet freed: messages pulled, and records queued claimed for this worker, that are being
     * handled or wait in line for a handler.
     */
    private final AtomicInteger held = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a place is freed, for the fetcher waiting for room. */
    private final Condition freed = lock.newCondition();
    private final Place place = new Place();
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeats;
    private final Thread fetcher;
    private final OutcomeRecorder<Handled> recorder;
    /**
     * Claims the records of pulled messages, those waiting together at once, as the recorder writes outcomes; its
     * writer ({@link #claim}) answers for every message whatever fails.
     */
    private final OutcomeRecorder<Delivered> claimer;
    private volatile boolean running = true;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Counts the times the channel's stream was found created anew: each asks the worker to bind again. */
    private final AtomicInteger recreations = new AtomicInteger();
    /** Set when a pull failed: the consumer may be gone with its stream, so bind again. */
    private volatile boolean rebind;
    /** Replaced only by the fetcher thread, when it binds again. */
    private volatile Binding binding;

    /** A subscription to the channel's consumer, made after the stream was found created anew {@code recreation}x. */
    private record Binding(JetStreamSubscription subscription, int recreation) {
    }

    StreamWorker(Connection connection, Channel channel, ChannelStreams streams, String durable, OutboxClaims claims,
            OutboxOutcomes outcomes, Clock clock, Handler handler, ConsumeOptions options, String owner, Duration recheck,
            Consumer<StreamWorker> onClosed) {
        this.connection = connection;
        this.channel = channel;
        this.streams = streams;
        this.stream = streams.settings(channel);
        this.durable = durable;
        this.claims = claims;
        this.outcomes = outcomes;
        this.clock = clock;
        this.handler = handler;
        this.options = options;
        this.owner = owner;
        this.recheck = recheck;
        this.onClosed = onClosed;
        this.claimAhead = ClaimAhead.of(options);
        this.workers = Executors.newFixedThreadPool(options.concurrency(), threads("irisx-outbox-" + owner + "-worker-"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(threads("irisx-outbox-" + owner + "-heartbeat-"));
        this.fetcher = threads("irisx-outbox-" + owner + "-fetcher-").newThread(this::fetchLoop);
        this.recorder = new OutcomeRecorder<>(threads("irisx-outbox-" + owner + "-recorder-"), options.batchSize(),
                options.pollInterval(), () -> !running && workers.isTerminated(), this::record);
        this.claimer = new OutcomeRecorder<>(threads("irisx-outbox-" + owner + "-claimer-"), options.batchSize(),
                options.pollInterval(), () -> !running && !fetcher.isAlive(), this::claim);
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public long claimMillis() {
        return options.claimTimeout().toMillis();
    }

    /**
     * Takes a place for a record this process is about to queue: a handler's place when one is free, or, while the
     * handlers are quick ({@link ClaimAhead}), one in line behind them. The record is then queued claimed for this
     * worker, not published, and {@link ClaimAtQueue.Place#handOver handed over} once committed, or the place is
     * {@link ClaimAtQueue.Place#release released}. Null when neither is free: the record goes to the broker.
     */
    @Override
    public ClaimAtQueue.Place reserve() {
        return running && claimAhead.take(held, 0) ? place : null;
    }

    /** Frees a place, and wakes the fetcher should it wait for room. */
    private void release() {
        held.decrementAndGet();
        wakeFetcher();
    }

    private void wakeFetcher() {
        lock.lock();
        try {
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A place for a record queued claimed for this worker: one of the handlers', or one in line behind them. */
    private final class Place implements ClaimAtQueue.Place {

        @Override
        public void release() {
            StreamWorker.this.release();
        }

        /**
         * Hands the record to a handler; when this worker has closed meanwhile, or every handler got stuck while it
         * waited in line, puts it back, due at once and its try not counted, for the relay to publish.
         */
        @Override
        public void handOver(Claim claim) {
            execute(new Local(claim), claim, System.nanoTime());
        }
    }

    /**
     * The answers for a record queued claimed for this worker: the broker never held it, so there is no one to
     * answer but the table, whose claim a long handler keeps.
     */
    private final class Local implements Reply {
        private final Claim claim;

        Local(Claim claim) {
            this.claim = claim;
        }

        @Override
        public void ack() {
        }

        @Override
        public void nakWithDelay(Duration delay) {
            // Recording failed: the claim lapses, and the record goes to the broker then (BrokerStreams.relayLapsed).
        }

        @Override
        public void term() {
        }

        @Override
        public void inProgress() {
            try {
                claims.extend(claim, claimMillis());
            } catch (RuntimeException e) {
                log.warn("irisx outbox: holding the claim on {} failed; it may lapse while its handler works: {}",
                        claim.envelope(), e.toString());
            }
        }

        @Override
        public OptionalLong streamSequence() {
            return OptionalLong.empty();
        }
    }

    /**
     * Sets up the channel's stream if this outbox has not yet, creates or updates the durable consumer (the same call
     * from every process), binds to it, and starts.
     *
     * @throws StreamSetupException when the server refuses the channel's stream
     */
    void start() {
        try {
            bind();
        } catch (RuntimeException e) {
            workers.shutdownNow();
            heartbeats.shutdownNow();
            closed.set(true);
            onClosed.accept(this);
            throw e;
        }
        fetcher.start();
        claimer.start();
        recorder.start();
        log.info("irisx outbox: consuming {} from {} as {} (concurrency {})", stream.outboxSubject(), durable, owner,
                options.concurrency());
    }

    /**
     * Makes the worker bind to the channel's consumer again before its next pull, and stop answering the deliveries
     * it has (its stream is being created anew).
     */
    void rebind() {
        recreations.incrementAndGet();
    }

    private void bind() {
        int recreation = recreations.get();
        streams.ensure(channel);
        ConsumerConfiguration config = ConsumerConfiguration.builder()
                .durable(durable)
                .filterSubject(stream.outboxSubject())
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(options.claimTimeout())
                .deliverPolicy(DeliverPolicy.All)
                .maxDeliver(-1)
                .maxAckPending(MAX_ACK_PENDING)
                .build();
        JetStreamSubscription bound;
        try {
            addConsumer(config);
            bound = connection.jetStream().subscribe(stream.outboxSubject(),
                    PullSubscribeOptions.bind(stream.name(), durable));
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("binding to the JetStream consumer " + durable + " on stream "
                    + stream.name() + " failed: " + e.getMessage(), e);
        }
        Binding previous = binding;
        binding = new Binding(bound, recreation);
        if (previous != null) {
            unsubscribe(previous.subscription());
        }
    }

    /** True while {@code from} is the worker's binding and the stream it binds to has not been created anew since. */
    private boolean current(Binding from) {
        return from == binding && from.recreation() == recreations.get();
    }

    private void fetchLoop() {
        boolean failing = false;
        Duration pull = options.pollInterval().compareTo(MIN_PULL) < 0 ? MIN_PULL : options.pollInterval();
        while (running) {
            try {
                if (rebind || binding.recreation() != recreations.get()) {
                    rebind = false;
                    rebindNow();
                }
                int asked = claimAhead.batch(held.get());
                if (asked == 0) {
                    awaitRoom(pull);
                    continue;
                }
                Binding from = binding;
                Iterator<Message> messages = from.subscription().iterate(asked, pull);
                while (messages.hasNext()) {
                    // Each message takes a place as it comes: publishers of this process may have taken some of the
                    // room since, so the worker may hold up to a pull's messages more than its room for a while.
                    held.incrementAndGet();
                    claimer.hand(new Delivered(messages.next(), () -> current(from)));
                }
                if (failing) {
                    failing = false;
                    log.info("irisx outbox: pulling {} works again", stream.outboxSubject());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failing) {
                    failing = true;
                    log.warn("irisx outbox: pulling {} failed; retrying: {}", stream.outboxSubject(), e.toString());
                }
                // The consumer may be gone with its stream: bind again (setting up the stream) before pulling.
                rebind = true;
                sleepQuietly(pull);
            }
        }
    }

    /** Waits until the worker has room to pull into, it closes, or {@code longest} has passed. */
    private void awaitRoom(Duration longest) throws InterruptedException {
        long nanos = longest.toNanos();
        lock.lock();
        try {
            while (running && nanos > 0 && claimAhead.batch(held.get()) == 0) {
                nanos = freed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Creates or updates the consumer; when the stream is gone (since this outbox set it up), sets it up again. */
    private void addConsumer(ConsumerConfiguration config) throws IOException, JetStreamApiException {
        try {
            connection.jetStreamManagement().addOrUpdateConsumer(stream.name(), config);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                throw e;
            }
            streams.invalidate(channel);
            streams.ensure(channel);
            connection.jetStreamManagement().addOrUpdateConsumer(stream.name(), config);
        }
    }

    private void rebindNow() {
        bind();
        log.info("irisx outbox: {} bound again to {} on stream {}", owner, durable, stream.name());
    }

    /**
     * Claims the records of {@code pulled} in one statement, hands those claimed to the handlers, and answers the
     * broker for the others; a message delivered twice in the batch is claimed once, and its other copy put off.
     */
    private void claim(List<Delivered> pulled) {
        Map<MessageId, List<Delivered>> byId = new LinkedHashMap<>();
        for (Delivered message : pulled) {
            MessageId id = messageId(message);
            if (id == null) {
                answerAndRelease(message::term);
            } else {
                byId.computeIfAbsent(id, key -> new ArrayList<>(1)).add(message);
            }
        }
        if (byId.isEmpty()) {
            return;
        }
        Map<MessageId, OutboxClaims.Take> takes;
        try {
            takes = claims.claim(byId.keySet(), owner, options.claimTimeout().toMillis(),
                    options.retryPolicy().maxAttempts());
        } catch (RuntimeException e) {
            log.warn("irisx outbox: claiming {} record(s) of {} failed; they come back in {}: {}", byId.size(),
                    durable, options.claimTimeout(), e.toString());
            byId.values().forEach(copies -> copies.forEach(
                    message -> answerAndRelease(() -> message.nakWithDelay(options.claimTimeout()))));
            return;
        }
        long claimedAt = System.nanoTime();
        Instant heldUntil = clock.instant().plus(options.claimTimeout());
        byId.forEach((id, copies) -> {
            answer(copies.get(0), id, takes.get(id), claimedAt);
            for (Delivered copy : copies.subList(1, copies.size())) {
                answerAndRelease(() -> copy.nakWithDelay(until(heldUntil)));
            }
        });
    }

    /** The record id a message carries; null, logged, when it carries none (it is not the outbox's). */
    private MessageId messageId(Delivered message) {
        Headers headers = message.message().getHeaders();
        try {
            return OutboxRelayStore.Unpublished.messageId(headers == null ? null
                    : headers.getFirst(NatsJetStreamConstants.MSG_ID_HDR));
        } catch (IrisxValidationException e) {
            // Nothing in the table says what to do with it.
            log.warn("irisx outbox: a message on {} carries no valid {} header; terminating it: {}",
                    stream.outboxSubject(), NatsJetStreamConstants.MSG_ID_HDR, e.getMessage());
            return null;
        }
    }

    /** Hands a claimed record to the handlers, or answers the broker with what the claim found. */
    private void answer(Delivered message, MessageId id, OutboxClaims.Take take, long claimedAt) {
        if (take instanceof OutboxClaims.Claimed claimed) {
            execute(message, claimed.claim(), claimedAt);
        } else if (take instanceof OutboxClaims.NotDue notDue) {
            answerAndRelease(() -> message.nakWithDelay(until(notDue.dueAt())));
        } else if (take instanceof OutboxClaims.Held held) {
            answerAndRelease(() -> message.nakWithDelay(until(held.until())));
        } else if (take instanceof OutboxClaims.DeadOnLapse dead) {
            answerAndRelease(message::term);
            outcomes.deadLettered(dead.letter(), options);
        } else {
            log.debug("irisx outbox: {} was handled already; acknowledging the redelivery", id);
            answerAndRelease(message::ack);
        }
    }

    /**
     * Answers the broker for a message that is not to be handled, and frees its place whatever happens; an answer
     * that fails (the connection is closing) is logged, and the broker delivers the message again after its AckWait.
     */
    private void answerAndRelease(Runnable answer) {
        try {
            answer.run();
        } catch (RuntimeException e) {
            log.warn("irisx outbox: answering the broker for a message of {} failed; it comes back after the AckWait:"
                    + " {}", durable, e.toString());
        } finally {
            release();
        }
    }

    /**
     * Queues the record claimed at {@code claimedAt} ({@link System#nanoTime()}) for a handler, which frees its place
     * once done; a record that waited in line too long, or claimed as this worker closed, is put back, due at once
     * and its try not counted.
     */
    private void execute(Reply message, Claim claim, long claimedAt) {
        try {
            workers.execute(() -> {
                DELIVERING.set(this);
                try {
                    if (claimAhead.waitedTooLong(claimedAt)) {
                        settle(message, claim, Outcome.defer(Duration.ZERO, "waited in line for a handler too long"));
                    } else {
                        handle(message, claim);
                    }
                } finally {
                    DELIVERING.remove();
                    release();
                }
            });
        } catch (RejectedExecutionException e) {
            release();
            settle(message, claim, Outcome.defer(Duration.ZERO, "claimed as its worker closed"));
        }
    }

    private void handle(Reply message, Claim claim) {
        long every = Math.max(1, options.claimTimeout().toMillis() / 3);
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(message::inProgress, every, every,
                TimeUnit.MILLISECONDS);
        Outcome outcome;
        long start = System.nanoTime();
        try {
            outcome = outcomes.run(handler, claim);
        } finally {
            heartbeat.cancel(false);
            claimAhead.handled(start, System.nanoTime());
        }
        if (outcome instanceof Outcome.Done && outcomes.doneByItsHandler(claim)) {
            // Marked done in the handler's own transaction: nothing is left to write.
            message.ack();
        } else {
            recorder.hand(new Handled(message, claim, outcome));
        }
    }

    /** A handler's outcome on the claim of a delivered message, waiting to be recorded. */
    private record Handled(Reply message, Claim claim, Outcome outcome) {
    }

    /**
     * Records {@code batch} and answers the broker for each: the records done in one transaction, every other outcome
     * in its own.
     */
    private void record(List<Handled> batch) {
        List<Handled> done = new ArrayList<>();
        for (Handled each : batch) {
            if (each.outcome() instanceof Outcome.Done) {
                done.add(each);
            } else {
                settle(each.message(), each.claim(), each.outcome());
            }
        }
        if (done.isEmpty()) {
            return;
        }
        try {
            outcomes.done(done.stream().map(Handled::claim).toList());
        } catch (RuntimeException e) {
            log.warn("irisx outbox: recording {} {} record(s) done failed; they come back when their claims lapse: {}",
                    done.size(), durable, e.toString());
            done.forEach(each -> each.message().nakWithDelay(options.claimTimeout()));
            return;
        }
        done.forEach(each -> each.message().ack());
    }

    private void settle(Reply message, Claim claim, Outcome outcome) {
        OutboxOutcomes.Settlement settlement;
        try {
            settlement = outcomes.record(claim, outcome, options.retryPolicy(),
                    message.streamSequence());
        } catch (RuntimeException e) {
            log.warn("irisx outbox: recording the outcome of {} failed; it comes back when its claim lapses: {}",
                    claim.envelope(), e.toString());
            message.nakWithDelay(options.claimTimeout());
            return;
        }
        switch (settlement.kind()) {
            case DONE -> message.ack();
            case LATER -> message.nakWithDelay(until(settlement.dueAt()));
            case DEAD -> {
                message.term();
                settlement.deadLetter().ifPresent(letter -> outcomes.deadLettered(letter, options));
            }
            default -> throw new IllegalStateException("unknown settlement " + settlement.kind());
        }
    }

    /** How long the broker should hold a message back: until {@code instant} by the clock, at most the recheck. */
    private Duration until(Instant instant) {
        Duration left = Duration.between(clock.instant(), instant);
        if (left.compareTo(recheck) > 0) {
            return recheck;
        }
        return left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        wakeFetcher();
        try {
            fetcher.join();
            // What was pulled is claimed and handed to the handlers, or answered, first.
            claimer.finish(options.shutdownTimeout());
            workers.shutdown();
            if (DELIVERING.get() == this) {
                log.debug("irisx outbox: {} closed from its own handler; not waiting for deliveries", durable);
            } else if (!workers.awaitTermination(options.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("irisx outbox: {} deliveries on {} still running after {}; they come back after the AckWait",
                        held.get(), durable, options.shutdownTimeout());
                workers.shutdownNow();
            } else {
                // Every handler has finished: what they handed the recorder is recorded and answered first.
                recorder.finish(options.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        } finally {
            heartbeats.shutdownNow();
            // Leaves the durable consumer in place for the other workers.
            unsubscribe(binding.subscription());
            onClosed.accept(this);
        }
        log.info("irisx outbox: stopped consuming {} as {}", durable, owner);
    }

    @Override
    public String toString() {
        return "StreamWorker[" + durable + " as " + owner + (closed.get() ? ", closed]" : "]");
    }

    private void unsubscribe(JetStreamSubscription bound) {
        try {
            bound.unsubscribe();
        } catch (RuntimeException e) {
            log.debug("irisx outbox: unsubscribing from {} failed: {}", durable, e.toString());
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

package io.irisx.core.outbox;

import io.irisx.core.Channel;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.spi.ClaimAhead;
import io.irisx.core.outbox.spi.ClaimAtQueue;
import io.irisx.core.outbox.spi.OutboxClaims;
import io.irisx.core.outbox.spi.OutboxOutcomes;
import io.irisx.core.outbox.spi.OutcomeRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's consumer on a {@link JdbcOutbox}: a poller thread claims due records and hands them to a fixed pool
 * of {@code concurrency} handler threads, which hand each outcome to a recorder thread and take their next record. The
 * recorder writes the outcomes that came in while it wrote the last ones all together, the records done in one
 * transaction, so that a handler never waits for a commit; a handler waits only while a batch ({@code batchSize}) of
 * outcomes waits to be recorded already. A process that dies therefore has at most {@code concurrency + batchSize}
 * records handled, or being handled, and not recorded: each comes back when its claim lapses. Closing waits for the
 * handlers, then for the recorder to write what they handed it. Thread-safe.
 *
 * <p>The poller holds (has claimed, and not yet handled) at most {@code concurrency} records, and while the handlers
 * are quick a batch more ({@link ClaimAhead}), so that a freed handler finds its next record claimed already instead
 * of waiting for the poller's next claim; holding more than its handlers take at once, it claims again only once half
 * a batch is free, so that a backlog is claimed a batch at a time. A record that waited in line too long all the same
 * is handed back, due at once and its try not counted, rather than handled on a claim about to lapse.
 *
 * <p>A record {@link JdbcOutbox#inTransaction queued} by this process while a handler is free is inserted claimed for
 * this worker in that handler's place ({@link #reserve()}), and handed to it once committed ({@link #handOver}).
 * Other records queued by this process are named to the poller ({@link #committed(MessageId)}), which claims them by
 * primary key as soon as a slot is free. The poll proper, for every other due record (retries, lapsed claims,
 * records of callers' own transactions or of other processes), runs every poll interval, at once after a replay,
 * and again as soon as slots free up while it keeps finding full batches: it reads indexes whose entries for
 * records already handled stay until the table is vacuumed, so polling for every publish would make each publish
 * cost more the more came before.
 *
 * <p>The poller waits between passes on a condition, not a sleep.
 */
final class JdbcSubscription implements Subscription, ClaimAtQueue.Taker {

    private static final Logger log = LoggerFactory.getLogger(JdbcSubscription.class);
    /** Whose delivery the current thread runs: a handler closing its own subscription must not wait on itself. */
    private static final ThreadLocal<JdbcSubscription> DELIVERING = new ThreadLocal<>();
    /** Ids of records published in this process held for the poller at most; beyond that the poll finds them. */
    private static final int COMMITTED_HELD = 4096;

    private final OutboxClaims claims;
    private final OutboxOutcomes outcomes;
    private final Channel channel;
    private final Handler handler;
    private final ConsumeOptions options;
    private final String owner;
    private final Consumer<JdbcSubscription> onClosed;
    /** Records claimed and not yet handled (queued for a handler or being handled). */
    private final AtomicInteger held = new AtomicInteger();
    private final ClaimAhead claimAhead;
    private final ExecutorService workers;
    private final OutcomeRecorder<Handled> recorder;
    private final Thread poller;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final BlockingQueue<MessageId> committed;
    private long nextPoll = System.nanoTime(); // guarded by lock
    private volatile boolean running = true;
    private boolean failing; // poller thread only
    private boolean backlog; // poller thread only: the last poll found a full batch
    private final AtomicBoolean closed = new AtomicBoolean();

    JdbcSubscription(OutboxClaims claims, OutboxOutcomes outcomes, Channel channel, Handler handler,
            ConsumeOptions options, String owner, Consumer<JdbcSubscription> onClosed) {
        this.claims = claims;
        this.outcomes = outcomes;
        this.channel = channel;
        this.handler = handler;
        this.options = options;
        this.owner = owner;
        this.onClosed = onClosed;
        this.claimAhead = ClaimAhead.of(options);
        this.committed = new ArrayBlockingQueue<>(COMMITTED_HELD);
        this.workers = Executors.newFixedThreadPool(options.concurrency(), threads("irisx-outbox-" + owner + "-worker-"));
        this.poller = threads("irisx-outbox-" + owner + "-poller-").newThread(this::pollLoop);
        this.recorder = new OutcomeRecorder<>(threads("irisx-outbox-" + owner + "-recorder-"), options.batchSize(),
                options.pollInterval(), () -> !running && workers.isTerminated(), this::record);
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

    void start() {
        poller.start();
        recorder.start();
        log.info("irisx outbox: consuming {} as {} (concurrency {})", channel, owner, options.concurrency());
    }

    /** Makes the poller poll for due work now rather than after its poll interval. */
    void wake() {
        lock.lock();
        try {
            nextPoll = System.nanoTime();
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a place for a record this process is about to publish, when the worker has room (a handler free, or,
     * while its handlers are quick, a place in line behind them: {@link ClaimAhead}): the record is then inserted
     * {@link io.irisx.core.outbox.spi.OutboxTable#insertClaimed claimed} for this worker and, once committed,
     * {@link #handOver handed over} to a handler, or the place is {@link #release released}. Null when there is no
     * room.
     */
    @Override
    public ClaimAtQueue.Place reserve() {
        return running && claimAhead.take(held, 0) ? place : null;
    }

    /** A handler's place, {@link #reserve reserved} for a record this process is about to queue. */
    private final ClaimAtQueue.Place place = new ClaimAtQueue.Place() {
        @Override
        public void release() {
            JdbcSubscription.this.release();
        }

        @Override
        public void handOver(Claim claim) {
            JdbcSubscription.this.handOver(claim);
        }
    };

    /**
     * Frees a handler's place: one whose record was handled, or one {@link #reserve reserved} for a record that was
     * not queued claimed.
     */
    void release() {
        held.decrementAndGet();
        signal();
    }

    /**
     * Hands a committed record claimed for this worker in the place it {@link #reserve reserved} to a handler; when
     * this subscription has closed meanwhile, gives the record back, due at once and its try not counted.
     */
    void handOver(Claim claim) {
        log.debug("irisx outbox: claimed {} as it was queued", claim.envelope());
        if (running) {
            try {
                execute(claim, System.nanoTime());
                return;
            } catch (RejectedExecutionException e) {
                // Closed since: given back below.
            }
        }
        held.decrementAndGet();
        settle(claim, Outcome.defer(Duration.ZERO, "queued claimed as its worker closed"));
    }

    /** Tells the poller of a record of its channel just committed, to claim as soon as a slot is free. */
    void committed(MessageId id) {
        // When the handlers are that far behind, the poll finds the record instead.
        if (committed.offer(id)) {
            signal();
        }
    }

    private void signal() {
        lock.lock();
        try {
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void pollLoop() {
        while (running) {
            int asked = claimable();
            boolean more = false;
            try {
                List<MessageId> ids = new ArrayList<>();
                if (asked > 0 && pollDue()) {
                    backlog = claimAndDispatch(asked) == asked;
                    more = true;
                } else if (asked > 0 && committed.drainTo(ids, asked) > 0) {
                    claimAndDispatch(ids);
                    more = true;
                } else if (asked > 0 && backlog) {
                    backlog = claimAndDispatch(asked) == asked;
                    more = backlog;
                }
                if (failing) {
                    failing = false;
                    log.info("irisx outbox: claiming {} work works again", channel);
                }
            } catch (RuntimeException e) {
                // The database may be away for a while: keep polling at the usual pace, and warn once per outage.
                backlog = false;
                postponePoll();
                if (!failing) {
                    failing = true;
                    log.warn("irisx outbox: claiming {} work failed; retrying every {}: {}", channel,
                            options.pollInterval(), e.toString());
                } else {
                    log.debug("irisx outbox: claiming {} work failed again: {}", channel, e.toString());
                }
            }
            if (failing) {
                await(() -> false, true);
            } else if (!more && asked > 0) {
                await(() -> !committed.isEmpty(), true);
            } else if (!more) {
                await(() -> claimable() > 0, false);
            }
        }
    }

    /** How many records the poller claims now ({@link ClaimAhead#batch}). */
    private int claimable() {
        return claimAhead.batch(held.get());
    }

    /** True when the poll is due; the next one is then due a poll interval later. */
    private boolean pollDue() {
        lock.lock();
        try {
            long now = System.nanoTime();
            if (now - nextPoll < 0) {
                return false;
            }
            nextPoll = now + options.pollInterval().toNanos();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private int claimAndDispatch(int limit) {
        OutboxClaims.ClaimResult result = claims.claim(channel, limit, owner, options.claimTimeout().toMillis(),
                options.retryPolicy().maxAttempts());
        result.dead().forEach(letter -> outcomes.deadLettered(letter, options));
        dispatch(result.claims());
        // Dead-lettered rows count too: when they filled the batch, more may be due at once.
        return result.claims().size() + result.dead().size();
    }

    /** Claims the records of {@code ids} that are due; the others are the poll's to find when they are. */
    private void claimAndDispatch(List<MessageId> ids) {
        Map<MessageId, OutboxClaims.Take> takes = claims.claim(ids, owner, options.claimTimeout().toMillis(),
                options.retryPolicy().maxAttempts());
        List<Claim> claims = new ArrayList<>();
        for (OutboxClaims.Take take : takes.values()) {
            if (take instanceof OutboxClaims.Claimed claimed) {
                claims.add(claimed.claim());
            } else if (take instanceof OutboxClaims.DeadOnLapse dead) {
                outcomes.deadLettered(dead.letter(), options);
            }
        }
        dispatch(claims);
    }

    private void dispatch(List<Claim> claims) {
        long claimedAt = System.nanoTime();
        for (Claim claim : claims) {
            held.incrementAndGet();
            log.debug("irisx outbox: claimed {} (attempt {})", claim.envelope(), claim.attempt());
            execute(claim, claimedAt);
        }
    }

    /** Queues {@code claim}, claimed at {@code claimedAt} ({@link System#nanoTime()}), for a handler. */
    private void execute(Claim claim, long claimedAt) {
        workers.execute(() -> {
            DELIVERING.set(this);
            try {
                deliver(claim, claimedAt);
            } finally {
                DELIVERING.remove();
            }
        });
    }

    /**
     * Runs the handler (unless the record waited in line too long: it is handed back), then records its outcome and
     * frees the handler's place for the next.
     */
    private void deliver(Claim claim, long claimedAt) {
        Outcome outcome;
        if (claimAhead.waitedTooLong(claimedAt)) {
            outcome = Outcome.defer(Duration.ZERO, "claimed ahead, but waited for a handler too long");
        } else {
            long start = System.nanoTime();
            try {
                outcome = outcomes.run(handler, claim);
            } finally {
                claimAhead.handled(start, System.nanoTime());
            }
        }
        release();
        // A record its handler marked done in its own transaction has nothing left to write.
        if (!(outcome instanceof Outcome.Done && outcomes.doneByItsHandler(claim))) {
            recorder.hand(new Handled(claim, outcome));
        }
    }

    /** A handler's outcome on its claim, waiting to be recorded. */
    private record Handled(Claim claim, Outcome outcome) {
    }

    /** Records {@code batch}: the records done in one transaction, every other outcome in its own. */
    private void record(List<Handled> batch) {
        List<Claim> done = new ArrayList<>();
        for (Handled each : batch) {
            if (each.outcome() instanceof Outcome.Done) {
                done.add(each.claim());
            } else {
                settle(each.claim(), each.outcome());
            }
        }
        if (done.isEmpty()) {
            return;
        }
        try {
            List<Boolean> recorded = outcomes.done(done);
            for (int i = 0; i < done.size(); i++) {
                Claim claim = done.get(i);
                log.debug("irisx outbox: {} after attempt {}: done", claim.envelope(), claim.attempt());
                if (!recorded.get(i)) {
                    log.debug("irisx outbox: the claim on {} lapsed and was taken over; this outcome is dropped",
                            claim.envelope());
                }
            }
        } catch (RuntimeException e) {
            log.warn("irisx outbox: recording {} {} record(s) done failed; they come back when their claims lapse: {}",
                    done.size(), channel, e.toString());
        }
    }

    private void postponePoll() {
        lock.lock();
        try {
            nextPoll = System.nanoTime() + options.pollInterval().toNanos();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code ready} holds, the subscription closes, or (when {@code untilPoll}) the poll is due. */
    private void await(BooleanSupplier ready, boolean untilPoll) {
        lock.lock();
        try {
            while (running && !ready.getAsBoolean()) {
                long nanos = untilPoll ? nextPoll - System.nanoTime() : options.pollInterval().toNanos();
                if (nanos <= 0) {
                    return;
                }
                wakeUp.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void settle(Claim claim, Outcome outcome) {
        try {
            OutboxOutcomes.Settlement settlement = outcomes.record(claim, outcome, options.retryPolicy(),
                    OptionalLong.empty());
            log.debug("irisx outbox: {} after attempt {}: {}", claim.envelope(), claim.attempt(), settlement);
            settlement.deadLetter().ifPresent(letter -> outcomes.deadLettered(letter, options));
            if (!settlement.recorded()) {
                log.debug("irisx outbox: the claim on {} lapsed and was taken over; this outcome is dropped",
                        claim.envelope());
            }
        } catch (RuntimeException e) {
            log.warn("irisx outbox: recording the outcome of {} failed; it comes back when its claim lapses: {}",
                    claim.envelope(), e.toString());
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        wake();
        try {
            poller.join();
            workers.shutdown();
            if (DELIVERING.get() == this) {
                // Closed by one of its own handlers: the others finish, and this one records its outcome, unawaited.
                log.debug("irisx outbox: {} closed from its own handler; not waiting for deliveries", channel);
            } else if (!workers.awaitTermination(options.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("irisx outbox: {} deliveries on {} still running after {}; they come back when their claims"
                        + " lapse", held.get(), channel, options.shutdownTimeout());
                workers.shutdownNow();
            } else {
                // Every handler has finished: what they handed the recorder is recorded before this returns.
                recorder.finish(options.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        } finally {
            onClosed.accept(this);
        }
        log.info("irisx outbox: stopped consuming {} as {}", channel, owner);
    }

    @Override
    public String toString() {
        return "JdbcSubscription[" + channel + " as " + owner + (closed.get() ? ", closed]" : "]");
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
            // A host that forgets to close the outbox must still be able to exit.
            thread.setDaemon(true);
            return thread;
        };
    }
}

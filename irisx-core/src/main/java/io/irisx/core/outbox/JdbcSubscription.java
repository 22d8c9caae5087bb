package io.irisx.core.outbox;

import io.irisx.core.Channel;
import io.irisx.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
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
 * One channel's consumer on a {@link JdbcOutbox}: a poller thread claims due records, never more than there are
 * free handler slots, and hands them to a fixed pool of {@code concurrency} handler threads. Thread-safe.
 *
 * <p>The poller waits between polls on a condition, not a sleep: a publish in this process, a replay, or a handler
 * finishing wakes it at once; otherwise it polls again after the poll interval.
 */
final class JdbcSubscription implements Subscription {

    private static final Logger log = LoggerFactory.getLogger(JdbcSubscription.class);
    /** Whose delivery the current thread runs: a handler closing its own subscription must not wait on itself. */
    private static final ThreadLocal<JdbcSubscription> DELIVERING = new ThreadLocal<>();

    private final OutboxStore store;
    private final Clock clock;
    private final Channel channel;
    private final Handler handler;
    private final ConsumeOptions options;
    private final String owner;
    private final Consumer<JdbcSubscription> onClosed;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final Thread poller;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean wakeRequested; // guarded by lock
    private volatile boolean running = true;
    private boolean failing; // poller thread only
    private final AtomicBoolean closed = new AtomicBoolean();

    JdbcSubscription(OutboxStore store, Clock clock, Channel channel, Handler handler, ConsumeOptions options,
            String owner, Consumer<JdbcSubscription> onClosed) {
        this.store = store;
        this.clock = clock;
        this.channel = channel;
        this.handler = handler;
        this.options = options;
        this.owner = owner;
        this.onClosed = onClosed;
        this.slots = new Semaphore(options.concurrency());
        this.workers = Executors.newFixedThreadPool(options.concurrency(), threads("irisx-outbox-" + owner + "-worker-"));
        this.poller = threads("irisx-outbox-" + owner + "-poller-").newThread(this::pollLoop);
    }

    Channel channel() {
        return channel;
    }

    void start() {
        poller.start();
        log.info("irisx outbox: consuming {} as {} (concurrency {})", channel, owner, options.concurrency());
    }

    /** Makes the poller look for work now rather than after its poll interval. */
    void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void pollLoop() {
        while (running) {
            int asked = Math.min(slots.availablePermits(), options.batchSize());
            int claimed = 0;
            try {
                if (asked > 0) {
                    claimed = claimAndDispatch(asked);
                }
                if (failing) {
                    failing = false;
                    log.info("irisx outbox: claiming {} work works again", channel);
                }
            } catch (RuntimeException e) {
                // The database may be away for a while: keep polling at the usual pace, and warn once per outage.
                if (!failing) {
                    failing = true;
                    log.warn("irisx outbox: claiming {} work failed; retrying every {}: {}", channel,
                            options.pollInterval(), e.toString());
                } else {
                    log.debug("irisx outbox: claiming {} work failed again: {}", channel, e.toString());
                }
            }
            if (claimed < asked || asked == 0) {
                awaitWake(options.pollInterval());
            }
        }
    }

    private int claimAndDispatch(int limit) {
        OutboxStore.ClaimResult result = store.claim(channel, limit, owner, options.claimTimeout().toMillis(),
                options.retryPolicy().maxAttempts());
        result.dead().forEach(this::notifyDeadLetter);
        List<Claim> claims = result.claims();
        for (Claim claim : claims) {
            // Only this thread acquires, and it asked for no more than were free: this never waits.
            slots.acquireUninterruptibly();
            log.debug("irisx outbox: claimed {} (attempt {})", claim.envelope(), claim.attempt());
            workers.execute(() -> {
                DELIVERING.set(this);
                try {
                    deliver(claim);
                } finally {
                    DELIVERING.remove();
                    slots.release();
                    wake();
                }
            });
        }
        // Dead-lettered rows count too: when they filled the batch, more may be due at once.
        return claims.size() + result.dead().size();
    }

    private void awaitWake(Duration interval) {
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

    private void deliver(Claim claim) {
        Outcome outcome;
        try {
            outcome = handler.handle(claim.delivery());
            if (outcome == null) {
                outcome = Outcome.retry("the handler returned no outcome");
            }
        } catch (Exception e) {
            outcome = Outcome.retry(describe(e));
        }
        try {
            record(claim, outcome);
        } catch (RuntimeException e) {
            log.warn("irisx outbox: recording the outcome of {} failed; it comes back when its claim lapses: {}",
                    claim.envelope(), e.toString());
        }
    }

    private void record(Claim claim, Outcome outcome) {
        RetryPolicy policy = options.retryPolicy();
        boolean settled;
        if (outcome instanceof Outcome.Done) {
            settled = store.done(claim);
            log.debug("irisx outbox: {} done on attempt {}", claim.envelope(), claim.attempt());
        } else if (outcome instanceof Outcome.Defer defer) {
            settled = store.defer(claim, clock.millis() + defer.delay().toMillis());
            log.debug("irisx outbox: {} put off for {}: {}", claim.envelope(), defer.delay(), defer.reason());
        } else if (outcome instanceof Outcome.Retry retry && claim.attempt() < policy.maxAttempts()) {
            Duration delay = retry.delay().or(() -> policy.delayAfter(claim.attempt())).orElse(Duration.ZERO);
            settled = store.retry(claim, clock.millis() + delay.toMillis(), retry.reason());
            log.debug("irisx outbox: {} failed attempt {}, next in {}", claim.envelope(), claim.attempt(), delay);
        } else {
            String reason = outcome instanceof Outcome.Retry retry ? retry.reason() : ((Outcome.Fail) outcome).reason();
            var dead = store.dead(claim, reason, OptionalLong.empty());
            dead.ifPresent(letter -> {
                log.debug("irisx outbox: {} is a dead letter after {} attempt(s)", claim.envelope(), claim.attempt());
                notifyDeadLetter(letter);
            });
            settled = dead.isPresent();
        }
        if (!settled) {
            log.debug("irisx outbox: the claim on {} lapsed and was taken over; this outcome is dropped",
                    claim.envelope());
        }
    }

    private void notifyDeadLetter(DeadLetter letter) {
        try {
            options.onDeadLetter().accept(letter);
        } catch (RuntimeException e) {
            log.warn("irisx outbox: the dead-letter callback failed for {}", letter.envelope(), e);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getName() + (message == null ? "" : ": " + message);
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
                        + " lapse", options.concurrency() - slots.availablePermits(), channel, options.shutdownTimeout());
                workers.shutdownNow();
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

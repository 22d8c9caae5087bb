package io.irisx.core.outbox.spi;

import io.irisx.core.Channel;
import io.irisx.core.event.EventSink;
import io.irisx.core.id.MessageId;
import io.irisx.core.internal.ThrottledLog;
import io.irisx.core.outbox.Claim;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.DeadLetter;
import io.irisx.core.outbox.DeadLetters;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Handler;
import io.irisx.core.outbox.OutboxStatus;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import io.irisx.core.store.Params;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of the records workers claimed from an {@link OutboxTable} ({@link OutboxClaims}): running the handler,
 * recording its outcome (done, put off, retried, dead), and the dead letters kept beside the table. Thread-safe;
 * every time comes from the table's clock.
 *
 * <p>Every outcome ends the claim, and is recorded only while the claim is still the worker's: one whose claim lapsed
 * (and was taken over) cannot overwrite its successor's work.
 */
public final class OutboxOutcomes {

    private static final Logger log = LoggerFactory.getLogger(OutboxOutcomes.class);

    /** Every outcome leaves the claim; the token check keeps a worker whose claim lapsed from overwriting. */
    private static final String SETTLE = "UPDATE irisx_outbox SET status = ?, next_attempt_at = ?,"
            + " last_error = COALESCE(?, last_error), claim_token = NULL, claim_owner = NULL, claim_expires_at = NULL,"
            + " updated_at = ? WHERE id = ? AND status = 'IN_FLIGHT'";
    private static final String SETTLE_OWN_CLAIM = SETTLE + " AND claim_token = ?";

    /** The claim whose handler runs on this thread, and the outcomes recording it. */
    private static final ThreadLocal<Running> RUNNING = new ThreadLocal<>();

    private final Database database;
    private final Clock clock;
    private final DeadLetterStore deadLetters;
    /** Whether the table is a relay's, whose records claimed as they were queued go to the broker to be tried again. */
    private final boolean relayed;
    private final Consumer<Channel> requeued;
    private final GroupCommit<Claim, Boolean> doneGroup = new GroupCommit<>(GroupCommit.OUTBOX_BATCH,
            GroupCommit.OUTBOX_WRITERS, this::doneAll);

    /**
     * This outbox's failed attempts, dead letters and handler errors: at most 20 lines of each kind a minute, as they
     * come in floods.
     */
    private final ThrottledLog failures = ThrottledLog.of(log, 20);
    /** The claims whose handlers marked them done in their own transaction ({@link #doneIn}), until recorded. */
    private final Set<Claim> doneByHandler = ConcurrentHashMap.newKeySet();

    /** A claim being handled on a thread, and the outcomes that ran its handler. */
    private record Running(OutboxOutcomes outcomes, Claim claim) {
    }

    private OutboxOutcomes(OutboxTable table, Consumer<Channel> requeued, EventSink events) {
        this.database = table.database();
        this.clock = table.clock();
        this.deadLetters = new DeadLetterStore(table, requeued, events);
        this.relayed = table.relayed();
        this.requeued = requeued;
    }

    /**
     * The outcomes of the records of {@code table}; {@code requeued} hears of each dead letter replayed, and of each
     * record a relay is to publish to be tried again, once committed, to wake the channel's workers or relay, and
     * {@code events} gets {@code message.dead_lettered} in the transaction that stores each dead letter.
     */
    public static OutboxOutcomes create(OutboxTable table, Consumer<Channel> requeued, EventSink events) {
        return new OutboxOutcomes(Objects.requireNonNull(table, "table"), Objects.requireNonNull(requeued, "requeued"),
                Objects.requireNonNull(events, "events"));
    }

    /** The dead letters kept beside the table. */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /**
     * Runs {@code handler} on the claim's delivery; a handler that returns no outcome or throws asks for a retry,
     * with the exception as the reason.
     */
    public Outcome run(Handler handler, Claim claim) {
        RUNNING.set(new Running(this, claim));
        try {
            Outcome outcome = handler.handle(claim.delivery());
            return outcome != null ? outcome : Outcome.retry("the handler returned no outcome");
        } catch (VirtualMachineError e) {
            // The JVM itself is failing (out of memory, a stack overflow): nothing recorded now could be trusted,
            // so the claim lapses and the record comes back to a worker.
            throw e;
        } catch (Exception e) {
            return Outcome.retry(describe(e));
        } catch (Throwable e) {
            // An Error from a handler or its libraries (a LinkageError from clashing dependency versions, say)
            // would otherwise end the worker's thread and leave the record in flight, to come back again and again.
            failures.error("handler-error", "irisx outbox: the handler of {} threw {}; the attempt is recorded as"
                    + " failed", claim.envelope(), e.toString(), e);
            return Outcome.retry(describe(e));
        } finally {
            RUNNING.remove();
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getName() + (message == null ? "" : ": " + message);
    }

    /**
     * Logs a dead letter at ERROR (at most 20 lines a minute per channel) and hands it to the subscription's
     * {@link ConsumeOptions#onDeadLetter() callback}, whose failure is logged, not thrown.
     */
    public void deadLettered(DeadLetter letter, ConsumeOptions options) {
        failures.error("dead:" + letter.envelope().channel(), "irisx outbox: {} is dead after {} attempt(s): {}",
                letter.envelope(), letter.attempts(), letter.lastError());
        try {
            options.onDeadLetter().accept(letter);
        } catch (RuntimeException e) {
            log.warn("irisx outbox: the dead-letter callback failed for {}", letter.envelope(), e);
        }
    }

    /**
     * What recording a handler's outcome came to, for the worker to tell its broker.
     *
     * @param kind whether the record is done, waits to be tried again, or is dead
     * @param dueAt when it is due again, for {@link Kind#LATER}; else when it was recorded
     * @param deadLetter its dead letter, for {@link Kind#DEAD} when the claim was still the caller's
     * @param recorded false when the claim was no longer the caller's (it lapsed and was taken over), so nothing
     *     was written
     */
    public record Settlement(Kind kind, Instant dueAt, Optional<DeadLetter> deadLetter, boolean recorded) {
        /** Where the record stands. */
        public enum Kind {
            /** Done: acknowledge the delivery. */
            DONE,
            /** To be tried again at {@code dueAt}, or put off until then: deliver it again then. */
            LATER,
            /** Failed for good or out of tries: a dead letter; the delivery ends. */
            DEAD
        }
    }

    /**
     * Records what the handler made of the claimed record: done; put off ({@link Outcome#defer}, not counting the
     * try); a retry after the handler's delay or else the {@code policy}'s, while tries remain; dead otherwise, with
     * the broker's sequence number of the delivery where there is a broker.
     */
    public Settlement record(Claim claim, Outcome outcome, RetryPolicy policy, OptionalLong streamSequence) {
        Instant now = clock.instant();
        // Marked done by the handler, in the transaction that stored its work: nothing is left to write. Any other
        // outcome is recorded as ever; should the handler's transaction have committed, its claim is gone and the
        // outcome is dropped.
        boolean doneAlready = doneByHandler.remove(claim);
        if (outcome instanceof Outcome.Done) {
            return new Settlement(Settlement.Kind.DONE, now, Optional.empty(), doneAlready || done(claim));
        }
        if (outcome instanceof Outcome.Defer defer) {
            Instant due = now.plus(defer.delay());
            return new Settlement(Settlement.Kind.LATER, due, Optional.empty(), defer(claim, due.toEpochMilli()));
        }
        if (outcome instanceof Outcome.Retry retry && claim.attempt() < policy.maxAttempts()) {
            Instant due = now.plus(retry.delay().or(() -> policy.delayAfter(claim.attempt())).orElse(Duration.ZERO));
            boolean recorded = retry(claim, due.toEpochMilli(), retry.reason());
            if (recorded) {
                failures.warn("attempt-failed:" + claim.envelope().channel(), "irisx outbox: {} attempt {} of {}"
                        + " failed; retrying at {}: {}", claim.envelope(), claim.attempt(), policy.maxAttempts(), due,
                        retry.reason());
            }
            return new Settlement(Settlement.Kind.LATER, due, Optional.empty(), recorded);
        }
        String reason = outcome instanceof Outcome.Retry retry ? retry.reason() : ((Outcome.Fail) outcome).reason();
        Optional<DeadLetter> letter = dead(claim, reason, streamSequence);
        return new Settlement(Settlement.Kind.DEAD, now, letter, letter.isPresent());
    }

    /**
     * Marks done, in the caller's transaction on {@code connection}, the record of {@code delivery} whose handler runs
     * on this thread, so that the handler's own writes and the record's end commit together: one transaction less
     * per delivery, and no moment when the work is stored as done but its record is still in flight. The handler
     * must then return {@link Outcome#done()}, and only once that transaction committed (were it to roll back, the
     * handler throws or returns another outcome, which is recorded as ever).
     *
     * <p>Does nothing and returns false when no outbox worker runs {@code delivery}'s handler on this thread (a test
     * calling the handler itself), or when the worker's claim is no longer its own (it lapsed and another took the
     * record over): the caller's transaction goes on, and the worker records the outcome as it would have.
     *
     * @param at the time the record is marked done
     */
    public static boolean doneIn(Connection connection, Delivery delivery, Instant at) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(at, "at");
        Running running = RUNNING.get();
        if (running == null || !running.claim().envelope().id().equals(delivery.envelope().id())
                || running.claim().attempt() != delivery.attempt()) {
            return false;
        }
        Claim claim = running.claim();
        long now = at.toEpochMilli();
        if (!settle(connection, claim.envelope().id(), claim.token(), OutboxStatus.DONE, now, null, now)) {
            return false;
        }
        running.outcomes().doneByHandler.add(claim);
        return true;
    }

    /**
     * Marks the claimed record done; false when the claim is no longer the caller's. Records that workers finish at
     * the same moment are marked in one transaction (group commit).
     */
    public boolean done(Claim claim) {
        return doneGroup.submit(Objects.requireNonNull(claim, "claim"));
    }

    /**
     * True when the handler of {@code claim} marked its record done in its own transaction ({@link #doneIn}): nothing
     * is left to write for it. Forgets it, as recording its outcome would.
     */
    public boolean doneByItsHandler(Claim claim) {
        return doneByHandler.remove(Objects.requireNonNull(claim, "claim"));
    }

    /**
     * Marks the claimed records done in one transaction, for a worker that records its handlers' outcomes in batches
     * of its own; for each claim, in order, false when it is no longer the caller's. The worker has already asked
     * {@link #doneByItsHandler} of each claim: one its handler ended has nothing left to write and is not passed.
     */
    public List<Boolean> done(List<Claim> claims) {
        return doneAll(Objects.requireNonNull(claims, "claims"));
    }

    private List<Boolean> doneAll(List<Claim> claims) {
        long now = clock.millis();
        return database.inTransaction(connection -> {
            // In id order, as claims lock them, so that concurrent writers never wait on each other in a cycle.
            List<Claim> ordered = claims.stream().sorted(Comparator.comparing(claim -> claim.envelope().id().value()))
                    .toList();
            Map<Claim, Boolean> settled = new IdentityHashMap<>();
            try (PreparedStatement update = connection.prepareStatement(SETTLE_OWN_CLAIM)) {
                for (Claim claim : ordered) {
                    bindSettle(update, claim.envelope().id(), claim.token(), OutboxStatus.DONE, now, null, now);
                    update.addBatch();
                }
                int[] counts = update.executeBatch();
                for (int i = 0; i < ordered.size(); i++) {
                    settled.put(ordered.get(i), counts[i] == 1);
                }
            }
            return claims.stream().map(settled::get).toList();
        });
    }

    /** Puts the claimed record back to wait until {@code dueAt}; false when the claim is no longer the caller's. */
    public boolean retry(Claim claim, long dueAt, String error) {
        long now = clock.millis();
        return later(claim, c -> settle(c, claim.envelope().id(), claim.token(), OutboxStatus.PENDING, dueAt, error,
                now));
    }

    /**
     * Puts the claimed record back to wait until {@code dueAt} without counting the try it was claimed for (the
     * handler did not try the work: see {@link Outcome#defer}); false when the claim is no longer the caller's.
     */
    public boolean defer(Claim claim, long dueAt) {
        long now = clock.millis();
        return later(claim, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE irisx_outbox SET status = 'PENDING',"
                    + " attempts = attempts - 1, next_attempt_at = ?, claim_token = NULL, claim_owner = NULL,"
                    + " claim_expires_at = NULL, updated_at = ? WHERE id = ? AND status = 'IN_FLIGHT' AND claim_token = ?")) {
                Params.of(update).longValue(dueAt).longValue(now).id(claim.envelope().id()).string(claim.token());
                return update.executeUpdate() == 1;
            }
        });
    }

    /**
     * Runs {@code settle}, which puts the claimed record back to wait, in a transaction; in a relay's table a record
     * that was queued claimed, and so never relayed, is made unpublished in it, for the relay to put on the broker.
     */
    private boolean later(Claim claim, Database.TransactionalWork<Boolean> settle) {
        Later later = database.inTransaction(c -> {
            boolean settled = settle.run(c);
            return new Later(settled, settled && relayed && OutboxTable.relayLocal(c, claim.envelope().id()));
        });
        if (later.relayed()) {
            requeued.accept(claim.envelope().channel());
        }
        return later.settled();
    }

    /** Whether a claimed record was put back to wait, and whether it was made unpublished with it. */
    private record Later(boolean settled, boolean relayed) {
    }

    /**
     * Marks the claimed record dead and stores its dead letter, with the broker's sequence number of the delivery
     * where there is a broker; empty when the claim is no longer the caller's.
     */
    public Optional<DeadLetter> dead(Claim claim, String error, OptionalLong streamSequence) {
        long now = clock.millis();
        return database.inTransaction(c -> {
            if (!settle(c, claim.envelope().id(), claim.token(), OutboxStatus.DEAD, now, error, now)) {
                return Optional.empty();
            }
            return Optional.of(deadLetters.insert(c, claim.envelope(), claim.attempt(), error, now, streamSequence));
        });
    }

    /**
     * Marks dead, on {@code connection}, the record of {@code envelope} whose claim on the last of {@code maxAttempts}
     * tries lapsed (its worker likely died on it), whoever held the claim, and stores its dead letter.
     */
    DeadLetter deadOnLapse(Connection connection, Envelope envelope, int attempts, int maxAttempts, long now)
            throws SQLException {
        String error = "claim lapsed on the last of " + maxAttempts + " tries; the worker likely died";
        settle(connection, envelope.id(), null, OutboxStatus.DEAD, now, error, now);
        return deadLetters.insert(connection, envelope, attempts, error, now, OptionalLong.empty());
    }

    private static boolean settle(Connection connection, MessageId id, String token, OutboxStatus status, long dueAt,
            String error, long now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(token == null ? SETTLE : SETTLE_OWN_CLAIM)) {
            bindSettle(update, id, token, status, dueAt, error, now);
            return update.executeUpdate() == 1;
        }
    }

    private static void bindSettle(PreparedStatement update, MessageId id, String token, OutboxStatus status,
            long dueAt, String error, long now) throws SQLException {
        Params params = Params.of(update).enumName(status).longValue(dueAt)
                .string(Optional.ofNullable(error).map(OutboxTable::truncate)).longValue(now).id(id);
        if (token != null) {
            params.string(token);
        }
    }
}

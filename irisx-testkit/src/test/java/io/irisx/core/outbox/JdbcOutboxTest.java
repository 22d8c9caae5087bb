package io.irisx.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.ConflictException;
import io.irisx.core.event.EventSink;
import io.irisx.core.id.MessageId;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testkit.outbox.OutboxContractKit;
import io.irisx.testkit.outbox.RecordingHandler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The {@link OutboxContractKit} for {@link JdbcOutbox}, plus what only the JDBC outbox promises (records, claims), on
 * H2 in PostgreSQL mode and on PostgreSQL.
 */
@OnEachDialect
class JdbcOutboxTest extends OutboxContractKit {

    private final CountDownLatch releaseStuckWorkers = new CountDownLatch(1);

    @Parameter
    Database.Dialect dialect;

    @Override
    protected Database newDatabase() {
        return TestDatabases.of(dialect);
    }

    @Override
    protected Outbox newOutbox(Database database, Clock clock, EventSink events) {
        return JdbcOutbox.create(database, clock, events);
    }

    @AfterEach
    final void releaseStuckWorkers() {
        releaseStuckWorkers.countDown();
    }

    private JdbcOutbox jdbc() {
        return (JdbcOutbox) outbox;
    }

    /** A handler that takes its delivery and never finishes it while the test runs, as a worker that died. */
    private RecordingHandler stuck(Outcome lateOutcome) {
        return RecordingHandler.answering(delivery -> {
            releaseStuckWorkers.await();
            return lateOutcome;
        });
    }

    private OutboxRecord record(MessageId id) {
        return jdbc().find(TENANT_A, id).orElseThrow();
    }

    @Test
    @DisplayName("a record can be found by its tenant only, and shows its status, attempts and last error")
    void recordsAreFoundPerTenant() {
        Envelope envelope = envelope(TENANT_A, "find me");
        outbox.publish(envelope);

        OutboxRecord pending = record(envelope.id());
        assertThat(pending.envelope()).isEqualTo(envelope);
        assertThat(pending.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(pending.attempts()).isZero();
        assertThat(pending.nextAttemptAt()).isEqualTo(START);
        assertThat(pending.createdAt()).isEqualTo(START);
        assertThat(pending.lastError()).isEmpty();
        assertThat(jdbc().find(TENANT_B, envelope.id())).isEmpty();

        outbox.consume(Channel.EMAIL, RecordingHandler.byAttempt(attempt -> Outcome.retry("try later")),
                options().retryPolicy(policy(Duration.ofMinutes(5))).build());
        OutboxRecord retried = eventually().until(() -> record(envelope.id()),
                r -> r.status() == OutboxStatus.PENDING && r.attempts() == 1);
        assertThat(retried.lastError()).contains("try later");
        assertThat(retried.nextAttemptAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    }

    @Test
    @DisplayName("a handled record stays DONE until purgeCompleted deletes it once old enough")
    void completedRecordsArePurgedByAge() {
        RecordingHandler handler = RecordingHandler.done();
        outbox.consume(Channel.EMAIL, handler, options().build());
        Envelope envelope = envelope(TENANT_A, "done").withIdempotencyKey("k-1");
        outbox.publish(envelope);
        eventually().until(() -> record(envelope.id()).status() == OutboxStatus.DONE);
        assertThat(outbox.publish(envelope(TENANT_A, "dupe").withIdempotencyKey("k-1"))).isEqualTo(envelope.id());

        advanceTime(Duration.ofDays(6));
        assertThat(jdbc().purgeCompleted(Duration.ofDays(7))).isZero();
        advanceTime(Duration.ofDays(2));
        assertThat(jdbc().purgeCompleted(Duration.ofDays(7))).isEqualTo(1);

        assertThat(jdbc().find(TENANT_A, envelope.id())).isEmpty();
    }

    @Test
    @DisplayName("a duplicate publish inside the caller's transaction leaves the transaction usable")
    void duplicateInsideTransactionDoesNotAbortIt() throws Exception {
        Envelope first = envelope(TENANT_A, "first").withIdempotencyKey("same");
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            assertThat(outbox.publish(connection, first)).isEqualTo(first.id());
            assertThat(outbox.publish(connection, envelope(TENANT_A, "again").withIdempotencyKey("same")))
                    .isEqualTo(first.id());
            try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM irisx_outbox");
                    ResultSet rows = select.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            connection.commit();
            connection.setAutoCommit(true);
        }
        assertThat(record(first.id()).envelope().payload()).isEqualTo("first");
    }

    @Test
    @DisplayName("an id already queued under another idempotency key is refused as a conflict")
    void reusedIdIsAConflict() {
        Envelope first = envelope(TENANT_A, "first");
        outbox.publish(first);

        assertThatThrownBy(() -> outbox.publish(first.withIdempotencyKey("something else")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining(first.id().value());
    }

    @Test
    @DisplayName("a record whose worker died comes back to another worker once its claim lapses")
    void lapsedClaimComesBack() {
        Envelope envelope = envelope(TENANT_A, "orphaned");
        outbox.consume(Channel.EMAIL, stuck(Outcome.done()),
                options().concurrency(1).build());
        outbox.publish(envelope);
        eventually().until(() -> record(envelope.id()).status() == OutboxStatus.IN_FLIGHT);

        RecordingHandler survivor = RecordingHandler.done();
        try (JdbcOutbox otherProcess = JdbcOutbox.create(database, clock)) {
            otherProcess.consume(Channel.EMAIL, survivor, options().build());
            advanceTime(Duration.ofSeconds(29));
            staysTrue(() -> survivor.count(envelope.id()) == 0);

            advanceTime(Duration.ofSeconds(2));
            eventually().until(() -> survivor.count(envelope.id()) == 1);
            assertThat(survivor.deliveriesOf(envelope.id()).get(0).attempt()).isEqualTo(2);
            eventually().until(() -> record(envelope.id()).status() == OutboxStatus.DONE);
        }
    }

    @Test
    @DisplayName("a worker whose claim lapsed and was taken over cannot overwrite the new owner's claim or outcome")
    void staleOwnerCannotOverwrite() throws Exception {
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        Envelope envelope = envelope(TENANT_A, "contested");
        RecordingHandler stale = stuck(Outcome.fail("too late"));
        Subscription staleSubscription = outbox.consume(Channel.EMAIL, stale,
                options().concurrency(1).onDeadLetter(dead::add).build());
        outbox.publish(envelope);
        eventually().until(() -> stale.count(envelope.id()) == 1);

        CountDownLatch newOwnerMayFinish = new CountDownLatch(1);
        RecordingHandler owner = RecordingHandler.answering(delivery -> {
            newOwnerMayFinish.await();
            return Outcome.done();
        });
        try (JdbcOutbox otherProcess = JdbcOutbox.create(database, clock)) {
            otherProcess.consume(Channel.EMAIL, owner, options().onDeadLetter(dead::add).build());
            advanceTime(Duration.ofSeconds(31));
            eventually().until(() -> owner.count(envelope.id()) == 1);

            // The stale worker finishes while the new owner still holds the record; closing waits for its outcome.
            releaseStuckWorkers.countDown();
            staleSubscription.close();
            OutboxRecord held = record(envelope.id());
            assertThat(held.status()).isEqualTo(OutboxStatus.IN_FLIGHT);
            assertThat(held.attempts()).isEqualTo(2);
            assertThat(held.lastError()).isEmpty();

            newOwnerMayFinish.countDown();
            eventually().until(() -> record(envelope.id()).status() == OutboxStatus.DONE);
        } finally {
            newOwnerMayFinish.countDown();
        }

        assertThat(record(envelope.id()).attempts()).isEqualTo(2);
        assertThat(dead).isEmpty();
        assertThat(outbox.deadLetters().find(TENANT_A, envelope.id())).isEmpty();
    }

    @Test
    @DisplayName("a lapsed claim on the last allowed try becomes a dead letter instead of circulating")
    void lapsedLastTryIsDead() {
        Envelope envelope = envelope(TENANT_A, "kills its workers");
        outbox.consume(Channel.EMAIL, stuck(Outcome.done()),
                options().concurrency(1).retryPolicy(RetryPolicy.none()).build());
        outbox.publish(envelope);
        eventually().until(() -> record(envelope.id()).status() == OutboxStatus.IN_FLIGHT);

        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        RecordingHandler survivor = RecordingHandler.done();
        try (JdbcOutbox otherProcess = JdbcOutbox.create(database, clock)) {
            otherProcess.consume(Channel.EMAIL, survivor,
                    options().retryPolicy(RetryPolicy.none()).onDeadLetter(dead::add).build());
            advanceTime(Duration.ofSeconds(31));
            eventually().until(() -> dead.size() == 1);
        }

        assertThat(survivor.deliveries()).isEmpty();
        assertThat(dead.get(0).attempts()).isEqualTo(1);
        assertThat(dead.get(0).lastError()).contains("claim lapsed");
        assertThat(record(envelope.id()).status()).isEqualTo(OutboxStatus.DEAD);
    }

    @Test
    @DisplayName("a record claimed ahead that waited in line past a quarter of its claim's time is handed back, never"
            + " handled on a claim another worker took over")
    void aRecordClaimedAheadThatWaitedTooLongIsHandedBack() {
        Envelope quick = envelope(TENANT_A, "quick");
        Envelope slow = envelope(TENANT_A, "slow");
        Envelope waiting = envelope(TENANT_A, "waiting in line");
        RecordingHandler otherWorker = RecordingHandler.done();
        // The slow handling outlasts a quarter of the 4 s claim (in real time: the wait in line is timed so), and ends
        // only once another process took over the lapsed claims (in the outbox's time) and handled the one in line.
        RecordingHandler handler = RecordingHandler.answering(delivery -> {
            if (delivery.envelope().equals(slow)) {
                await().atMost(PATIENCE).pollDelay(Duration.ofMillis(1100))
                        .until(() -> otherWorker.count(waiting.id()) == 1);
            }
            return Outcome.done();
        });
        outbox.consume(Channel.EMAIL, handler,
                options().concurrency(1).batchSize(2).claimTimeout(Duration.ofSeconds(4)).build());
        // One quick handling: the handlers have shown they are quick, so the poller claims ahead of them.
        outbox.publish(quick);
        eventually().until(() -> handler.count(quick.id()) == 1);
        database.inTransaction(connection -> {
            outbox.publish(connection, slow);
            return outbox.publish(connection, waiting);
        });
        outbox.committed(List.of(slow, waiting));
        eventually().until(() -> handler.count(slow.id()) == 1
                && record(waiting.id()).status() == OutboxStatus.IN_FLIGHT);

        try (JdbcOutbox otherProcess = JdbcOutbox.create(database, clock)) {
            otherProcess.consume(Channel.EMAIL, otherWorker, options().build());
            advanceTime(Duration.ofSeconds(5));
            eventually().until(() -> otherWorker.count(waiting.id()) == 1);
            // Waits for the slow handling, then for what the first worker does with the record in line.
            outbox.close();
        }

        assertThat(handler.count(waiting.id())).isZero();
        assertThat(otherWorker.count(waiting.id())).isEqualTo(1);
        assertThat(record(waiting.id()).status()).isEqualTo(OutboxStatus.DONE);
    }

    @Test
    @DisplayName("closing waits for the outcomes handed over to be written: every record handled is DONE once it"
            + " returns")
    void closingWritesTheOutcomesHandedOver() {
        RecordingHandler handler = RecordingHandler.done();
        outbox.consume(Channel.EMAIL, handler, options().concurrency(4).batchSize(16).build());
        List<MessageId> ids = IntStream.range(0, 40).mapToObj(i -> outbox.publish(envelope(TENANT_A, "m" + i)))
                .toList();
        eventually().until(() -> handler.deliveries().size() == ids.size());

        outbox.close();

        assertThat(ids).allMatch(id -> record(id).status() == OutboxStatus.DONE);
    }

    @Test
    @DisplayName("a replayed dead letter's record is PENDING again with no attempts, due now")
    void replayResetsTheRecord() {
        outbox.consume(Channel.EMAIL, RecordingHandler.byAttempt(attempt -> Outcome.fail("no")), options().build());
        MessageId id = outbox.publish(envelope(TENANT_A, "replayed"));
        eventually().until(() -> record(id).status() == OutboxStatus.DEAD);
        outbox.close();
        advanceTime(Duration.ofMinutes(3));

        assertThat(outbox.deadLetters().replay(TENANT_A, id)).isTrue();

        OutboxRecord replayed = record(id);
        assertThat(replayed.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(replayed.attempts()).isZero();
        assertThat(replayed.nextAttemptAt()).isEqualTo(START.plus(Duration.ofMinutes(3)));
    }

    @Test
    @DisplayName("purging a dead letter deletes its record too, freeing its idempotency key")
    void purgeFreesTheIdempotencyKey() {
        outbox.consume(Channel.EMAIL, RecordingHandler.byAttempt(attempt -> Outcome.fail("no")), options().build());
        Envelope envelope = envelope(TENANT_A, "purged").withIdempotencyKey("k-9");
        outbox.publish(envelope);
        eventually().until(() -> record(envelope.id()).status() == OutboxStatus.DEAD);

        assertThat(outbox.deadLetters().purge(TENANT_A, envelope.id())).isTrue();

        assertThat(jdbc().find(TENANT_A, envelope.id())).isEmpty();
        Envelope again = envelope(TENANT_A, "again").withIdempotencyKey("k-9");
        assertThat(outbox.publish(again)).isEqualTo(again.id());
    }
}

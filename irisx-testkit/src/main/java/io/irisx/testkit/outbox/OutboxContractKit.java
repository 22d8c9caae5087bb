package io.irisx.testkit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.DeadLetter;
import io.irisx.core.outbox.DeadLetters;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Handler;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.outbox.spi.OutboxOutcomes;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import io.irisx.testing.LogCapture;
import io.irisx.testing.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Outbox} keeps, as JUnit 5 tests: an implementation's test extends this kit and says how to
 * make the outbox and the database it stands on. Each test gets a fresh database, a {@link MutableClock} and an
 * outbox; JUnit makes an instance per test, so an instance is used by one test's threads only.
 *
 * <p>Time is moved with {@link #advanceTime(Duration)}, never waited out. Where a test must show that something
 * does <em>not</em> happen, it watches for a short while ({@link #QUIET}) during which the workers poll many times
 * ({@link #options()} polls every few milliseconds).
 *
 * <p>An outbox of a host's own passes it as IRISX's {@link JdbcOutbox} does here, with its own factory in
 * {@code newOutbox} and a new database for each test (any dialect IRISX supports):
 *
 * <pre>{@code
 * class JdbcOutboxOnH2Test extends OutboxContractKit {
 *
 *     @Override
 *     protected Database newDatabase() {
 *         String url = "jdbc:h2:mem:" + UUID.randomUUID()
 *                 + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
 *         Database database = Database.connect(url, "sa", "", 10);
 *         database.migrate("core");
 *         return database;
 *     }
 *
 *     @Override
 *     protected Outbox newOutbox(Database database, Clock clock, EventSink events) {
 *         return JdbcOutbox.create(database, clock, events);
 *     }
 * }
 * }</pre>
 *
 * <p>The kit reads the outbox table ({@link #recordsDone()}) and the lines the outbox logs under
 * {@code io.irisx.core.outbox}, as an outbox built on {@link io.irisx.core.outbox.spi} keeps and writes them. It reads
 * the log as slf4j-simple writes it, so the test class path needs slf4j-simple as SLF4J's backend. IRISX runs the kit
 * against the JDBC outbox on H2 and PostgreSQL ({@code JdbcOutboxTest} in irisx-testkit's tests) and against the
 * JetStream outbox ({@code JetStreamOutboxTest} in irisx-queue's).
 */
public abstract class OutboxContractKit {

    /** How long a test watches for something that must not happen. */
    protected static final Duration QUIET = Duration.ofMillis(200);
    /** The longest a test waits for something that must happen. */
    protected static final Duration PATIENCE = Duration.ofSeconds(20);
    /** Where every test's clock starts. */
    protected static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    /** The tenant most tests publish for. */
    protected static final TenantId TENANT_A = TenantId.of("tenant-a");
    /** Another tenant, which must never see the first one's data. */
    protected static final TenantId TENANT_B = TenantId.of("tenant-b");

    /** This test's clock. */
    protected MutableClock clock;
    /** This test's database, migrated for irisx-core. */
    protected Database database;
    /** The outbox under test. */
    protected Outbox outbox;

    /** A fresh database for one test, migrated for irisx-core; the kit closes it after the test. */
    protected abstract Database newDatabase();

    /** The outbox under test, on {@code database} and {@code clock}; the kit closes it after the test. */
    protected abstract Outbox newOutbox(Database database, Clock clock, EventSink events);

    /** This test's clock; by default one standing at {@link #START}. */
    protected MutableClock newClock() {
        return MutableClock.at(START);
    }

    /** Moves the outbox's time forward; by default advances the {@link MutableClock}. */
    protected void advanceTime(Duration amount) {
        clock.advance(amount);
    }

    /** Options for the tests: quick polling, a short shutdown, and retries every second without jitter. */
    protected ConsumeOptions.Builder options() {
        return ConsumeOptions.builder()
                .concurrency(4)
                .pollInterval(Duration.ofMillis(5))
                .shutdownTimeout(Duration.ofSeconds(10))
                .claimTimeout(Duration.ofSeconds(30))
                .retryPolicy(policy(Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    /** A retry policy with these delays and no jitter. */
    protected static RetryPolicy policy(Duration... delays) {
        return RetryPolicy.builder().schedule(List.of(delays)).jitter(0).build();
    }

    /** Awaitility, polling often, giving up after {@link #PATIENCE}. */
    protected static ConditionFactory eventually() {
        return await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    /**
     * How many records of the outbox table are done, of every tenant and channel; an outbox that keeps its records
     * elsewhere counts its own.
     */
    protected long recordsDone() {
        return database.withConnection(connection -> {
            try (var select = connection.prepareStatement("SELECT COUNT(*) FROM irisx_outbox WHERE status = 'DONE'");
                    var rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /**
     * Whether the outbox's workers let a handler mark its record done in the handler's own transaction
     * ({@link OutboxOutcomes#doneIn}); true for IRISX's outboxes, which record outcomes with {@link OutboxOutcomes}.
     * An outbox of a host's own that does not answers false, and its workers record the outcome themselves.
     */
    protected boolean marksDoneInHandlerTransactions() {
        return outbox instanceof JdbcOutbox;
    }

    /** Asserts that {@code condition} holds for {@link #QUIET}. */
    protected static void staysTrue(BooleanSupplier condition) {
        await().during(QUIET).atMost(QUIET.plus(PATIENCE)).pollInterval(Duration.ofMillis(5))
                .until(condition::getAsBoolean);
    }

    /** The events the outbox emitted, in order. */
    protected final List<Event> emitted = new CopyOnWriteArrayList<>();

    /** The sink the outbox is given: it keeps what it gets in {@link #emitted}. */
    protected final EventSink events = emitted::add;

    @BeforeEach
    final void openOutbox() {
        clock = newClock();
        database = newDatabase();
        outbox = newOutbox(database, clock, events);
    }

    @AfterEach
    final void closeOutbox() {
        try {
            if (outbox != null) {
                outbox.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    /** A new envelope for {@code tenant} on {@link Channel#EMAIL}. */
    protected static Envelope envelope(TenantId tenant, String payload) {
        return Envelope.of(tenant, Channel.EMAIL, payload);
    }

    private Subscription consume(Handler handler, ConsumeOptions options) {
        return outbox.consume(Channel.EMAIL, handler, options);
    }

    @Test
    @DisplayName("a published envelope is delivered once, as attempt 1, with its payload")
    void publishedEnvelopeIsDeliveredOnce() {
        RecordingHandler handler = RecordingHandler.done();
        consume(handler, options().build());
        Envelope envelope = envelope(TENANT_A, "{\"to\":\"a@example.com\"}");

        assertThat(outbox.publish(envelope)).isEqualTo(envelope.id());

        eventually().until(() -> handler.count(envelope.id()) == 1);
        Delivery delivery = handler.deliveriesOf(envelope.id()).get(0);
        assertThat(delivery.attempt()).isEqualTo(1);
        assertThat(delivery.envelope()).isEqualTo(envelope);
        // Past the claim's time only once the outcome is written: a claim that lapses first is taken again.
        eventually().until(() -> recordsDone() == 1);
        advanceTime(Duration.ofHours(1));
        staysTrue(() -> handler.deliveries().size() == 1);
    }

    @Test
    @DisplayName("payloads arrive intact, from non-Latin text to the largest allowed")
    void payloadsArriveIntact() {
        RecordingHandler handler = RecordingHandler.done();
        consume(handler, options().build());
        Envelope unicode = envelope(TENANT_A, "{\"text\":\"Grüße, 你好, שלום, 🙂\\n\"}");
        Envelope largest = envelope(TENANT_A, "x".repeat(Envelope.MAX_PAYLOAD));

        outbox.publish(unicode);
        outbox.publish(largest);

        eventually().until(() -> handler.deliveries().size() == 2);
        assertThat(handler.deliveriesOf(unicode.id()).get(0).envelope().payload()).isEqualTo(unicode.payload());
        assertThat(handler.deliveriesOf(largest.id()).get(0).envelope().payload()).isEqualTo(largest.payload());
    }

    @Test
    @DisplayName("only the channel's subscription receives its envelopes")
    void envelopesGoToTheirChannelOnly() {
        RecordingHandler sms = RecordingHandler.done();
        RecordingHandler email = RecordingHandler.done();
        outbox.consume(Channel.SMS, sms, options().build());
        consume(email, options().build());

        MessageId id = outbox.publish(envelope(TENANT_A, "mail"));

        eventually().until(() -> email.count(id) == 1);
        staysTrue(() -> sms.deliveries().isEmpty());
    }

    @Test
    @DisplayName("a second envelope with the same idempotency key returns the first one's id and is not delivered")
    void idempotencyKeyDeduplicates() {
        RecordingHandler handler = RecordingHandler.done();
        Envelope first = envelope(TENANT_A, "first").withIdempotencyKey("order-42");
        Envelope second = envelope(TENANT_A, "second").withIdempotencyKey("order-42");
        Envelope otherTenant = envelope(TENANT_B, "other tenant").withIdempotencyKey("order-42");

        assertThat(outbox.publish(first)).isEqualTo(first.id());
        assertThat(outbox.publish(second)).isEqualTo(first.id());
        assertThat(outbox.publish(otherTenant)).isEqualTo(otherTenant.id());
        consume(handler, options().build());

        eventually().until(() -> handler.deliveries().size() == 2);
        staysTrue(() -> handler.deliveries().size() == 2);
        assertThat(handler.deliveries()).extracting(d -> d.envelope().payload())
                .containsExactlyInAnyOrder("first", "other tenant");
    }

    @Test
    @DisplayName("an envelope published in a transaction that rolls back is never delivered; one that commits is")
    void publishJoinsTheCallersTransaction() throws Exception {
        RecordingHandler handler = RecordingHandler.done();
        consume(handler, options().build());
        Envelope rolledBack = envelope(TENANT_A, "rolled back");
        Envelope committed = envelope(TENANT_A, "committed");

        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            assertThat(outbox.publish(connection, rolledBack)).isEqualTo(rolledBack.id());
            connection.rollback();
            assertThat(outbox.publish(connection, committed)).isEqualTo(committed.id());
            staysTrue(() -> handler.deliveries().isEmpty());
            connection.commit();
            connection.setAutoCommit(true);
        }

        eventually().until(() -> handler.count(committed.id()) == 1);
        staysTrue(() -> handler.count(rolledBack.id()) == 0);
    }

    @Test
    @DisplayName("inTransaction queues what its work publishes, delivered once committed and never when it throws")
    void inTransactionQueuesWithTheWork() {
        RecordingHandler handler = RecordingHandler.done();
        consume(handler, options().concurrency(2).build());
        Envelope rolledBack = envelope(TENANT_A, "rolled back");
        Envelope first = envelope(TENANT_A, "first");
        Envelope second = envelope(TENANT_A, "second");
        Envelope duplicate = envelope(TENANT_A, "duplicate").withIdempotencyKey(first.idempotencyKey());
        Envelope third = envelope(TENANT_A, "third");

        assertThatThrownBy(() -> outbox.inTransaction(database, (connection, queue) -> {
            queue.publish(rolledBack);
            throw new IllegalStateException("the work failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the work failed");
        // Three in one transaction, more than the handlers free, and a duplicate of the first.
        List<MessageId> ids = outbox.inTransaction(database, (connection, queue) -> List.of(queue.publish(first),
                queue.publish(second), queue.publish(duplicate), queue.publish(third)));

        assertThat(ids).containsExactly(first.id(), second.id(), first.id(), third.id());
        eventually().until(() -> recordsDone() == 3);
        advanceTime(Duration.ofHours(1));
        staysTrue(() -> handler.deliveries().size() == 3);
        assertThat(handler.deliveries()).extracting(d -> d.envelope().payload())
                .containsExactlyInAnyOrder("first", "second", "third");
        assertThat(outbox.publish(envelope(TENANT_A, "after"))).isNotNull();
        eventually().until(() -> handler.deliveries().size() == 4);
    }

    @Test
    @DisplayName("a retry waits for the policy's delay and is then delivered as the next attempt")
    void retryWaitsForThePolicyDelay() {
        RecordingHandler handler = RecordingHandler.byAttempt(
                attempt -> attempt == 1 ? Outcome.retry("provider busy") : Outcome.done());
        consume(handler, options().retryPolicy(policy(Duration.ofMinutes(1))).build());

        MessageId id = outbox.publish(envelope(TENANT_A, "retry me"));
        eventually().until(() -> handler.count(id) == 1);
        staysTrue(() -> handler.count(id) == 1);

        advanceTime(Duration.ofSeconds(59));
        staysTrue(() -> handler.count(id) == 1);

        // Past the delay even if the retry was scheduled from the advanced time.
        advanceTime(Duration.ofSeconds(61));
        eventually().until(() -> handler.count(id) == 2);
        assertThat(handler.deliveriesOf(id).get(1).attempt()).isEqualTo(2);
    }

    @Test
    @DisplayName("a retry-after delay from the handler replaces the policy's delay")
    void retryAfterIsHonoured() {
        RecordingHandler handler = RecordingHandler.byAttempt(attempt -> attempt == 1
                ? Outcome.retryAfter(Duration.ofMinutes(10), "429 Retry-After: 600") : Outcome.done());
        consume(handler, options().retryPolicy(policy(Duration.ofSeconds(1))).build());

        MessageId id = outbox.publish(envelope(TENANT_A, "rate limited"));
        eventually().until(() -> handler.count(id) == 1);
        staysTrue(() -> handler.count(id) == 1);

        advanceTime(Duration.ofMinutes(9));
        staysTrue(() -> handler.count(id) == 1);

        advanceTime(Duration.ofMinutes(11));
        eventually().until(() -> handler.count(id) == 2);
    }

    @Test
    @DisplayName("a deferred delivery comes again after its delay without counting a try")
    void deferDoesNotCountATry() {
        AtomicInteger deliveries = new AtomicInteger();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        consume(delivery -> {
            attempts.add(delivery.attempt());
            return deliveries.incrementAndGet() <= 3 ? Outcome.defer(Duration.ofSeconds(30), "endpoint busy")
                    : Outcome.done();
        }, options().retryPolicy(RetryPolicy.none()).build());

        MessageId id = outbox.publish(envelope(TENANT_A, "busy endpoint"));
        for (int i = 1; i <= 3; i++) {
            int seen = i;
            eventually().until(() -> deliveries.get() == seen);
            staysTrue(() -> deliveries.get() == seen);
            advanceTime(Duration.ofSeconds(31));
        }
        eventually().until(() -> deliveries.get() == 4);
        // A policy of no retries at all: only deferring, never trying, kept it alive.
        assertThat(attempts).containsExactly(1, 1, 1, 1);
        assertThat(outbox.deadLetters().find(TENANT_A, id)).isEmpty();
    }

    @Test
    @DisplayName("a handler's exception counts as a retry, and its message becomes the last error")
    void handlerExceptionIsARetry() {
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        RecordingHandler handler = RecordingHandler.answering(delivery -> {
            throw new IllegalStateException("boom " + delivery.attempt());
        });
        consume(handler, options().retryPolicy(policy(Duration.ofSeconds(1))).onDeadLetter(dead::add).build());

        MessageId id = outbox.publish(envelope(TENANT_A, "explodes"));
        eventually().until(() -> handler.count(id) == 1);
        staysTrue(() -> handler.count(id) == 1 && dead.isEmpty());

        eventually().until(() -> {
            advanceTime(Duration.ofSeconds(1));
            return dead.size() == 1;
        });
        assertThat(handler.deliveriesOf(id)).extracting(Delivery::attempt).containsExactly(1, 2);
        assertThat(dead.get(0).lastError()).contains("IllegalStateException").contains("boom 2");
    }

    @Test
    @DisplayName("an Error thrown by a handler is a recorded failed attempt, logged at ERROR, and never loops")
    void handlerErrorIsARecordedAttempt() {
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        RecordingHandler handler = RecordingHandler.answering(delivery -> {
            throw new NoSuchMethodError("'com.example.Json com.example.Parser.read()'");
        });
        try (LogCapture logs = LogCapture.start()) {
            consume(handler, options().retryPolicy(policy(Duration.ofSeconds(1))).onDeadLetter(dead::add).build());

            MessageId id = outbox.publish(envelope(TENANT_A, "links badly"));
            eventually().until(() -> handler.count(id) == 1);
            staysTrue(() -> handler.count(id) == 1 && dead.isEmpty());
            eventually().until(() -> {
                advanceTime(Duration.ofSeconds(1));
                return dead.size() == 1;
            });
            advanceTime(Duration.ofHours(1));
            staysTrue(() -> handler.count(id) == 2);

            assertThat(dead.get(0).lastError()).isEqualTo(
                    "java.lang.NoSuchMethodError: 'com.example.Json com.example.Parser.read()'");
            assertThat(logs.lines("ERROR", "io.irisx.core.outbox")).anySatisfy(line -> assertThat(line)
                    .contains(id.value(), "threw java.lang.NoSuchMethodError"));
        }
    }

    @Test
    @DisplayName("every failed attempt is logged at WARN with the message, attempt and error; a dead letter at ERROR")
    void failuresAreLogged() {
        RecordingHandler handler = RecordingHandler.byAttempt(attempt -> Outcome.retry("provider down #" + attempt));
        try (LogCapture logs = LogCapture.start()) {
            consume(handler, options().retryPolicy(policy(Duration.ofSeconds(1))).build());
            MessageId id = outbox.publish(envelope(TENANT_A, "never works"));
            eventually().until(() -> {
                advanceTime(Duration.ofSeconds(1));
                return outbox.deadLetters().find(TENANT_A, id).isPresent();
            });

            assertThat(logs.lines("WARN", "io.irisx.core.outbox")).anySatisfy(line -> assertThat(line)
                    .contains(id.value(), "tenant=" + TENANT_A.value(), "channel=EMAIL", "attempt 1 of 2 failed",
                            "provider down #1"));
            // The dead letter is logged once its transaction commits, just after it can be found.
            eventually().until(() -> logs.lines("ERROR", "io.irisx.core.outbox").stream()
                    .anyMatch(line -> line.contains(id.value() + " ")));
            assertThat(logs.lines("ERROR", "io.irisx.core.outbox")).anySatisfy(line -> assertThat(line)
                    .contains(id.value(), "dead after 2 attempt(s): provider down #2"));
            assertThat(String.join("\n", logs.lines("io.irisx"))).doesNotContain("never works");
        }
    }

    @Test
    @DisplayName("retries used up make a dead letter with the attempts and last error, reported once")
    void exhaustedRetriesMakeADeadLetter() {
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        RecordingHandler handler = RecordingHandler.byAttempt(attempt -> Outcome.retry("provider down #" + attempt));
        consume(handler, options().retryPolicy(policy(Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .onDeadLetter(dead::add).build());

        Envelope envelope = envelope(TENANT_A, "never works");
        outbox.publish(envelope);
        eventually().until(() -> {
            advanceTime(Duration.ofSeconds(1));
            return dead.size() == 1;
        });
        advanceTime(Duration.ofHours(1));
        staysTrue(() -> dead.size() == 1 && handler.count(envelope.id()) == 3);

        DeadLetter letter = dead.get(0);
        assertThat(letter.envelope()).isEqualTo(envelope);
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.lastError()).isEqualTo("provider down #3");
        assertThat(outbox.deadLetters().find(TENANT_A, envelope.id())).contains(letter);
    }

    @Test
    @DisplayName("a failure for good makes a dead letter at once, without retries")
    void failIsDeadAtOnce() {
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        RecordingHandler handler = RecordingHandler.answering(delivery -> Outcome.fail("550 no such mailbox"));
        consume(handler, options().retryPolicy(RetryPolicy.defaults()).onDeadLetter(dead::add).build());

        MessageId id = outbox.publish(envelope(TENANT_A, "bad address"));

        eventually().until(() -> dead.size() == 1);
        advanceTime(Duration.ofHours(1));
        staysTrue(() -> handler.count(id) == 1);
        assertThat(dead.get(0).attempts()).isEqualTo(1);
        assertThat(dead.get(0).lastError()).isEqualTo("550 no such mailbox");
        assertThat(outbox.deadLetters().list(TENANT_A, Channel.EMAIL, 10, Optional.empty()))
                .extracting(d -> d.envelope().id()).containsExactly(id);
        assertThat(emitted).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(EventType.MESSAGE_DEAD_LETTERED);
            assertThat(event.tenant()).isEqualTo(TENANT_A);
            assertThat(event.data()).contains("\"messageId\":\"" + id.value() + "\"", "\"channel\":\"EMAIL\"",
                    "\"attempts\":1", "\"lastError\":\"550 no such mailbox\"");
        });
    }

    @Test
    @DisplayName("a dead-letter callback that throws stops neither the dead letter nor later deliveries")
    void failingDeadLetterCallbackIsContained() {
        RecordingHandler handler = RecordingHandler.answering(delivery ->
                delivery.envelope().payload().equals("bad") ? Outcome.fail("bad") : Outcome.done());
        consume(handler, options().onDeadLetter(letter -> {
            throw new IllegalStateException("callback broke");
        }).build());

        MessageId bad = outbox.publish(envelope(TENANT_A, "bad"));
        eventually().until(() -> outbox.deadLetters().find(TENANT_A, bad).isPresent());
        MessageId good = outbox.publish(envelope(TENANT_A, "good"));

        eventually().until(() -> handler.count(good) == 1);
    }

    @Test
    @DisplayName("a replayed dead letter is delivered again from attempt 1 and leaves the dead letters")
    void replayDeliversAgain() {
        AtomicInteger calls = new AtomicInteger();
        RecordingHandler handler = RecordingHandler.answering(delivery ->
                calls.incrementAndGet() == 1 ? Outcome.fail("mailbox full") : Outcome.done());
        consume(handler, options().build());
        MessageId id = outbox.publish(envelope(TENANT_A, "replay me"));
        eventually().until(() -> outbox.deadLetters().find(TENANT_A, id).isPresent());

        assertThat(outbox.deadLetters().replay(TENANT_A, id)).isTrue();

        eventually().until(() -> handler.count(id) == 2);
        assertThat(handler.deliveriesOf(id).get(1).attempt()).isEqualTo(1);
        assertThat(outbox.deadLetters().find(TENANT_A, id)).isEmpty();
        assertThat(outbox.deadLetters().replay(TENANT_A, id)).isFalse();
        staysTrue(() -> handler.count(id) == 2);
    }

    @Test
    @DisplayName("a purged dead letter is gone for good")
    void purgeDeletesTheDeadLetter() {
        consume(RecordingHandler.answering(delivery -> Outcome.fail("no")), options().build());
        MessageId id = outbox.publish(envelope(TENANT_A, "purge me"));
        eventually().until(() -> outbox.deadLetters().find(TENANT_A, id).isPresent());

        assertThat(outbox.deadLetters().purge(TENANT_A, id)).isTrue();

        assertThat(outbox.deadLetters().find(TENANT_A, id)).isEmpty();
        assertThat(outbox.deadLetters().list(TENANT_A, Channel.EMAIL, 10, Optional.empty())).isEmpty();
        assertThat(outbox.deadLetters().purge(TENANT_A, id)).isFalse();
        assertThat(outbox.deadLetters().replay(TENANT_A, id)).isFalse();
    }

    @Test
    @DisplayName("dead letters list oldest first, a page at a time, per tenant and channel")
    void deadLettersArePaged() {
        RecordingHandler handler = RecordingHandler.answering(delivery -> Outcome.fail("no"));
        consume(handler, options().build());
        List<MessageId> ids = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(outbox.publish(envelope(TENANT_A, "letter " + i)));
        }
        outbox.publish(envelope(TENANT_B, "another tenant's"));
        eventually().until(() -> handler.deliveries().size() == 6
                && outbox.deadLetters().list(TENANT_A, Channel.EMAIL, 10, Optional.empty()).size() == 5);
        DeadLetters letters = outbox.deadLetters();

        List<DeadLetter> first = letters.list(TENANT_A, Channel.EMAIL, 2, Optional.empty());
        List<DeadLetter> second = letters.list(TENANT_A, Channel.EMAIL, 2, Optional.of(first.get(1).envelope().id()));
        List<DeadLetter> third = letters.list(TENANT_A, Channel.EMAIL, 2, Optional.of(second.get(1).envelope().id()));

        assertThat(first).extracting(d -> d.envelope().id()).containsExactly(ids.get(0), ids.get(1));
        assertThat(second).extracting(d -> d.envelope().id()).containsExactly(ids.get(2), ids.get(3));
        assertThat(third).extracting(d -> d.envelope().id()).containsExactly(ids.get(4));
        assertThat(letters.list(TENANT_A, Channel.SMS, 10, Optional.empty())).isEmpty();
    }

    @Test
    @DisplayName("another tenant can neither find, list, replay nor purge a tenant's dead letter")
    void deadLettersAreTenantScoped() {
        consume(RecordingHandler.answering(delivery -> Outcome.fail("no")), options().build());
        MessageId id = outbox.publish(envelope(TENANT_A, "tenant a's"));
        eventually().until(() -> outbox.deadLetters().find(TENANT_A, id).isPresent());
        DeadLetters letters = outbox.deadLetters();

        assertThat(letters.find(TENANT_B, id)).isEmpty();
        assertThat(letters.list(TENANT_B, Channel.EMAIL, 10, Optional.empty())).isEmpty();
        assertThat(letters.replay(TENANT_B, id)).isFalse();
        assertThat(letters.purge(TENANT_B, id)).isFalse();

        assertThat(letters.find(TENANT_A, id)).isPresent();
        assertThat(letters.list(TENANT_A, Channel.EMAIL, 10, Optional.empty())).hasSize(1);
    }

    @Test
    @DisplayName("many envelopes with several handlers at once are each handled exactly once")
    void manyEnvelopesAreEachHandledOnce() {
        Map<MessageId, AtomicInteger> handled = new ConcurrentHashMap<>();
        Handler handler = delivery -> {
            handled.computeIfAbsent(delivery.envelope().id(), k -> new AtomicInteger()).incrementAndGet();
            return Outcome.done();
        };
        consume(handler, options().concurrency(8).batchSize(16).build());

        int count = 300;
        for (int i = 0; i < count; i++) {
            outbox.publish(envelope(i % 2 == 0 ? TENANT_A : TENANT_B, "bulk " + i));
        }

        eventually().until(() -> handled.size() == count);
        // Every outcome recorded first: a claim whose outcome is still being written lapses when time jumps an hour.
        eventually().until(() -> recordsDone() == count);
        advanceTime(Duration.ofHours(1));
        staysTrue(() -> handled.values().stream().allMatch(n -> n.get() == 1) && handled.size() == count);
    }

    @Test
    @DisplayName("deliveries run concurrently, but never more at once than the concurrency")
    void concurrencyIsUsedAndBounded() {
        int concurrency = 3;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch allRunning = new CountDownLatch(concurrency);
        Handler handler = delivery -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                allRunning.countDown();
                // Returns once `concurrency` deliveries have been in progress together.
                return allRunning.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                        ? Outcome.done() : Outcome.fail("deliveries did not run concurrently");
            } finally {
                running.decrementAndGet();
            }
        };
        List<DeadLetter> dead = new CopyOnWriteArrayList<>();
        consume(handler, options().concurrency(concurrency).batchSize(10).onDeadLetter(dead::add).build());

        for (int i = 0; i < concurrency * 4; i++) {
            outbox.publish(envelope(TENANT_A, "parallel " + i));
        }

        eventually().until(() -> allRunning.getCount() == 0);
        staysTrue(() -> running.get() == 0);
        assertThat(dead).isEmpty();
        assertThat(mostAtOnce.get()).isEqualTo(concurrency);
    }

    @Test
    @DisplayName("closing a subscription waits for the delivery in progress, records it, and stops fetching")
    void closeWaitsForTheDeliveryInProgress() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordingHandler slow = RecordingHandler.answering(delivery -> {
            started.countDown();
            release.await();
            return Outcome.done();
        });
        Subscription subscription = consume(slow, options().shutdownTimeout(Duration.ofSeconds(30)).build());
        MessageId inProgress = outbox.publish(envelope(TENANT_A, "slow"));
        assertThat(started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(subscription::close);
        staysTrue(() -> !closing.isDone());
        release.countDown();
        closing.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        MessageId afterClose = outbox.publish(envelope(TENANT_A, "after close"));
        staysTrue(() -> slow.count(afterClose) == 0);

        // The outcome was recorded: once its claim would have lapsed, a new subscription does not get it again.
        advanceTime(Duration.ofHours(1));
        RecordingHandler next = RecordingHandler.done();
        consume(next, options().build());
        eventually().until(() -> next.count(afterClose) == 1);
        staysTrue(() -> next.count(inProgress) == 0);
        assertThat(slow.count(inProgress)).isEqualTo(1);
    }

    @Test
    @DisplayName("closing the outbox closes its subscriptions")
    void closingTheOutboxClosesSubscriptions() {
        RecordingHandler handler = RecordingHandler.done();
        consume(handler, options().build());
        MessageId before = outbox.publish(envelope(TENANT_A, "before close"));
        eventually().until(() -> handler.count(before) == 1);

        outbox.close();

        Outbox another = newOutbox(database, clock, events);
        try {
            MessageId after = another.publish(envelope(TENANT_A, "after close"));
            staysTrue(() -> handler.count(after) == 0);
        } finally {
            another.close();
        }
    }

    @Test
    @DisplayName("a handler that marks its record done in its own transaction commits its work and the record's end"
            + " together, and is never delivered again")
    void handlerMarksItsRecordDoneInItsTransaction() {
        createWorkTable();
        List<Boolean> marked = new CopyOnWriteArrayList<>();
        RecordingHandler handler = RecordingHandler.answering(delivery -> {
            database.inTransaction(connection -> {
                storeWork(connection, delivery);
                marked.add(OutboxOutcomes.doneIn(connection, delivery, clock.instant()));
                return null;
            });
            return Outcome.done();
        });
        consume(handler, options().build());

        MessageId id = outbox.publish(envelope(TENANT_A, "stored and done together"));
        eventually().until(() -> recordsDone() == 1);
        staysTrue(() -> handler.count(id) == 1);
        assertThat(work()).containsExactly(id.value() + "#1");
        assertThat(marked).containsExactly(marksDoneInHandlerTransactions());
    }

    @Test
    @DisplayName("a handler whose transaction rolls back after marking its record done is tried again, and its work"
            + " is stored once")
    void markRolledBackWithTheHandlersWorkIsTriedAgain() {
        createWorkTable();
        RecordingHandler handler = RecordingHandler.answering(delivery -> {
            database.inTransaction(connection -> {
                storeWork(connection, delivery);
                OutboxOutcomes.doneIn(connection, delivery, clock.instant());
                if (delivery.attempt() == 1) {
                    throw new IllegalStateException("the transaction fails after the mark");
                }
                return null;
            });
            return Outcome.done();
        });
        consume(handler, options().retryPolicy(policy(Duration.ofSeconds(1))).build());

        MessageId id = outbox.publish(envelope(TENANT_A, "rolled back once"));
        eventually().until(() -> handler.count(id) == 1);
        eventually().until(() -> {
            advanceTime(Duration.ofSeconds(1));
            return recordsDone() == 1;
        });
        staysTrue(() -> handler.count(id) == 2);
        assertThat(handler.deliveriesOf(id)).extracting(Delivery::attempt).containsExactly(1, 2);
        assertThat(work()).containsExactly(id.value() + "#2");
    }

    @Test
    @DisplayName("marking a record done outside an outbox worker changes nothing")
    void markingOutsideAWorkerChangesNothing() {
        Envelope envelope = envelope(TENANT_A, "not being handled");
        outbox.publish(envelope);
        Delivery delivery = new Delivery(envelope, 1, clock.instant());

        boolean marked = database.inTransaction(connection -> OutboxOutcomes.doneIn(connection, delivery,
                clock.instant()));
        assertThat(marked).isFalse();
        assertThat(recordsDone()).isZero();
    }

    /** A table of the handlers' own work, in the outbox's database. */
    private void createWorkTable() {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kit_work (id VARCHAR(64) PRIMARY KEY)");
            }
            return null;
        });
    }

    /** Stores the work of {@code delivery}, keyed by its envelope and attempt. */
    private static void storeWork(Connection connection, Delivery delivery) throws java.sql.SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO kit_work (id) VALUES (?)")) {
            insert.setString(1, delivery.envelope().id().value() + "#" + delivery.attempt());
            insert.executeUpdate();
        }
    }

    /** The work the handlers stored. */
    private List<String> work() {
        return database.withConnection(connection -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM kit_work ORDER BY id");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        });
    }
}

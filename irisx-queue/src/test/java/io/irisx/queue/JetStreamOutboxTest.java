package io.irisx.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Channel;
import io.irisx.core.event.EventSink;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.spi.OutboxTable;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testkit.outbox.OutboxContractKit;
import io.irisx.testkit.outbox.RecordingHandler;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The {@link OutboxContractKit} for {@link JetStreamOutbox} on the test NATS server, each test in a namespace of its
 * own, with its table on H2 and on PostgreSQL. Waiting retries are looked at again every 20 ms, so the test clock, not
 * the broker's, decides when they are due.
 */
@OnEachDialect
class JetStreamOutboxTest extends OutboxContractKit {

    @Parameter
    Database.Dialect dialect;
    private String namespace;

    @Override
    protected Database newDatabase() {
        namespace = TestNats.namespace();
        return TestDatabases.of(dialect);
    }

    @Override
    protected Outbox newOutbox(Database database, Clock clock, EventSink events) {
        return TestNats.outbox(TestNats.url(), namespace).build(database, clock, events);
    }

    @Override
    protected boolean marksDoneInHandlerTransactions() {
        return true;
    }

    @AfterEach
    final void deleteStreams() {
        if (outbox != null) {
            outbox.close();
        }
        TestNats.deleteStreams(TestNats.url(), namespace);
    }

    @Test
    @DisplayName("a waiting record that outlived its stream's max age is published again and handled")
    void aRecordTheStreamDroppedIsPublishedAgain() throws Exception {
        MessageId id = outbox.publish(envelope(TENANT_A, "outlived its stream"));
        eventually().until(() -> published(id));
        // What the stream's max age does to a message nobody took in time.
        try (Connection nats = TestNats.connect(TestNats.url())) {
            nats.jetStreamManagement().purgeStream(namespace + "_EMAIL");
        }
        RecordingHandler handler = RecordingHandler.done();
        outbox.consume(Channel.EMAIL, handler, options().build());
        staysTrue(() -> handler.count(id) == 0);

        advanceTime(Duration.ofDays(1).plusMinutes(1));
        eventually().until(() -> handler.count(id) == 1);
        staysTrue(() -> handler.count(id) == 1);
    }

    @Test
    @DisplayName("records a database outbox queued in the same table are handled once a JetStream outbox starts on it")
    void aJetStreamOutboxTakingOverTheTableHandlesTheDatabaseOutboxsWaitingRecords() {
        outbox.close();
        MessageId id;
        try (JdbcOutbox before = JdbcOutbox.create(database, clock)) {
            id = before.publish(envelope(TENANT_A, "queued before the move"));
        }
        outbox = newOutbox(database, clock, events);
        RecordingHandler handler = RecordingHandler.done();
        outbox.consume(Channel.EMAIL, handler, options().build());

        eventually().until(() -> handler.count(id) == 1);
        staysTrue(() -> handler.count(id) == 1);
    }

    @Test
    @DisplayName("a record acknowledged by another stream holding its channel's subject stays unpublished")
    void anAcknowledgementFromAnotherStreamDoesNotCount() throws Exception {
        // No sweep during the test: it would set the channel's stream up again before the other stream takes over.
        reopenSweepingEvery(Duration.ofDays(1));
        MessageId first = outbox.publish(envelope(TENANT_A, "before another stream took over"));
        eventually().until(() -> published(first));
        String subject = namespace + ".email.send";
        try (Connection nats = TestNats.connect(TestNats.url())) {
            JetStreamManagement management = nats.jetStreamManagement();
            management.deleteStream(namespace + "_EMAIL");
            management.addStream(StreamConfiguration.builder().name(namespace + "_FOREIGN").subjects(subject)
                    .storageType(StorageType.Memory).build());
            try {
                MessageId id = outbox.publish(envelope(TENANT_A, "taken by another stream"));

                eventually().until(() -> management.getStreamInfo(namespace + "_FOREIGN").getStreamState()
                        .getMsgCount() > 0);
                staysTrue(() -> !published(id));
            } finally {
                management.deleteStream(namespace + "_FOREIGN");
            }
        }
    }

    @Test
    @DisplayName("a channel's stream is created when first used, and no stream exists for a channel nobody used")
    void streamsAreCreatedForTheChannelsUsedOnly() throws Exception {
        try (Connection nats = TestNats.connect(TestNats.url())) {
            JetStreamManagement management = nats.jetStreamManagement();
            assertThat(streamsOfNamespace(management)).isEmpty();

            MessageId email = outbox.publish(envelope(TENANT_A, "the relay sets the stream up"));
            eventually().until(() -> published(email));
            assertThat(streamsOfNamespace(management)).containsExactly(namespace + "_EMAIL");

            outbox.consume(Channel.WEBHOOKS, RecordingHandler.done(), options().build()).close();
            assertThat(streamsOfNamespace(management)).containsExactlyInAnyOrder(namespace + "_EMAIL",
                    namespace + "_WEBHOOKS");
            assertThat(management.getStreamInfo(namespace + "_WEBHOOKS").getConfiguration().getMaxBytes())
                    .isEqualTo(TestNats.STREAM_BYTES);
        }
    }

    @Test
    @DisplayName("a stream deleted and created anew gets its unfinished records relayed again, handled once each")
    void aStreamCreatedAnewGetsItsUnfinishedRecordsAgain() throws Exception {
        List<MessageId> ids = List.of(outbox.publish(envelope(TENANT_A, "relayed to the lost stream")),
                outbox.publish(envelope(TENANT_B, "relayed to the lost stream too")));
        eventually().until(() -> ids.stream().allMatch(this::published));
        try (Connection nats = TestNats.connect(TestNats.url())) {
            // What a server that came back without its store shows: the stream is gone with the messages.
            nats.jetStreamManagement().deleteStream(namespace + "_EMAIL");
        }
        RecordingHandler handler = RecordingHandler.done();
        outbox.consume(Channel.EMAIL, handler, options().build());

        // Long before the streams' max age (a day): the test clock does not move.
        eventually().until(() -> ids.stream().allMatch(id -> handler.count(id) == 1));
        staysTrue(() -> ids.stream().allMatch(id -> handler.count(id) == 1));
    }

    @Test
    @DisplayName("an envelope queued while a handler of its channel is free here is handled at once, never published")
    void anEnvelopeQueuedBesideAFreeHandlerIsHandledWithoutTheBroker() throws Exception {
        RecordingHandler handler = RecordingHandler.done();
        outbox.consume(Channel.EMAIL, handler, options().build());
        MessageId published = outbox.publish(envelope(TENANT_A, "published"));
        MessageId queued = outbox.inTransaction(database, (connection, queue) ->
                queue.publish(envelope(TENANT_B, "queued in a transaction")));

        eventually().until(() -> recordsDone() == 2);
        assertThat(handler.count(published)).isOne();
        assertThat(handler.count(queued)).isOne();
        assertThat(handler.deliveriesOf(published).get(0).attempt()).isOne();
        assertThat(messagesOnTheStream()).isZero();
        assertThat(column(published, "relayed")).isEqualTo(false);
        staysTrue(() -> handler.count(published) == 1 && handler.count(queued) == 1);
    }

    @Test
    @DisplayName("a transaction on another database than the outbox's is refused before anything runs")
    void inTransactionOnAnotherDatabaseIsRefused() {
        try (Database other = TestDatabases.of(dialect)) {
            assertThatThrownBy(() -> outbox.inTransaction(other, (connection, queue) -> {
                throw new AssertionError("ran");
            })).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("database must be this outbox's");
        }
    }

    @Test
    @DisplayName("envelopes queued while quick handlers are all busy wait in line for them, never published")
    void envelopesQueuedBehindQuickBusyHandlersWaitInLine() throws Exception {
        RecordingHandler handler = RecordingHandler.done();
        outbox.consume(Channel.EMAIL, handler, options().concurrency(1).build());
        for (int i = 0; i < 3; i++) {
            MessageId warm = outbox.publish(envelope(TENANT_A, "handled quickly " + i));
            eventually().until(() -> handler.count(warm) == 1);
        }
        List<MessageId> ids = outbox.inTransaction(database, (connection, queue) -> List.of(
                queue.publish(envelope(TENANT_A, "one")), queue.publish(envelope(TENANT_A, "two")),
                queue.publish(envelope(TENANT_A, "three"))));

        eventually().until(() -> recordsDone() == 6);
        assertThat(ids).allSatisfy(id -> assertThat(handler.count(id)).isOne());
        assertThat(messagesOnTheStream()).isZero();
    }

    @Test
    @DisplayName("an envelope that waited in line too long behind a stuck handler goes to the broker, its try not"
            + " counted")
    void anEnvelopeThatWaitedInLineTooLongGoesToTheBroker() throws Exception {
        CountDownLatch unstuck = new CountDownLatch(1);
        RecordingHandler handler = RecordingHandler.answering(delivery -> {
            if (delivery.envelope().payload().equals("stuck")) {
                unstuck.await();
            }
            return Outcome.done();
        });
        // In line for at most a quarter of the claim timeout: 1 s.
        outbox.consume(Channel.EMAIL, handler, options().concurrency(1).batchSize(1)
                .claimTimeout(Duration.ofSeconds(4)).build());
        for (int i = 0; i < 3; i++) {
            MessageId warm = outbox.publish(envelope(TENANT_A, "handled quickly " + i));
            eventually().until(() -> handler.count(warm) == 1);
        }
        MessageId stuck = outbox.publish(envelope(TENANT_A, "stuck"));
        MessageId waiting = outbox.publish(envelope(TENANT_A, "in line"));
        assertThat(column(waiting, "status")).as("queued claimed, in line").isEqualTo("IN_FLIGHT");
        Thread.sleep(1_500);
        unstuck.countDown();

        eventually().until(() -> recordsDone() == 5);
        assertThat(handler.count(stuck)).isOne();
        assertThat(handler.deliveriesOf(waiting)).extracting(Delivery::attempt).containsExactly(1);
        assertThat(messagesOnTheStream()).isOne();
    }

    @Test
    @DisplayName("a backlog on the stream is pulled and claimed a batch ahead of quick handlers, never more")
    void aBacklogIsPulledAndClaimedABatchAhead() throws Exception {
        List<MessageId> ids = backlogOnTheStream(40);
        CountDownLatch unstuck = new CountDownLatch(1);
        // Two quick handlings show the handlers quick; then both handlers stay busy.
        RecordingHandler handler = stuckAfter(2, unstuck);
        outbox.consume(Channel.EMAIL, handler, options().concurrency(2).batchSize(16).build());

        // A batch in line behind the two busy handlers, claimed as it came in: the handlers' places and a batch at most.
        eventually().until(() -> recordsInFlight() >= 10);
        staysTrue(() -> recordsInFlight() <= 2 + 16);
        unstuck.countDown();
        eventually().until(() -> recordsDone() == 40);
        assertThat(ids).allSatisfy(id -> assertThat(handler.count(id)).isOne());
    }

    @Test
    @DisplayName("messages pulled in line behind a stuck handler that wait too long are put back, their tries not"
            + " counted, and handled once each")
    void pulledMessagesThatWaitedInLineTooLongArePutBack() throws Exception {
        List<MessageId> ids = backlogOnTheStream(6);
        CountDownLatch unstuck = new CountDownLatch(1);
        // The first handling shows the handler quick; the second sticks.
        RecordingHandler handler = stuckAfter(1, unstuck);
        // In line for at most a quarter of the claim timeout: 1 s.
        outbox.consume(Channel.EMAIL, handler, options().concurrency(1).batchSize(4)
                .claimTimeout(Duration.ofSeconds(4)).build());

        eventually().until(() -> recordsInFlight() >= 3);
        Thread.sleep(1_500);
        unstuck.countDown();

        eventually().until(() -> recordsDone() == 6);
        assertThat(ids).allSatisfy(id -> assertThat(handler.deliveriesOf(id)).extracting(Delivery::attempt)
                .containsExactly(1));
        staysTrue(() -> handler.deliveries().size() == 6);
    }

    @Test
    @DisplayName("an envelope queued claimed whose try failed goes through the broker for its next try")
    void aRetryOfAnEnvelopeQueuedClaimedGoesThroughTheBroker() throws Exception {
        RecordingHandler handler = RecordingHandler.byAttempt(attempt -> attempt == 1
                ? Outcome.retry("the provider timed out") : Outcome.done());
        outbox.consume(Channel.EMAIL, handler, options().build());
        MessageId id = outbox.publish(envelope(TENANT_A, "tried twice"));
        eventually().until(() -> handler.count(id) == 1);
        // Queued claimed, the record had no unpublished id to begin with: wait for the retry to relay it.
        eventually().until(() -> column(id, "relayed").equals(true) && published(id));
        assertThat(column(id, "status")).isEqualTo("PENDING");
        staysTrue(() -> handler.count(id) == 1);

        advanceTime(Duration.ofSeconds(1));
        eventually().until(() -> recordsDone() == 1);
        assertThat(handler.deliveriesOf(id)).extracting(Delivery::attempt).containsExactly(1, 2);
        assertThat(messagesOnTheStream()).isOne();
        staysTrue(() -> handler.count(id) == 2);
    }

    @Test
    @DisplayName("an envelope queued claimed by a worker that stopped is published once its claim lapses, and handled")
    void anEnvelopeClaimedByAWorkerThatStoppedIsRelayedWhenItsClaimLapses() throws Exception {
        reopenSweepingEvery(Duration.ofMillis(20));
        Envelope envelope = envelope(TENANT_A, "its worker died");
        // What a process that queued the envelope claimed for its worker, and died, leaves in the table.
        database.inTransaction(connection -> OutboxTable.forRelay(database, clock)
                .insertClaimed(connection, envelope, "a-process-that-died", Duration.ofSeconds(30).toMillis()));
        RecordingHandler handler = RecordingHandler.done();
        outbox.consume(Channel.EMAIL, handler, options().build());
        staysTrue(() -> handler.count(envelope.id()) == 0 && column(envelope.id(), "relayed").equals(false));

        advanceTime(Duration.ofSeconds(30));
        eventually().until(() -> recordsDone() == 1);
        assertThat(handler.deliveriesOf(envelope.id())).extracting(Delivery::attempt).containsExactly(2);
        staysTrue(() -> handler.count(envelope.id()) == 1);
    }

    @Test
    @DisplayName("a handler working longer than the claim timeout on an envelope queued claimed keeps its claim")
    void aLongHandlerKeepsTheClaimOfAnEnvelopeQueuedClaimed() throws Exception {
        reopenSweepingEvery(Duration.ofMillis(20));
        CountDownLatch release = new CountDownLatch(1);
        RecordingHandler handler = RecordingHandler.answering(delivery -> {
            release.await();
            return Outcome.done();
        });
        outbox.consume(Channel.EMAIL, handler, options().claimTimeout(Duration.ofSeconds(1)).build());
        MessageId id = outbox.publish(envelope(TENANT_A, "long work"));
        eventually().until(() -> handler.count(id) == 1);
        long claimedUntil = (Long) column(id, "claim_expires_at");

        // The heartbeat (every third of a second) holds the claim from the clock's time: move the clock, see it
        // held further, then move the clock past the first claim's end.
        advanceTime(Duration.ofMillis(700));
        eventually().until(() -> (Long) column(id, "claim_expires_at") > claimedUntil);
        advanceTime(Duration.ofMillis(700));
        staysTrue(() -> column(id, "relayed").equals(false) && handler.count(id) == 1);

        release.countDown();
        eventually().until(() -> recordsDone() == 1);
        assertThat(messagesOnTheStream()).isZero();
    }

    /** Closes the outbox under test and opens another, whose sweep runs every {@code interval}. */
    private void reopenSweepingEvery(Duration interval) {
        outbox.close();
        outbox = TestNats.outbox(TestNats.url(), namespace).sweepInterval(interval).build(database, clock, events);
    }

    /** Publishes {@code count} envelopes with no worker here, and waits until the relay has put them on the stream. */
    private List<MessageId> backlogOnTheStream(int count) {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(outbox.publish(envelope(TENANT_A, "backlog " + i)));
        }
        eventually().until(() -> ids.stream().allMatch(this::published));
        return ids;
    }

    /** A handler whose first {@code quick} handlings are done at once, and every later one waits for {@code unstuck}. */
    private static RecordingHandler stuckAfter(int quick, CountDownLatch unstuck) {
        AtomicInteger handled = new AtomicInteger();
        return RecordingHandler.answering(delivery -> {
            if (handled.incrementAndGet() > quick) {
                unstuck.await();
            }
            return Outcome.done();
        });
    }

    private long recordsInFlight() {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COUNT(*) FROM irisx_outbox WHERE status = 'IN_FLIGHT'");
                    ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    private long messagesOnTheStream() throws Exception {
        try (Connection nats = TestNats.connect(TestNats.url())) {
            return nats.jetStreamManagement().getStreamInfo(namespace + "_EMAIL").getStreamState().getLastSequence();
        }
    }

    private Object column(MessageId id, String column) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + column + " FROM irisx_outbox WHERE id = ?")) {
                select.setString(1, id.value());
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getObject(1);
                }
            }
        });
    }

    private List<String> streamsOfNamespace(JetStreamManagement management) throws Exception {
        return management.getStreamNames().stream().filter(name -> name.startsWith(namespace + "_")).toList();
    }

    private boolean published(MessageId id) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COUNT(*) FROM irisx_outbox o WHERE id = ?"
                            + " AND NOT EXISTS (SELECT 1 FROM irisx_outbox_unpublished u WHERE u.id = o.id)")) {
                select.setString(1, id.value());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() && rows.getInt(1) == 1;
                }
            }
        });
    }
}

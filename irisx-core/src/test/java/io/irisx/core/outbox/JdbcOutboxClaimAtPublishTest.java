package io.irisx.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.ConflictException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.spi.ClaimAtQueue;
import io.irisx.core.outbox.spi.OutboxTable;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A record {@link JdbcOutbox#publish(Envelope) published} while a worker of its channel in the same process has a
 * handler free is inserted already claimed for that worker, and handed to it once committed: no claim of its own, no
 * wait for the poller. What does not end in a handed-over claim gives the handler's place back.
 */
class JdbcOutboxClaimAtPublishTest {

    private static final TenantId TENANT = TenantId.of("claimed");
    private static final ConsumeOptions ONE = ConsumeOptions.builder().concurrency(1)
            .pollInterval(Duration.ofSeconds(30)).build();

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    @DisplayName("a record published while a handler is free is claimed as it is inserted and handled as its first try")
    void publishedWhileAHandlerIsFreeIsClaimedAtOnce(Database.Dialect dialect) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        try (Database database = TestDatabases.of(dialect);
                JdbcOutbox outbox = JdbcOutbox.create(database, Clock.systemUTC());
                Subscription worker = outbox.consume(Channel.EMAIL, delivery -> {
                    attempts.add(delivery.attempt());
                    release.await(10, TimeUnit.SECONDS);
                    return Outcome.done();
                }, ONE)) {
            MessageId id = outbox.publish(Envelope.of(TENANT, Channel.EMAIL, "at once"));

            // Claimed in publish's own transaction: in flight for this worker as publish returns.
            Map<String, Object> row = row(database, id);
            assertThat(row).containsEntry("status", "IN_FLIGHT").containsEntry("attempts", 1);
            assertThat((String) row.get("claim_owner")).isEqualTo(((JdbcSubscription) worker).owner());
            release.countDown();
            awaitDone(database, id);
            assertThat(attempts).containsExactly(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    @DisplayName("a duplicate published while a handler is free is not handled again, and gives the place back")
    void duplicateGivesThePlaceBack(Database.Dialect dialect) {
        Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        try (Database database = TestDatabases.of(dialect);
                JdbcOutbox outbox = JdbcOutbox.create(database, Clock.systemUTC());
                Subscription worker = outbox.consume(Channel.EMAIL, delivery -> {
                    handled.computeIfAbsent(delivery.envelope().payload(), p -> new AtomicInteger()).incrementAndGet();
                    return Outcome.done();
                }, ONE)) {
            MessageId first = outbox.publish(Envelope.of(TENANT, Channel.EMAIL, "first").withIdempotencyKey("k"));
            awaitDone(database, first);

            MessageId again = outbox.publish(Envelope.of(TENANT, Channel.EMAIL, "again").withIdempotencyKey("k"));

            assertThat(again).isEqualTo(first);
            assertThat(freePlace((JdbcSubscription) worker)).isTrue();
            MessageId next = outbox.publish(Envelope.of(TENANT, Channel.EMAIL, "next"));
            awaitDone(database, next);
            assertThat(handled).containsOnlyKeys("first", "next");
            assertThat(handled.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    @DisplayName("a publish that fails stores nothing and gives the handler's place back")
    void failedPublishGivesThePlaceBack(Database.Dialect dialect) {
        try (Database database = TestDatabases.of(dialect);
                JdbcOutbox outbox = JdbcOutbox.create(database, Clock.systemUTC());
                Subscription worker = outbox.consume(Channel.EMAIL, delivery -> Outcome.done(), ONE)) {
            Envelope original = Envelope.of(TENANT, Channel.EMAIL, "original");
            MessageId id = outbox.publish(original);
            awaitDone(database, id);

            // The same id under another idempotency key.
            assertThatThrownBy(() -> outbox.publish(original.withIdempotencyKey("another")))
                    .isInstanceOf(ConflictException.class).hasMessageContaining(id.value());

            assertThat(freePlace((JdbcSubscription) worker)).isTrue();
            assertThat(count(database)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    @DisplayName("a transaction whose work throws stores nothing and gives back the places of the records it queued")
    void rolledBackWorkGivesThePlacesBack(Database.Dialect dialect) {
        try (Database database = TestDatabases.of(dialect);
                JdbcOutbox outbox = JdbcOutbox.create(database, Clock.systemUTC());
                Subscription worker = outbox.consume(Channel.EMAIL, delivery -> Outcome.done(), ONE)) {
            assertThatThrownBy(() -> outbox.inTransaction(database, (connection, queue) -> {
                queue.publish(Envelope.of(TENANT, Channel.EMAIL, "rolled back"));
                throw new IllegalStateException("the work failed");
            })).hasMessage("the work failed");

            assertThat(count(database)).isZero();
            assertThat(freePlace((JdbcSubscription) worker)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    @DisplayName("a transaction on another database than the outbox's is refused before anything runs")
    void inTransactionOnAnotherDatabaseIsRefused(Database.Dialect dialect) {
        try (Database database = TestDatabases.of(dialect);
                Database other = TestDatabases.of(dialect);
                JdbcOutbox outbox = JdbcOutbox.create(database, Clock.systemUTC())) {
            assertThatThrownBy(() -> outbox.inTransaction(other, (connection, queue) -> {
                throw new AssertionError("ran");
            })).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("database must be this outbox's");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.Dialect.class)
    @DisplayName("a record claimed for a worker that closed before taking it is given back, its try not counted")
    void claimOfAClosedWorkerIsGivenBack(Database.Dialect dialect) throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        try (Database database = TestDatabases.of(dialect);
                JdbcOutbox outbox = JdbcOutbox.create(database, Clock.systemUTC())) {
            JdbcSubscription closing = (JdbcSubscription) outbox.consume(Channel.EMAIL, delivery -> {
                attempts.add(-1);
                return Outcome.done();
            }, ONE);
            ClaimAtQueue.Place place = closing.reserve();
            assertThat(place).isNotNull();
            Envelope envelope = Envelope.of(TENANT, Channel.EMAIL, "late");
            Claim claim = database.inTransaction(connection -> OutboxTable.forClaims(database, Clock.systemUTC())
                    .insertClaimed(connection, envelope, closing.owner(), closing.claimMillis())).orElseThrow();
            closing.close();

            place.handOver(claim);

            assertThat(row(database, envelope.id())).containsEntry("status", "PENDING").containsEntry("attempts", 0);
            try (Subscription next = outbox.consume(Channel.EMAIL, delivery -> {
                attempts.add(delivery.attempt());
                return Outcome.done();
            }, ConsumeOptions.builder().concurrency(1).pollInterval(Duration.ofMillis(20)).build())) {
                awaitDone(database, envelope.id());
            }
            assertThat(attempts).containsExactly(1);
        }
    }

    private static void awaitDone(Database database, MessageId id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> row(database, id).get("status").equals("DONE"));
    }

    /** True when {@code worker} has a handler's place free: takes it, and gives it back. */
    private static boolean freePlace(JdbcSubscription worker) {
        ClaimAtQueue.Place place = worker.reserve();
        if (place == null) {
            return false;
        }
        place.release();
        return true;
    }

    private static Map<String, Object> row(Database database, MessageId id) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT status, attempts, claim_owner FROM irisx_outbox WHERE id = ?")) {
                select.setString(1, id.value());
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    Map<String, Object> row = new HashMap<>();
                    row.put("status", rows.getString(1));
                    row.put("attempts", rows.getInt(2));
                    row.put("claim_owner", rows.getString(3));
                    return row;
                }
            }
        });
    }

    private static long count(Database database) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM irisx_outbox");
                    ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}

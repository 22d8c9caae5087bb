package io.irisx.core.outbox.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Channel;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.event.EventSink;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.store.Database;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.MutableClock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How {@link OutboxRelayStore#relay(int, OutboxRelayStore.Relay)} marks records published, on H2 and on PostgreSQL. */
class OutboxRelayStoreTest {

    private static final TenantId TENANT = TenantId.of("relay");

    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("H2", (Supplier<Database>) TestDatabases::h2),
                Arguments.of("PostgreSQL", (Supplier<Database>) TestDatabases::postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void onlyTheRecordsTheBrokerAcknowledgedAreMarkedPublished(String name, Supplier<Database> databases) {
        try (Database database = databases.get()) {
            OutboxTable table = OutboxTable.forRelay(database, clock);
            OutboxRelayStore store = OutboxRelayStore.create(table);
            List<MessageId> ids = queue(database, table, 4);
            Set<MessageId> acknowledged = Set.of(ids.get(0), ids.get(2));

            assertThat(store.relay(10, batch -> () -> acknowledged)).isEqualTo(4);

            assertThat(unpublished(database)).containsExactlyInAnyOrder(ids.get(1), ids.get(3));
            List<MessageId> relayedAgain = new ArrayList<>();
            assertThat(store.relay(10, acknowledgingAll(relayedAgain))).isEqualTo(2);
            assertThat(relayedAgain).containsExactly(ids.get(1), ids.get(3));
            assertThat(unpublished(database)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aBrokerThatAcknowledgesNoneLeavesEveryRecordUnpublished(String name, Supplier<Database> databases) {
        try (Database database = databases.get()) {
            OutboxTable table = OutboxTable.forRelay(database, clock);
            OutboxRelayStore store = OutboxRelayStore.create(table);
            List<MessageId> ids = queue(database, table, 3);

            assertThatThrownBy(() -> store.relay(10, batch -> () -> {
                throw new IllegalStateException("no acknowledgement");
            })).hasMessageContaining("no acknowledgement");

            assertThat(unpublished(database)).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void whileTheBrokerIsAcknowledgingNoOtherConnectionSeesAMarkNorTheRecords(String name,
            Supplier<Database> databases) {
        try (Database database = databases.get(); Database another = TestDatabases.another(database, 2)) {
            OutboxTable table = OutboxTable.forRelay(database, clock);
            OutboxRelayStore store = OutboxRelayStore.create(table);
            OutboxRelayStore otherRelay = OutboxRelayStore.create(OutboxTable.forRelay(another, clock));
            List<MessageId> ids = queue(database, table, 3);
            List<Integer> seenByOthers = new ArrayList<>();

            store.relay(10, batch -> () -> {
                seenByOthers.add(ids.size() - unpublished(another).size());
                seenByOthers.add(otherRelay.relay(10, acknowledgingAll(new ArrayList<>())));
                return batch.stream().map(record -> record.envelope().id()).collect(Collectors.toSet());
            });

            assertThat(seenByOthers).as("marks visible to others, records another relay took").containsExactly(0, 0);
            assertThat(unpublished(database)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRelayTakingOverFromTheDatabaseOutboxPublishesOnlyTheRecordsItsWorkersHadNotClaimed(String name,
            Supplier<Database> databases) {
        try (Database database = databases.get()) {
            OutboxTable claimed = OutboxTable.forClaims(database, clock);
            OutboxClaims claims = OutboxClaims.create(claimed,
                    OutboxOutcomes.create(claimed, channel -> { }, EventSink.logging()));
            List<MessageId> ids = queue(database, claimed, 3);
            assertThat(claims.claim(Channel.EMAIL, 1, "worker", 30_000, 5).claims())
                    .extracting(claim -> claim.envelope().id()).containsExactly(ids.get(0));
            assertThat(claims.claim(List.of(ids.get(1)), "worker", 30_000, 5).get(ids.get(1)))
                    .isInstanceOf(OutboxClaims.Claimed.class);

            assertThat(unpublished(database)).as("the database outbox's records are never unpublished").isEmpty();

            List<MessageId> relayed = new ArrayList<>();
            OutboxRelayStore store = OutboxRelayStore.create(OutboxTable.forRelay(database, clock));
            assertThat(store.adopt()).isEqualTo(1);
            assertThat(store.adopt()).isZero();
            assertThat(store.relay(10, acknowledgingAll(relayed))).isEqualTo(1);

            assertThat(relayed).containsExactly(ids.get(2));
            assertThat(unpublished(database)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anUnpublishedRecordSettledMeanwhileIsPassedOverAndNoLongerUnpublished(String name,
            Supplier<Database> databases) {
        try (Database database = databases.get()) {
            OutboxTable table = OutboxTable.forRelay(database, clock);
            OutboxRelayStore store = OutboxRelayStore.create(table);
            List<MessageId> ids = queue(database, table, 2);
            database.withConnection(connection -> {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE irisx_outbox SET status = 'DONE' WHERE id = ?")) {
                    update.setString(1, ids.get(0).value());
                    return update.executeUpdate();
                }
            });

            List<MessageId> relayed = new ArrayList<>();
            assertThat(store.relay(List.of(ids.get(0), ids.get(1)), acknowledgingAll(relayed))).isEqualTo(2);

            assertThat(relayed).containsExactly(ids.get(1));
            assertThat(unpublished(database)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aStreamCreatedAnewMakesTheUnfinishedRecordsRelayedToItUnpublishedAgainOnce(String name,
            Supplier<Database> databases) {
        try (Database database = databases.get()) {
            OutboxTable table = OutboxTable.forRelay(database, clock);
            OutboxRelayStore store = OutboxRelayStore.create(table);
            BrokerStreams streams = BrokerStreams.create(table);
            List<MessageId> ids = queue(database, table, 3);
            assertThat(streams.streamCreated("EMAIL", Channel.EMAIL, 1_000)).as("first seen").isEmpty();
            assertThat(store.relay(10, acknowledgingAll(new ArrayList<>()))).isEqualTo(3);
            settle(database, ids.get(0), "DONE");
            settle(database, ids.get(1), "IN_FLIGHT");
            MessageId waiting = queue(database, table, 1).get(0);

            assertThat(streams.streamCreated("EMAIL", Channel.EMAIL, 1_000)).as("the same stream").isEmpty();
            assertThat(streams.streamCreated("SMS", Channel.SMS, 500)).as("another stream").isEmpty();
            assertThat(unpublished(database)).containsExactly(waiting);

            assertThat(streams.streamCreated("EMAIL", Channel.EMAIL, 2_000)).as("created anew").hasValue(2);
            assertThat(unpublished(database)).containsExactlyInAnyOrder(ids.get(1), ids.get(2), waiting);
            assertThat(streams.streamCreated("EMAIL", Channel.EMAIL, 2_000)).as("seen again").isEmpty();
            assertThat(streams.streamCreated("EMAIL", Channel.EMAIL, 1_000)).as("the earlier one, late").isEmpty();

            List<MessageId> relayedAgain = new ArrayList<>();
            assertThat(store.relay(10, acknowledgingAll(relayedAgain))).isEqualTo(3);
            // The record in flight goes too: its worker's claim holds the new copy back, and the old one is lost.
            assertThat(relayedAgain).containsExactlyInAnyOrder(ids.get(1), ids.get(2), waiting);
        }
    }

    @Test
    void aRelayIsRefusedOnATableWhoseWorkersClaimFromTheTableItself() {
        try (Database database = TestDatabases.h2()) {
            OutboxTable claimed = OutboxTable.forClaims(database, clock);

            assertThatThrownBy(() -> OutboxRelayStore.create(claimed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("OutboxTable.forRelay");
            assertThatThrownBy(() -> BrokerStreams.create(claimed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("OutboxTable.forRelay");
        }
    }

    @Test
    void aPublicationIdNamesItsMessageWhetherFirstOrReplayed() {
        MessageId id = MessageId.generate();

        assertThat(OutboxRelayStore.Unpublished.messageId(id.value())).isEqualTo(id);
        assertThat(OutboxRelayStore.Unpublished.messageId(id.value() + ".replay-3")).isEqualTo(id);
        assertThatThrownBy(() -> OutboxRelayStore.Unpublished.messageId("order-42"))
                .isInstanceOf(IrisxValidationException.class);
        assertThatThrownBy(() -> OutboxRelayStore.Unpublished.messageId(null))
                .isInstanceOf(IrisxValidationException.class);
    }

    private List<MessageId> queue(Database database, OutboxTable table, int count) {
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Envelope envelope = Envelope.of(TENANT, Channel.EMAIL, "{\"n\":" + i + "}");
            ids.add(database.inTransaction(connection -> table.insert(connection, envelope)));
            clock.advance(Duration.ofMillis(1));
        }
        return ids;
    }

    private static void settle(Database database, MessageId id, String status) {
        database.withConnection(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE irisx_outbox SET status = ? WHERE id = ?")) {
                update.setString(1, status);
                update.setString(2, id.value());
                return update.executeUpdate();
            }
        });
    }

    private static OutboxRelayStore.Relay acknowledgingAll(List<MessageId> relayed) {
        return batch -> {
            batch.forEach(record -> relayed.add(record.envelope().id()));
            return () -> batch.stream().map(record -> record.envelope().id()).collect(Collectors.toSet());
        };
    }

    private static List<MessageId> unpublished(Database database) {
        return database.withConnection(connection -> {
            List<MessageId> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id FROM irisx_outbox_unpublished ORDER BY id");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(MessageId.parse(rows.getString(1)));
                }
            }
            return ids;
        });
    }
}

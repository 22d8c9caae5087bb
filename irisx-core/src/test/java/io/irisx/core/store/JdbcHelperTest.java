package io.irisx.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.AttemptId;
import io.irisx.core.id.CallId;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.testing.TestDatabases;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Binding with {@link Params} and reading by column name with {@link Row}, on H2 and on PostgreSQL. */
class JdbcHelperTest {

    private static final String TABLE = "CREATE TABLE helper_rows (tenant_id VARCHAR(64) NOT NULL,"
            + " message_id VARCHAR(40) NOT NULL, event_id VARCHAR(40), endpoint_id VARCHAR(40), attempt_id VARCHAR(40),"
            + " call_id VARCHAR(40), channel VARCHAR(16) NOT NULL, body TEXT, tries INTEGER, seq_no BIGINT,"
            + " sent BOOLEAN NOT NULL, content BYTEA NOT NULL, headers TEXT NOT NULL, created_at BIGINT NOT NULL,"
            + " sent_at BIGINT)";

    private static final String INSERT = "INSERT INTO helper_rows (tenant_id, message_id, event_id, endpoint_id,"
            + " attempt_id, call_id, channel, body, tries, seq_no, sent, content, headers, created_at, sent_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    /** What a test writes and reads back. */
    private record Stored(TenantId tenant, MessageId message, Optional<EventId> event, Optional<EndpointId> endpoint,
            Optional<AttemptId> attempt, Optional<CallId> call, Channel channel, Optional<String> body,
            OptionalInt tries, OptionalLong sequence, boolean sent, byte[] content, Map<String, String> headers,
            Instant createdAt, Optional<Instant> sentAt) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void everyKindOfValueBoundInOrderReadsBackTheSameByColumnName(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            createTable(database);
            Stored written = new Stored(TenantId.of("acme"), MessageId.generate(), Optional.of(EventId.generate()),
                    Optional.of(EndpointId.generate()), Optional.of(AttemptId.generate()),
                    Optional.of(CallId.generate()), Channel.SMS, Optional.of("héllo ✓"), OptionalInt.of(3),
                    OptionalLong.of(Long.MAX_VALUE), true, new byte[] {0, 1, (byte) 0xff},
                    Map.of("X-Order", "42", "Reply-To", "ada@example.com"),
                    Instant.parse("2030-01-02T03:04:05.678Z"), Optional.of(Instant.parse("2030-01-02T03:04:06.001Z")));

            insert(database, written);

            Stored read = readAll(database).get(0);
            assertThat(read).usingRecursiveComparison().isEqualTo(written);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void emptyOptionalsAreStoredAsNullAndReadBackEmpty(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            createTable(database);
            Stored written = new Stored(TenantId.of("acme"), MessageId.generate(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Channel.EMAIL, Optional.empty(), OptionalInt.empty(),
                    OptionalLong.empty(), false, new byte[0], Map.of(), Instant.ofEpochMilli(0), Optional.empty());

            insert(database, written);

            assertThat(readAll(database).get(0)).usingRecursiveComparison().isEqualTo(written);
            assertThat(count(database, "SELECT COUNT(*) AS n FROM helper_rows WHERE event_id IS NULL AND body IS NULL"
                    + " AND tries IS NULL AND seq_no IS NULL AND sent_at IS NULL")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void instantsAreEpochMillisecondsAndEnumsTheirNames(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            createTable(database);
            Instant at = Instant.parse("2031-05-06T07:08:09.123Z");
            insert(database, new Stored(TenantId.of("acme"), MessageId.generate(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Channel.WEBHOOKS, Optional.empty(), OptionalInt.empty(),
                    OptionalLong.empty(), false, new byte[0], Map.of(), at, Optional.of(at)));

            assertThat(count(database, "SELECT COUNT(*) AS n FROM helper_rows WHERE created_at = "
                    + at.toEpochMilli() + " AND sent_at = created_at AND channel = 'WEBHOOKS'")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void aNullInAColumnReadWithAPlainGetterIsAStoreExceptionNamingTheColumn(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            createTable(database);
            insert(database, new Stored(TenantId.of("acme"), MessageId.generate(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Channel.SMS, Optional.empty(), OptionalInt.empty(),
                    OptionalLong.empty(), false, new byte[0], Map.of(), Instant.EPOCH, Optional.empty()));

            for (Row.Reader<?> reader : List.<Row.Reader<?>>of(row -> row.string("body"), row -> row.intValue("tries"),
                    row -> row.longValue("seq_no"), row -> row.instant("sent_at"),
                    row -> row.id("event_id", EventId::parse))) {
                assertThatThrownBy(() -> first(database, "SELECT * FROM helper_rows", reader))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining(" is NULL where IRISX always writes a value");
            }
            assertThatThrownBy(() -> first(database, "SELECT * FROM helper_rows", row -> row.intValue("tries")))
                    .hasMessageStartingWith("column tries is NULL");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void aColumnThatIsNotWhatIrisxWroteIsAStoreExceptionThatDoesNotQuoteIt(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            createTable(database);
            database.withConnection(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO helper_rows (tenant_id, message_id, channel, sent, content, headers,"
                            + " created_at) VALUES ('acme', 'x', 'PIGEON', FALSE, '', 'secret-token-123', 0)");
                }
                return null;
            });

            assertThatThrownBy(() -> first(database, "SELECT * FROM helper_rows", row -> row.json("headers", MAP)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("column headers does not hold the JSON")
                    .hasMessageNotContaining("secret-token-123")
                    .hasNoCause();
            assertThatThrownBy(() -> first(database, "SELECT * FROM helper_rows",
                    row -> row.enumValue("channel", Channel.class)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("column channel holds 'PIGEON', which is no Channel");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void listReadsEveryRowInOrderAndFirstIsEmptyWhenNothingMatches(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            createTable(database);
            List<MessageId> ids = List.of(MessageId.generate(), MessageId.generate(), MessageId.generate());
            for (MessageId id : ids) {
                insert(database, new Stored(TenantId.of("acme"), id, Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Channel.SMS, Optional.empty(), OptionalInt.empty(),
                        OptionalLong.empty(), false, new byte[0], Map.of(), Instant.EPOCH, Optional.empty()));
            }

            List<MessageId> listed = database.withConnection(connection -> {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT message_id FROM helper_rows WHERE tenant_id = ? ORDER BY message_id")) {
                    Params.of(select).id(TenantId.of("acme"));
                    return Jdbc.list(select, row -> row.id("message_id", MessageId::parse));
                }
            });
            Optional<MessageId> none = database.withConnection(connection -> {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT message_id FROM helper_rows WHERE tenant_id = ?")) {
                    Params.of(select).id(TenantId.of("globex"));
                    return Jdbc.first(select, row -> row.id("message_id", MessageId::parse));
                }
            });

            assertThat(listed).isEqualTo(ids);
            assertThat(none).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void paramsFromAnIndexBindThatParameterOnAndSayWhichComesNext(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            createTable(database);
            int next = database.withConnection(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    Params.of(insert).id(TenantId.of("acme")).id(MessageId.generate());
                    Params rest = Params.from(insert, 3).string(Optional.empty()).string(Optional.empty())
                            .string(Optional.empty()).string(Optional.empty()).enumName(Channel.VOICE)
                            .string(Optional.empty()).intValue(7).longValue(8L).bool(true).bytes(new byte[] {1})
                            .json(Map.of()).instant(Instant.EPOCH).instant(Optional.empty());
                    insert.executeUpdate();
                    return rest.next();
                }
            });

            assertThat(next).isEqualTo(16);
            assertThat(count(database, "SELECT COUNT(*) AS n FROM helper_rows WHERE channel = 'VOICE' AND tries = 7"
                    + " AND seq_no = 8")).isEqualTo(1);
        }
    }

    @Test
    void aNullValueIsRefusedNamingItsParameterAndABadIndexNamingItself() {
        try (Database database = TestDatabases.emptyH2()) {
            createTable(database);
            assertThatThrownBy(() -> database.withConnection(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    return Params.of(insert).id(TenantId.of("acme")).string((String) null);
                }
            })).isInstanceOf(NullPointerException.class)
                    .hasMessage("parameter 2 is null; bind a nullable column from an Optional");
            assertThatThrownBy(() -> database.withConnection(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    return Params.from(insert, 0);
                }
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        }
    }

    @Test
    void jsonIsWrittenWithTheSharedMapperAndReadBackWithIt() {
        assertThat(Jdbc.json(Map.of("at", Instant.parse("2030-01-01T00:00:00Z"))))
                .as("the shared mapper writes instants as ISO-8601")
                .isEqualTo("{\"at\":\"2030-01-01T00:00:00Z\"}");
        assertThat(Jdbc.fromJson("[\"a\",\"b\"]", new TypeReference<List<String>>() { })).containsExactly("a", "b");
        assertThat(Jdbc.fromJson("{\"unknown\":1}", Object.class)).isEqualTo(Map.of("unknown", 1));
        assertThatThrownBy(() -> Jdbc.json(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a java.lang.Object cannot be written as JSON");
        assertThatThrownBy(() -> Jdbc.fromJson("{oops", MAP))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("a column does not hold the JSON")
                .hasMessageNotContaining("oops");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.irisx.core.testing.TestDatabases#emptyOfEachDialect")
    void aDecimalIsBoundAndReadExactlyAtItsColumnsScale(String name, Supplier<Database> empty) {
        try (Database database = empty.get()) {
            BigDecimal read = database.withConnection(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE helper_prices (price NUMERIC(24, 12) NOT NULL)");
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO helper_prices VALUES (?)")) {
                    Params.of(insert).decimal(new BigDecimal("0.000090000001"));
                    insert.executeUpdate();
                }
                try (PreparedStatement select = connection.prepareStatement("SELECT price FROM helper_prices")) {
                    return Jdbc.first(select, row -> row.decimal("price")).orElseThrow();
                }
            });

            assertThat(read).isEqualTo(new BigDecimal("0.000090000001"));
            assertThat(read.scale()).isEqualTo(12);
        }
    }

    private static void createTable(Database database) {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(TABLE);
            }
            return null;
        });
    }

    private static void insert(Database database, Stored row) {
        database.withConnection(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                Params params = Params.of(insert).id(row.tenant()).id(row.message());
                bindOptionalIds(params, row);
                params.enumName(row.channel()).string(row.body()).intValue(row.tries()).longValue(row.sequence())
                        .bool(row.sent()).bytes(row.content()).json(row.headers()).instant(row.createdAt())
                        .instant(row.sentAt());
                return insert.executeUpdate();
            }
        });
    }

    private static void bindOptionalIds(Params params, Stored row) throws SQLException {
        if (row.event().isPresent()) {
            params.id(row.event().get()).id(row.endpoint().orElseThrow()).id(row.attempt().orElseThrow())
                    .id(row.call().orElseThrow());
        } else {
            params.string(Optional.empty()).string(Optional.empty()).string(Optional.empty())
                    .string(Optional.empty());
        }
    }

    private static List<Stored> readAll(Database database) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT * FROM helper_rows")) {
                return Jdbc.list(select, JdbcHelperTest::read);
            }
        });
    }

    private static Stored read(Row row) throws SQLException {
        return new Stored(row.id("tenant_id", TenantId::of), row.id("message_id", MessageId::parse),
                row.optionalId("event_id", EventId::parse), row.optionalId("endpoint_id", EndpointId::parse),
                row.optionalId("attempt_id", AttemptId::parse), row.optionalId("call_id", CallId::parse),
                row.enumValue("channel", Channel.class), row.optionalString("body"), row.optionalInt("tries"),
                row.optionalLong("seq_no"), row.bool("sent"), row.bytes("content"), row.json("headers", MAP),
                row.instant("created_at"), row.optionalInstant("sent_at"));
    }

    private static <T> T first(Database database, String sql, Row.Reader<T> reader) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                return Jdbc.first(select, reader).orElseThrow();
            }
        });
    }

    private static long count(Database database, String sql) {
        return first(database, sql, row -> row.longValue("n"));
    }
}

package io.irisx.core.outbox.spi;

import io.irisx.core.Channel;
import io.irisx.core.ConflictException;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.event.EventType;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.internal.Json;
import io.irisx.core.outbox.DeadLetter;
import io.irisx.core.outbox.DeadLetters;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The dead letters of an outbox, in {@code irisx_dead_letter}, beside its {@link OutboxTable}; every query is scoped
 * to one tenant. Thread-safe.
 */
final class DeadLetterStore implements DeadLetters {

    /** The most dead letters one {@link #list} returns. */
    static final int MAX_PAGE = 1000;

    private static final String COLUMNS = "message_id, tenant_id, channel, idempotency_key, payload, attempts,"
            + " last_error, dead_at, stream_sequence";

    private final OutboxTable table;
    private final Database database;
    private final Consumer<Channel> requeued;
    private final EventSink events;

    /**
     * The dead letters beside {@code table}, where a replay queues its envelope again; {@code requeued} hears of each
     * replay once it is committed, to wake the channel's workers; {@code events} gets {@code message.dead_lettered}
     * in the transaction that stores each dead letter.
     */
    DeadLetterStore(OutboxTable table, Consumer<Channel> requeued, EventSink events) {
        this.table = table;
        this.database = table.database();
        this.requeued = requeued;
        this.events = events;
    }

    /**
     * Stores the dead letter of {@code envelope} on {@code connection}, replacing an older one for the same id, and
     * emits {@code message.dead_lettered} through the same transaction.
     */
    DeadLetter insert(Connection connection, Envelope envelope, int attempts, String error, long now,
            OptionalLong streamSequence) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM irisx_dead_letter WHERE message_id = ?")) {
            Params.of(delete).id(envelope.id());
            delete.executeUpdate();
        }
        String lastError = OutboxTable.truncate(error);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_dead_letter (" + COLUMNS
                + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Params.of(insert).id(envelope.id()).id(envelope.tenant()).enumName(envelope.channel())
                    .string(envelope.idempotencyKey()).string(envelope.payload()).intValue(attempts).string(lastError)
                    .longValue(now).longValue(streamSequence).longValue(now);
            insert.executeUpdate();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", envelope.id().value());
        data.put("channel", envelope.channel().name());
        data.put("idempotencyKey", envelope.idempotencyKey());
        data.put("attempts", attempts);
        data.put("lastError", lastError);
        streamSequence.ifPresent(sequence -> data.put("streamSequence", sequence));
        events.emit(connection, new Event(EventId.generate(), EventType.MESSAGE_DEAD_LETTERED, envelope.tenant(),
                Instant.ofEpochMilli(now), Json.write(data)));
        return new DeadLetter(envelope, attempts, lastError, Instant.ofEpochMilli(now), streamSequence);
    }

    @Override
    public List<DeadLetter> list(TenantId tenant, Channel channel, int limit, Optional<MessageId> after) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        String sql = "SELECT " + COLUMNS + " FROM irisx_dead_letter WHERE tenant_id = ? AND channel = ?"
                + (after.isPresent() ? " AND message_id > ?" : "") + " ORDER BY message_id LIMIT ?";
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                Params params = Params.of(select).id(tenant).enumName(channel);
                if (after.isPresent()) {
                    params.id(after.get());
                }
                params.intValue(limit);
                return List.copyOf(Jdbc.list(select, DeadLetterStore::read));
            }
        });
    }

    @Override
    public Optional<DeadLetter> find(TenantId tenant, MessageId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return database.withConnection(connection -> find(connection, tenant, id, false));
    }

    @Override
    public boolean replay(TenantId tenant, MessageId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        Optional<Channel> replayed = database.inTransaction(connection -> {
            Optional<DeadLetter> found = find(connection, tenant, id, true);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            if (!table.requeue(connection, found.get().envelope(), table.clock().millis())) {
                throw new ConflictException("dead letter " + id + " cannot be replayed: its idempotency key '"
                        + found.get().envelope().idempotencyKey() + "' is queued again under another id");
            }
            delete(connection, tenant, id);
            return Optional.of(found.get().envelope().channel());
        });
        replayed.ifPresent(requeued);
        return replayed.isPresent();
    }

    @Override
    public boolean purge(TenantId tenant, MessageId id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return database.inTransaction(connection -> {
            if (!delete(connection, tenant, id)) {
                return false;
            }
            // The dead record goes too, so nothing of the envelope is left (and its idempotency key is free again).
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM irisx_outbox WHERE tenant_id = ? AND id = ? AND status = 'DEAD'")) {
                Params.of(delete).id(tenant).id(id);
                delete.executeUpdate();
            }
            return true;
        });
    }

    private static Optional<DeadLetter> find(Connection connection, TenantId tenant, MessageId id, boolean lock)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM irisx_dead_letter WHERE tenant_id = ? AND message_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            Params.of(select).id(tenant).id(id);
            return Jdbc.first(select, DeadLetterStore::read);
        }
    }

    private static boolean delete(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM irisx_dead_letter WHERE tenant_id = ? AND message_id = ?")) {
            Params.of(delete).id(tenant).id(id);
            return delete.executeUpdate() == 1;
        }
    }

    private static DeadLetter read(Row row) throws SQLException {
        Envelope envelope = new Envelope(row.id("message_id", MessageId::parse), row.id("tenant_id", TenantId::of),
                row.enumValue("channel", Channel.class), row.string("idempotency_key"), row.string("payload"));
        return new DeadLetter(envelope, row.intValue("attempts"), row.string("last_error"), row.instant("dead_at"),
                row.optionalLong("stream_sequence"));
    }
}

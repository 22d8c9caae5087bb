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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
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
            delete.setString(1, envelope.id().value());
            delete.executeUpdate();
        }
        String lastError = OutboxTable.truncate(error);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_dead_letter (" + COLUMNS
                + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, envelope.id().value());
            insert.setString(2, envelope.tenant().value());
            insert.setString(3, envelope.channel().name());
            insert.setString(4, envelope.idempotencyKey());
            insert.setString(5, envelope.payload());
            insert.setInt(6, attempts);
            insert.setString(7, lastError);
            insert.setLong(8, now);
            if (streamSequence.isPresent()) {
                insert.setLong(9, streamSequence.getAsLong());
            } else {
                insert.setNull(9, Types.BIGINT);
            }
            insert.setLong(10, now);
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
                int i = 1;
                select.setString(i++, tenant.value());
                select.setString(i++, channel.name());
                if (after.isPresent()) {
                    select.setString(i++, after.get().value());
                }
                select.setInt(i, limit);
                List<DeadLetter> page = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        page.add(read(rs));
                    }
                }
                return List.copyOf(page);
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
                delete.setString(1, tenant.value());
                delete.setString(2, id.value());
                delete.executeUpdate();
            }
            return true;
        });
    }

    private static Optional<DeadLetter> find(Connection connection, TenantId tenant, MessageId id, boolean lock)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM irisx_dead_letter WHERE tenant_id = ? AND message_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, tenant.value());
            select.setString(2, id.value());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static boolean delete(Connection connection, TenantId tenant, MessageId id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM irisx_dead_letter WHERE tenant_id = ? AND message_id = ?")) {
            delete.setString(1, tenant.value());
            delete.setString(2, id.value());
            return delete.executeUpdate() == 1;
        }
    }

    private static DeadLetter read(ResultSet rs) throws SQLException {
        Envelope envelope = new Envelope(MessageId.parse(rs.getString("message_id")),
                TenantId.of(rs.getString("tenant_id")), Channel.valueOf(rs.getString("channel")),
                rs.getString("idempotency_key"), rs.getString("payload"));
        long sequence = rs.getLong("stream_sequence");
        OptionalLong streamSequence = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(sequence);
        return new DeadLetter(envelope, rs.getInt("attempts"), rs.getString("last_error"),
                Instant.ofEpochMilli(rs.getLong("dead_at")), streamSequence);
    }
}

package io.irisx.core.outbox;

import io.irisx.core.Channel;
import io.irisx.core.ConflictException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the {@code irisx_outbox} table: queueing, claiming, recording outcomes, lookups and retention.
 * Thread-safe; every time comes from the injected clock.
 */
final class OutboxStore {

    /** The longest error text kept, in characters (the column's width). */
    static final int MAX_ERROR = 2000;

    private static final String COLUMNS = "id, tenant_id, channel, idempotency_key, payload, status, attempts,"
            + " next_attempt_at, last_error, created_at, updated_at";

    private static final String INSERT = "INSERT INTO irisx_outbox (id, tenant_id, channel, idempotency_key, payload,"
            + " status, attempts, next_attempt_at, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?) ON CONFLICT DO NOTHING";

    private static final String CLAIMABLE = "SELECT " + COLUMNS + " FROM irisx_outbox WHERE channel = ?"
            + " AND ((status = 'PENDING' AND next_attempt_at <= ?) OR (status = 'IN_FLIGHT' AND claim_expires_at <= ?))"
            + " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED";

    private static final String CLAIM = "UPDATE irisx_outbox SET status = 'IN_FLIGHT', attempts = attempts + 1,"
            + " claim_token = ?, claim_owner = ?, claim_expires_at = ?, updated_at = ? WHERE id = ?";

    /** Every outcome leaves the claim; the token check keeps a worker whose claim lapsed from overwriting. */
    private static final String SETTLE = "UPDATE irisx_outbox SET status = ?, next_attempt_at = ?,"
            + " last_error = COALESCE(?, last_error), claim_token = NULL, claim_owner = NULL, claim_expires_at = NULL,"
            + " updated_at = ? WHERE id = ? AND status = 'IN_FLIGHT'";
    private static final String SETTLE_OWN_CLAIM = SETTLE + " AND claim_token = ?";

    private final Database database;
    private final Clock clock;
    private final DeadLetterStore deadLetters;

    OutboxStore(Database database, Clock clock, DeadLetterStore deadLetters) {
        this.database = database;
        this.clock = clock;
        this.deadLetters = deadLetters;
    }

    /**
     * Queues {@code envelope} on {@code connection} with one statement that never fails on a duplicate (a failed
     * statement would abort the caller's PostgreSQL transaction), and returns the id that holds the work.
     */
    MessageId insert(Connection connection, Envelope envelope) throws SQLException {
        long now = clock.millis();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, envelope.id().value());
            insert.setString(2, envelope.tenant().value());
            insert.setString(3, envelope.channel().name());
            insert.setString(4, envelope.idempotencyKey());
            insert.setString(5, envelope.payload());
            insert.setLong(6, now);
            insert.setLong(7, now);
            insert.setLong(8, now);
            if (insert.executeUpdate() == 1) {
                return envelope.id();
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM irisx_outbox WHERE tenant_id = ? AND channel = ? AND idempotency_key = ?")) {
            select.setString(1, envelope.tenant().value());
            select.setString(2, envelope.channel().name());
            select.setString(3, envelope.idempotencyKey());
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    return MessageId.parse(rows.getString(1));
                }
            }
        }
        throw new ConflictException("message id " + envelope.id() + " is already queued with another idempotency key;"
                + " give each envelope its own id (MessageId.generate())");
    }

    /** What a claim found: records now claimed, and lapsed claims that had used up their tries. */
    record ClaimResult(List<Claim> claims, List<DeadLetter> dead) {
    }

    /**
     * Claims up to {@code limit} due records of {@code channel} in one short transaction. A lapsed claim whose
     * record already had its last try (its worker died on it, likely more than once) is dead-lettered instead, so
     * an envelope that crashes its workers cannot circulate for ever.
     */
    ClaimResult claim(Channel channel, int limit, String owner, long claimMillis, int maxAttempts) {
        return database.inTransaction(connection -> {
            long now = clock.millis();
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(CLAIMABLE)) {
                select.setString(1, channel.name());
                select.setLong(2, now);
                select.setLong(3, now);
                select.setInt(4, limit);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(Row.read(rs));
                    }
                }
            }
            String token = UUID.randomUUID().toString();
            List<Claim> claims = new ArrayList<>(rows.size());
            List<DeadLetter> dead = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement(CLAIM)) {
                for (Row row : rows) {
                    if (row.status == OutboxStatus.IN_FLIGHT && row.attempts >= maxAttempts) {
                        String error = "claim lapsed on the last of " + maxAttempts + " tries; the worker likely died";
                        settle(connection, row.envelope.id(), null, OutboxStatus.DEAD, now, error, now);
                        dead.add(deadLetters.insert(connection, row.envelope, row.attempts, error, now));
                        continue;
                    }
                    update.setString(1, token);
                    update.setString(2, owner);
                    update.setLong(3, now + claimMillis);
                    update.setLong(4, now);
                    update.setString(5, row.envelope.id().value());
                    update.addBatch();
                    claims.add(new Claim(row.envelope, row.attempts + 1, Instant.ofEpochMilli(row.createdAt), token));
                }
                if (!claims.isEmpty()) {
                    update.executeBatch();
                }
            }
            return new ClaimResult(claims, dead);
        });
    }

    /** Marks the claimed record done; false when the claim is no longer the caller's. */
    boolean done(Claim claim) {
        long now = clock.millis();
        return database.inTransaction(c -> settle(c, claim.envelope().id(), claim.token(), OutboxStatus.DONE, now, null, now));
    }

    /** Puts the claimed record back to wait until {@code dueAt}; false when the claim is no longer the caller's. */
    boolean retry(Claim claim, long dueAt, String error) {
        long now = clock.millis();
        return database.inTransaction(c -> settle(c, claim.envelope().id(), claim.token(), OutboxStatus.PENDING, dueAt,
                error, now));
    }

    /** Marks the claimed record dead and stores its dead letter; empty when the claim is no longer the caller's. */
    Optional<DeadLetter> dead(Claim claim, String error) {
        long now = clock.millis();
        return database.inTransaction(c -> {
            if (!settle(c, claim.envelope().id(), claim.token(), OutboxStatus.DEAD, now, error, now)) {
                return Optional.empty();
            }
            return Optional.of(deadLetters.insert(c, claim.envelope(), claim.attempt(), error, now));
        });
    }

    private static boolean settle(Connection connection, MessageId id, String token, OutboxStatus status, long dueAt,
            String error, long now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(token == null ? SETTLE : SETTLE_OWN_CLAIM)) {
            update.setString(1, status.name());
            update.setLong(2, dueAt);
            update.setString(3, error == null ? null : truncate(error));
            update.setLong(4, now);
            update.setString(5, id.value());
            if (token != null) {
                update.setString(6, token);
            }
            return update.executeUpdate() == 1;
        }
    }

    /** The tenant's record for {@code id}, if it has one. */
    Optional<OutboxRecord> find(TenantId tenant, MessageId id) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM irisx_outbox WHERE tenant_id = ? AND id = ?")) {
                select.setString(1, tenant.value());
                select.setString(2, id.value());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(Row.read(rs).toRecord()) : Optional.empty();
                }
            }
        });
    }

    /** Deletes DONE records, of every tenant, last changed before {@code cutoffMillis}; returns how many. */
    int purgeDone(long cutoffMillis) {
        return database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM irisx_outbox WHERE status = 'DONE' AND updated_at < ?")) {
                delete.setLong(1, cutoffMillis);
                return delete.executeUpdate();
            }
        });
    }

    static String truncate(String error) {
        return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    }

    /** One row of {@code irisx_outbox}, as selected with {@link #COLUMNS}. */
    private record Row(Envelope envelope, OutboxStatus status, int attempts, long nextAttemptAt, String lastError,
            long createdAt, long updatedAt) {

        static Row read(ResultSet rs) throws SQLException {
            Envelope envelope = new Envelope(MessageId.parse(rs.getString("id")), TenantId.of(rs.getString("tenant_id")),
                    Channel.valueOf(rs.getString("channel")), rs.getString("idempotency_key"), rs.getString("payload"));
            return new Row(envelope, OutboxStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                    rs.getLong("next_attempt_at"), rs.getString("last_error"), rs.getLong("created_at"),
                    rs.getLong("updated_at"));
        }

        OutboxRecord toRecord() {
            return new OutboxRecord(envelope, status, attempts, Instant.ofEpochMilli(nextAttemptAt),
                    Optional.ofNullable(lastError), Instant.ofEpochMilli(createdAt), Instant.ofEpochMilli(updatedAt));
        }
    }
}

package io.irisx.core.outbox.spi;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.OutboxRecord;
import io.irisx.core.outbox.OutboxStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** One row of {@code irisx_outbox}, as selected with {@link #COLUMNS}; immutable. */
record OutboxRow(Envelope envelope, OutboxStatus status, int attempts, long nextAttemptAt, String lastError,
        long createdAt, long updatedAt, long claimExpiresAt) {

    /** The columns a row is read from. */
    static final String COLUMNS = "id, tenant_id, channel, idempotency_key, payload, status, attempts,"
            + " next_attempt_at, last_error, created_at, updated_at, claim_expires_at";

    static OutboxRow read(ResultSet rs) throws SQLException {
        return new OutboxRow(envelope(rs), OutboxStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                rs.getLong("next_attempt_at"), rs.getString("last_error"), rs.getLong("created_at"),
                rs.getLong("updated_at"), rs.getLong("claim_expires_at"));
    }

    /** The envelope of the current row, from its {@code id, tenant_id, channel, idempotency_key, payload}. */
    static Envelope envelope(ResultSet rs) throws SQLException {
        return new Envelope(MessageId.parse(rs.getString("id")), TenantId.of(rs.getString("tenant_id")),
                Channel.valueOf(rs.getString("channel")), rs.getString("idempotency_key"), rs.getString("payload"));
    }

    OutboxRecord toRecord() {
        return new OutboxRecord(envelope, status, attempts, Instant.ofEpochMilli(nextAttemptAt),
                Optional.ofNullable(lastError), Instant.ofEpochMilli(createdAt), Instant.ofEpochMilli(updatedAt));
    }
}

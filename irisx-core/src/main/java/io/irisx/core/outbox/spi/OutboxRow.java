package io.irisx.core.outbox.spi;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.OutboxRecord;
import io.irisx.core.outbox.OutboxStatus;
import io.irisx.core.store.Row;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code irisx_outbox}, as selected with {@link #COLUMNS}; immutable. Its times are epoch milliseconds;
 * {@code claimExpiresAt} is 0 when the record is not claimed.
 */
record OutboxRow(Envelope envelope, OutboxStatus status, int attempts, long nextAttemptAt, Optional<String> lastError,
        long createdAt, long updatedAt, long claimExpiresAt) {

    /** The columns a row is read from. */
    static final String COLUMNS = "id, tenant_id, channel, idempotency_key, payload, status, attempts,"
            + " next_attempt_at, last_error, created_at, updated_at, claim_expires_at";

    static OutboxRow read(Row row) throws SQLException {
        return new OutboxRow(envelope(row), row.enumValue("status", OutboxStatus.class), row.intValue("attempts"),
                row.longValue("next_attempt_at"), row.optionalString("last_error"), row.longValue("created_at"),
                row.longValue("updated_at"), row.optionalLong("claim_expires_at").orElse(0));
    }

    /** The envelope of a row, from its {@code id, tenant_id, channel, idempotency_key, payload}. */
    static Envelope envelope(Row row) throws SQLException {
        return new Envelope(row.id("id", MessageId::parse), row.id("tenant_id", TenantId::of),
                row.enumValue("channel", Channel.class), row.string("idempotency_key"), row.string("payload"));
    }

    OutboxRecord toRecord() {
        return new OutboxRecord(envelope, status, attempts, Instant.ofEpochMilli(nextAttemptAt), lastError,
                Instant.ofEpochMilli(createdAt), Instant.ofEpochMilli(updatedAt));
    }
}

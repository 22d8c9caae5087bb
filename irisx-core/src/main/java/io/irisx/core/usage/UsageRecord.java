package io.irisx.core.usage;

import io.irisx.core.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * One billable unit of work as metered: immutable. Its {@link #idempotencyKey()} is deterministic — the subject (a
 * message id) and the unit, {@code <subject>:<UNIT>} — so the same work is one record however often it is redelivered
 * or retried, and an external biller that receives a record twice (an export run again) dedupes it by that key.
 *
 * @param idempotencyKey {@code <subject>:<UNIT>}, unique per tenant
 * @param tenant the tenant billed
 * @param unit what is billed
 * @param subject what was billed: the message id (of an email, an SMS, a webhook message)
 * @param quantity how many units: 1 for an email, the segments of an SMS, the seconds of a call
 * @param occurredAt when the work became billable (the SENT or delivered time)
 */
public record UsageRecord(String idempotencyKey, TenantId tenant, UsageUnit unit, String subject, long quantity,
        Instant occurredAt) {

    /** Checks every field. */
    public UsageRecord {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be positive, was " + quantity);
        }
    }
}

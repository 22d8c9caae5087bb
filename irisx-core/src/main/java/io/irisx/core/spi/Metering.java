package io.irisx.core.spi;

import io.irisx.core.TenantId;
import io.irisx.core.store.Params;
import io.irisx.core.usage.UsageUnit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a module meters billable work: it writes the usage record on its own connection, in the transaction of the
 * status change that makes the work billable (an email or SMS marked SENT, a webhook marked delivered), so the record
 * commits exactly when the change does. Stateless and thread-safe.
 *
 * <p>The record is keyed by {@code <subject>:<UNIT>} — the message id and the unit — unique per tenant: writing the
 * same key again (a redelivered message, a retried status change, a worker that crashed after the commit and whose
 * work is done again) writes nothing, so each unit of work is counted once. The key is the record's idempotency key
 * for an external biller ({@link io.irisx.core.usage.UsageRecord}).
 *
 * <pre>{@code
 * if (update.executeUpdate() == 1) {  // QUEUED -> SENT, in this transaction
 *     Metering.record(connection, email.tenant(), UsageUnit.EMAIL, email.id().value(), 1, now);
 * }
 * }</pre>
 */
public final class Metering {

    private static final Logger log = LoggerFactory.getLogger(Metering.class);
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,99}");

    private Metering() {
    }

    /**
     * Records {@code quantity} units of {@code unit} of {@code tenant} for {@code subject}, which became billable at
     * {@code occurredAt}, on {@code connection} in the caller's transaction, unless the tenant has its record
     * already.
     *
     * @param subject what is billed, such as a message id: 1 to 100 letters, digits, {@code . _ / -}
     * @param quantity how many units, 1 or more: 1 for an email, the segments of an SMS, the seconds of a call
     * @return true when the record was written now, false when it was there already (nothing is changed)
     * @throws IllegalArgumentException when the subject or the quantity is not one of the above
     */
    public static boolean record(Connection connection, TenantId tenant, UsageUnit unit, String subject,
            long quantity, Instant occurredAt) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(tenant, "tenant");
        String key = key(subject, unit);
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity must be 1 or more, was " + quantity + " (of " + key + ")");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_usage (tenant_id,"
                + " idempotency_key, unit, subject, quantity, occurred_at, usage_day) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).string(key).enumName(unit).string(subject).longValue(quantity)
                    .instant(occurredAt).intValue(Math.toIntExact(
                            LocalDate.ofInstant(occurredAt, ZoneOffset.UTC).toEpochDay()));
            boolean written = insert.executeUpdate() == 1;
            if (!written) {
                log.debug("irisx: usage {} of tenant {} is recorded already", key, tenant);
            }
            return written;
        }
    }

    /**
     * The idempotency key of {@code subject}'s usage of {@code unit}: {@code <subject>:<UNIT>}, such as
     * {@code msg_01J…:EMAIL}.
     *
     * @throws IllegalArgumentException when the subject is not 1 to 100 letters, digits, {@code . _ / -}
     */
    public static String key(String subject, UsageUnit unit) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(unit, "unit");
        if (!SUBJECT.matcher(subject).matches()) {
            throw new IllegalArgumentException("subject must be 1 to 100 letters, digits, '.', '_', '/' or '-',"
                    + " starting with a letter or digit, was '" + (subject.length() > 120 ? subject.substring(0, 120)
                            + "…" : subject) + "'");
        }
        return subject + ":" + unit.name();
    }
}

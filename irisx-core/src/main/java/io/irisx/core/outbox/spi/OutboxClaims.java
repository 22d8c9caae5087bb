package io.irisx.core.outbox.spi;

import io.irisx.core.Channel;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Claim;
import io.irisx.core.outbox.DeadLetter;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.OutboxStatus;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Workers' claims on the records of an {@link OutboxTable}: a claimed record counts a try and is held by its worker
 * for the claim's time, after which another worker may take it. Thread-safe; every time comes from the table's clock.
 *
 * <p>{@link JdbcOutbox} claims due records straight from the table ({@link #claim(Channel, int, String, long, int)}).
 * A broker outbox's workers {@link #claim(Collection, String, long, int) claim} the records of the messages the broker
 * delivers, so the table stays the one place that says whether work is due, in flight, done or dead, whichever
 * carried it. What becomes of a claim is recorded by {@link OutboxOutcomes}.
 */
public final class OutboxClaims {

    /**
     * Lapsed claims, then due records: two queries rather than one joined by OR, as each reads its own range of the
     * index on (channel, status, next_attempt_at, id) in that order and stops at the limit. Joined, the database had
     * to read and sort every due record to return the first few, so each claim cost as much as the whole backlog.
     */
    private static final String DUE = "SELECT " + OutboxRow.COLUMNS + " FROM irisx_outbox WHERE channel = ?"
            + " AND status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?"
            + " FOR UPDATE SKIP LOCKED";

    /** Claims that lapsed: found among the records in flight only. */
    private static final String LAPSED = "SELECT " + OutboxRow.COLUMNS + " FROM irisx_outbox WHERE channel = ?"
            + " AND status = 'IN_FLIGHT' AND claim_expires_at <= ? ORDER BY next_attempt_at, id LIMIT ?"
            + " FOR UPDATE SKIP LOCKED";

    private static final String CLAIM = "UPDATE irisx_outbox SET status = 'IN_FLIGHT', attempts = attempts + 1,"
            + " claim_token = ?, claim_owner = ?, claim_expires_at = ?, updated_at = ? WHERE id = ?";

    private final Database database;
    private final Clock clock;
    private final OutboxOutcomes outcomes;

    private OutboxClaims(OutboxTable table, OutboxOutcomes outcomes) {
        this.database = table.database();
        this.clock = table.clock();
        this.outcomes = outcomes;
    }

    /**
     * Claims on the records of {@code table}; a lapsed claim on a record's last try is dead-lettered through {@code
     * outcomes}.
     */
    public static OutboxClaims create(OutboxTable table, OutboxOutcomes outcomes) {
        return new OutboxClaims(Objects.requireNonNull(table, "table"), Objects.requireNonNull(outcomes, "outcomes"));
    }

    /**
     * What a claim of due records found: records now claimed, and lapsed claims that had used up their tries.
     *
     * @param claims the records now the caller's to handle
     * @param dead the dead letters of the lapsed claims on a last try
     */
    public record ClaimResult(List<Claim> claims, List<DeadLetter> dead) {
    }

    /**
     * Claims up to {@code limit} due records of {@code channel} in one short transaction. A lapsed claim whose
     * record already had its last try (its worker died on it, likely more than once) is dead-lettered instead, so
     * an envelope that crashes its workers cannot circulate for ever.
     */
    public ClaimResult claim(Channel channel, int limit, String owner, long claimMillis, int maxAttempts) {
        return database.inTransaction(connection -> {
            long now = clock.millis();
            List<OutboxRow> rows = new ArrayList<>(select(connection, LAPSED, channel, now, limit));
            if (rows.size() < limit) {
                rows.addAll(select(connection, DUE, channel, now, limit - rows.size()));
            }
            String token = UUID.randomUUID().toString();
            List<Claim> claims = new ArrayList<>(rows.size());
            List<DeadLetter> dead = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement(CLAIM)) {
                for (OutboxRow row : rows) {
                    if (row.status() == OutboxStatus.IN_FLIGHT && row.attempts() >= maxAttempts) {
                        dead.add(outcomes.deadOnLapse(connection, row.envelope(), row.attempts(), maxAttempts, now));
                        continue;
                    }
                    bindClaim(update, token, owner, now + claimMillis, now, row.envelope().id());
                    update.addBatch();
                    claims.add(new Claim(row.envelope(), row.attempts() + 1, Instant.ofEpochMilli(row.createdAt()),
                            token));
                }
                if (!claims.isEmpty()) {
                    update.executeBatch();
                }
            }
            return new ClaimResult(claims, dead);
        });
    }

    private static List<OutboxRow> select(Connection connection, String sql, Channel channel, long now, int limit)
            throws SQLException {
        try (PreparedStatement select = Jdbc.planEachRun(connection.prepareStatement(sql))) {
            Params.of(select).enumName(channel).longValue(now).intValue(limit);
            return Jdbc.list(select, OutboxRow::read);
        }
    }

    /**
     * What a broker worker's {@link #claim(Collection, String, long, int) claim} found for one delivered message.
     * Only {@link Claimed} may be handled; every other answer says what to tell the broker.
     */
    public sealed interface Take {
    }

    /** The record is now the caller's to handle, as this try. */
    public record Claimed(Claim claim) implements Take {
    }

    /** The record waits for a retry due at {@code dueAt}: deliver it again then. */
    public record NotDue(Instant dueAt) implements Take {
    }

    /** Another worker holds the record until {@code until}: look again then. */
    public record Held(Instant until) implements Take {
    }

    /** The record is done or dead already, or gone (purged): acknowledge the delivery and do nothing. */
    public record Settled(Optional<OutboxStatus> status) implements Take {
    }

    /**
     * The record's last try was claimed by a worker that never settled it (it likely died on it): it is a dead
     * letter now.
     */
    public record DeadOnLapse(DeadLetter letter) implements Take {
    }

    /**
     * Claims, in one short transaction, the records of {@code ids} that are due (PENDING and due, or IN_FLIGHT with
     * a lapsed claim): each claimed record counts a try and is held for {@code claimMillis}. A lapsed claim on the
     * last of {@code maxAttempts} tries is dead-lettered instead, as in {@link JdbcOutbox}. It waits for row locks
     * held by a relay's transaction, so a message the broker delivers before its relay commits is not put off.
     *
     * @return what was found for each id, in the order given
     */
    public Map<MessageId, Take> claim(Collection<MessageId> ids, String owner, long claimMillis, int maxAttempts) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(owner, "owner");
        if (ids.isEmpty()) {
            return Map.of();
        }
        String marks = ids.stream().map(id -> "?").collect(Collectors.joining(", "));
        return database.inTransaction(connection -> {
            long now = clock.millis();
            Map<MessageId, OutboxRow> rows = new LinkedHashMap<>();
            try (PreparedStatement select = Jdbc.planEachRun(connection.prepareStatement("SELECT "
                    + OutboxRow.COLUMNS + " FROM irisx_outbox WHERE id IN (" + marks + ") ORDER BY id FOR UPDATE"))) {
                Params params = Params.of(select);
                for (MessageId id : ids) {
                    params.id(id);
                }
                Jdbc.list(select, OutboxRow::read).forEach(row -> rows.put(row.envelope().id(), row));
            }
            String token = UUID.randomUUID().toString();
            Map<MessageId, Take> takes = new LinkedHashMap<>();
            try (PreparedStatement update = connection.prepareStatement(CLAIM)) {
                for (MessageId id : ids) {
                    OutboxRow row = rows.get(id);
                    Take take;
                    if (row == null) {
                        // Purged.
                        take = new Settled(Optional.empty());
                    } else if (row.status() == OutboxStatus.DONE || row.status() == OutboxStatus.DEAD) {
                        take = new Settled(Optional.of(row.status()));
                    } else if (row.status() == OutboxStatus.PENDING && row.nextAttemptAt() > now) {
                        take = new NotDue(Instant.ofEpochMilli(row.nextAttemptAt()));
                    } else if (row.status() == OutboxStatus.IN_FLIGHT && row.claimExpiresAt() > now) {
                        take = new Held(Instant.ofEpochMilli(row.claimExpiresAt()));
                    } else if (row.status() == OutboxStatus.IN_FLIGHT && row.attempts() >= maxAttempts) {
                        take = new DeadOnLapse(outcomes.deadOnLapse(connection, row.envelope(), row.attempts(),
                                maxAttempts, now));
                    } else {
                        bindClaim(update, token, owner, now + claimMillis, now, id);
                        update.addBatch();
                        take = new Claimed(new Claim(row.envelope(), row.attempts() + 1,
                                Instant.ofEpochMilli(row.createdAt()), token));
                    }
                    takes.put(id, take);
                }
                if (takes.values().stream().anyMatch(Claimed.class::isInstance)) {
                    update.executeBatch();
                }
            }
            return takes;
        });
    }

    /**
     * Holds the claimed record for {@code claimMillis} more from now, for a handler still working on it; false when
     * the claim is no longer the caller's.
     */
    public boolean extend(Claim claim, long claimMillis) {
        Objects.requireNonNull(claim, "claim");
        long now = clock.millis();
        return database.withConnection(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_outbox SET claim_expires_at = ?,"
                    + " updated_at = ? WHERE id = ? AND status = 'IN_FLIGHT' AND claim_token = ?")) {
                Params.of(update).longValue(now + claimMillis).longValue(now).id(claim.envelope().id())
                        .string(claim.token());
                return update.executeUpdate() == 1;
            }
        });
    }

    private static void bindClaim(PreparedStatement update, String token, String owner, long expiresAt, long now,
            MessageId id) throws SQLException {
        Params.of(update).string(token).string(owner).longValue(expiresAt).longValue(now).id(id);
    }
}

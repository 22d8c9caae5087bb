package io.irisx.core.outbox.spi;

import io.irisx.core.Channel;
import io.irisx.core.ConflictException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Backlog;
import io.irisx.core.outbox.Claim;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.OutboxRecord;
import io.irisx.core.outbox.OutboxStatus;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox table ({@code irisx_outbox}) of one outbox: queueing in the caller's transaction, lookups, retention and
 * the backlog; what {@link OutboxClaims}, {@link OutboxOutcomes} and {@link OutboxRelayStore} work on. Thread-safe;
 * every time comes from the injected clock.
 *
 * <p>A table is made for one kind of outbox. {@link #forClaims} is {@link JdbcOutbox}'s, whose workers claim due
 * records straight from the table. {@link #forRelay} is a broker outbox's (irisx-queue's JetStream outbox): each
 * record it queues is also unpublished, its id written in {@code irisx_outbox_unpublished} in the same transaction,
 * until the relay has put it on the broker.
 */
public final class OutboxTable {

    /** The longest error text kept, in characters (the column's width). */
    static final int MAX_ERROR = 2000;

    private static final String INSERT = "INSERT INTO irisx_outbox (id, tenant_id, channel, idempotency_key, payload,"
            + " status, attempts, next_attempt_at, created_at, updated_at, replays, relayed)"
            + " VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    /** {@link #INSERT} for a record claimed as it is queued: its first try, held by a worker of this process. */
    private static final String INSERT_CLAIMED = "INSERT INTO irisx_outbox (id, tenant_id, channel, idempotency_key,"
            + " payload, status, attempts, next_attempt_at, created_at, updated_at, replays, relayed, claim_token,"
            + " claim_owner, claim_expires_at) VALUES (?, ?, ?, ?, ?, 'IN_FLIGHT', 1, ?, ?, ?, 0, FALSE, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";

    private static final String INSERT_UNPUBLISHED = "INSERT INTO irisx_outbox_unpublished (id) VALUES (?)"
            + " ON CONFLICT DO NOTHING";

    /**
     * {@link #INSERT} and {@link #INSERT_UNPUBLISHED} in one statement (PostgreSQL): one round trip per send. Its
     * count is the unpublished id's, inserted only with the record.
     */
    private static final String INSERT_BOTH = "WITH inserted AS (" + INSERT + " RETURNING id)"
            + " INSERT INTO irisx_outbox_unpublished (id) SELECT id FROM inserted";

    private final Database database;
    private final Clock clock;
    private final boolean relayed;

    private OutboxTable(Database database, Clock clock, boolean relayed) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.relayed = relayed;
    }

    /**
     * The table of a broker outbox on {@code database} (migrated for irisx-core), on {@code clock}: the records it
     * queues are unpublished, for its relay to put on the broker.
     */
    public static OutboxTable forRelay(Database database, Clock clock) {
        return new OutboxTable(database, clock, true);
    }

    /**
     * The table of an outbox whose workers claim records from the table itself ({@link JdbcOutbox}), on {@code
     * database} (migrated for irisx-core) and {@code clock}: its records are not unpublished ones, as no relay
     * publishes them.
     */
    public static OutboxTable forClaims(Database database, Clock clock) {
        return new OutboxTable(database, clock, false);
    }

    Database database() {
        return database;
    }

    Clock clock() {
        return clock;
    }

    /**
     * {@code table}, checked to be a {@link #forRelay relay's}.
     *
     * @throws IllegalArgumentException when it is one for claims
     */
    static OutboxTable requireRelayed(OutboxTable table) {
        Objects.requireNonNull(table, "table");
        if (!table.relayed) {
            throw new IllegalArgumentException("table must be a relay's (OutboxTable.forRelay), was one for claims"
                    + " (OutboxTable.forClaims)");
        }
        return table;
    }

    /**
     * Queues {@code envelope} on {@code connection} with one statement that never fails on a duplicate (a failed
     * statement would abort the caller's PostgreSQL transaction), and returns the id that holds the work: this
     * envelope's, or that of the one queued earlier with the same tenant, channel and idempotency key.
     *
     * @throws ConflictException when the envelope's id is already queued with another idempotency key
     */
    public MessageId insert(Connection connection, Envelope envelope) throws SQLException {
        if (insertRow(connection, envelope, clock.millis(), 0)) {
            return envelope.id();
        }
        return earlier(connection, envelope);
    }

    /**
     * The id of the record that holds {@code envelope}'s work, one inserting it found queued already: the one queued
     * earlier with the same tenant, channel and idempotency key.
     *
     * @throws ConflictException when there is none: the envelope's id is already queued with another idempotency key
     */
    public MessageId earlier(Connection connection, Envelope envelope) throws SQLException {
        Optional<MessageId> earlier;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM irisx_outbox WHERE tenant_id = ? AND channel = ? AND idempotency_key = ?")) {
            Params.of(select).id(envelope.tenant()).enumName(envelope.channel()).string(envelope.idempotencyKey());
            earlier = Jdbc.first(select, row -> row.id("id", MessageId::parse));
        }
        return earlier.orElseThrow(() -> new ConflictException("message id " + envelope.id() + " is already queued with another idempotency key;"
                + " give each envelope its own id (MessageId.generate())"));
    }

    /**
     * Queues {@code envelope} on {@code connection} already claimed by {@code owner} for {@code claimMillis}, as its
     * first try, so that the worker of this process that will handle it needs no claim of its own once the caller
     * commits: the claim, or empty when the envelope's id or idempotency key is queued already (nothing is inserted;
     * {@link #earlier} then says which id holds the work). In a table {@link #forRelay for a relay} the record is not
     * unpublished: its worker handles it in this process, and it goes to the broker only when its claim lapses or
     * it is to be tried again ({@link #relayLocal}).
     */
    public Optional<Claim> insertClaimed(Connection connection, Envelope envelope, String owner, long claimMillis)
            throws SQLException {
        long now = clock.millis();
        String token = UUID.randomUUID().toString();
        try (PreparedStatement insert = connection.prepareStatement(INSERT_CLAIMED)) {
            Params.of(insert).id(envelope.id()).id(envelope.tenant()).enumName(envelope.channel())
                    .string(envelope.idempotencyKey()).string(envelope.payload()).longValue(now).longValue(now)
                    .longValue(now).string(token).string(owner).longValue(now + claimMillis);
            if (insert.executeUpdate() != 1) {
                return Optional.empty();
            }
        }
        return Optional.of(new Claim(envelope, 1, Instant.ofEpochMilli(now), token));
    }

    /**
     * Inserts a PENDING record for {@code envelope}, unpublished when relayed, unless its id or idempotency key is
     * taken; true when inserted.
     */
    private boolean insertRow(Connection connection, Envelope envelope, long now, int replays) throws SQLException {
        boolean apart = unpublishedApart();
        try (PreparedStatement insert = connection.prepareStatement(relayed && !apart ? INSERT_BOTH : INSERT)) {
            Params.of(insert).id(envelope.id()).id(envelope.tenant()).enumName(envelope.channel())
                    .string(envelope.idempotencyKey()).string(envelope.payload()).longValue(now).longValue(now)
                    .longValue(now).intValue(replays).bool(relayed);
            if (insert.executeUpdate() != 1) {
                return false;
            }
        }
        if (apart) {
            insertUnpublished(connection, List.of(envelope.id()));
        }
        return true;
    }

    /**
     * Whether a relayed record's unpublished id takes a statement of its own: on H2, as {@link #INSERT_BOTH} writes
     * both in one on PostgreSQL only.
     */
    boolean unpublishedApart() {
        return relayed && database.dialect() != Database.Dialect.POSTGRESQL;
    }

    /** Whether this is a table {@link #forRelay for a relay}. */
    boolean relayed() {
        return relayed;
    }

    /**
     * Makes the record of {@code id} unpublished, for a relay's next pass, when it was queued claimed for a worker of
     * its process and never relayed ({@link #insertClaimed}); true when it was.
     */
    static boolean relayLocal(Connection connection, MessageId id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE irisx_outbox SET relayed = TRUE WHERE id = ? AND NOT relayed")) {
            Params.of(update).id(id);
            if (update.executeUpdate() != 1) {
                return false;
            }
        }
        insertUnpublished(connection, List.of(id));
        return true;
    }

    /** Marks the records of {@code ids} relayed, and unpublished for a relay's next pass. */
    static void relay(Connection connection, List<MessageId> ids) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE irisx_outbox SET relayed = TRUE WHERE id = ANY(?)")) {
            update.setArray(1, ids(connection, ids));
            update.executeUpdate();
        }
        insertUnpublished(connection, ids);
    }

    /** Makes the records of {@code ids} unpublished, for a relay's next pass. */
    static void insertUnpublished(Connection connection, Collection<MessageId> ids) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_UNPUBLISHED)) {
            for (MessageId id : ids) {
                Params.of(insert).id(id);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Queues the dead letter {@code envelope} again, as one more replay: its record goes back to PENDING with its
     * tries reset and due now (unpublished again when relayed, which a broker relay publishes under a new publication
     * id), or, when the record was purged, a new one is inserted; false when its idempotency key is queued again
     * under another id.
     */
    boolean requeue(Connection connection, Envelope envelope, long now) throws SQLException {
        if (!resetToPending(connection, envelope.tenant(), envelope.id(), now)) {
            return insertRow(connection, envelope, now, 1);
        }
        if (relayed) {
            insertUnpublished(connection, List.of(envelope.id()));
        }
        return true;
    }

    private boolean resetToPending(Connection connection, TenantId tenant, MessageId id, long now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_outbox SET status = 'PENDING',"
                + " attempts = 0, next_attempt_at = ?, claim_token = NULL, claim_owner = NULL, claim_expires_at = NULL,"
                + " replays = replays + 1, relayed = ?, updated_at = ? WHERE tenant_id = ? AND id = ?")) {
            Params.of(update).longValue(now).bool(relayed).longValue(now).id(tenant).id(id);
            return update.executeUpdate() == 1;
        }
    }

    /** The tenant's record for {@code id}, if it has one. */
    public Optional<OutboxRecord> find(TenantId tenant, MessageId id) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + OutboxRow.COLUMNS + " FROM irisx_outbox WHERE tenant_id = ? AND id = ?")) {
                Params.of(select).id(tenant).id(id);
                return Jdbc.first(select, row -> OutboxRow.read(row).toRecord());
            }
        });
    }

    /** Deletes DONE records, of every tenant, last changed before {@code cutoffMillis}; returns how many. */
    public int purgeDone(long cutoffMillis) {
        return database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM irisx_outbox WHERE status = 'DONE' AND updated_at < ?")) {
                Params.of(delete).longValue(cutoffMillis);
                return delete.executeUpdate();
            }
        });
    }

    /**
     * Where every channel's work stands at {@code now}, across tenants: counts by status, how overdue the most overdue
     * pending record is, the relay's lag, and up to {@code inFlightLimit} records per channel held longest by a
     * worker. Reads the outbox's indexes only, but for the in-flight records it returns.
     */
    public static Backlog backlog(Database database, Instant now, int inFlightLimit) {
        if (inFlightLimit < 0 || inFlightLimit > 1000) {
            throw new IllegalArgumentException("inFlightLimit must be between 0 and 1000, was " + inFlightLimit);
        }
        return database.withConnection(connection -> {
            Map<Channel, Backlog.ChannelBacklog> channels = new EnumMap<>(Channel.class);
            for (Channel channel : Channel.values()) {
                channels.put(channel, channelBacklog(connection, channel, now, inFlightLimit));
            }
            return new Backlog(now, channels);
        });
    }

    private static Backlog.ChannelBacklog channelBacklog(Connection connection, Channel channel, Instant now,
            int inFlightLimit) throws SQLException {
        long[] counts = new long[OutboxStatus.values().length];
        long earliestDue = Long.MAX_VALUE;
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) AS records,"
                + " MIN(next_attempt_at) AS earliest_due FROM irisx_outbox WHERE channel = ? AND status = ?")) {
            for (OutboxStatus status : List.of(OutboxStatus.PENDING, OutboxStatus.IN_FLIGHT, OutboxStatus.DEAD)) {
                Params.of(select).enumName(channel).enumName(status);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    Row row = Row.of(rs);
                    counts[status.ordinal()] = row.longValue("records");
                    if (status == OutboxStatus.PENDING && counts[status.ordinal()] > 0) {
                        earliestDue = row.longValue("earliest_due");
                    }
                }
            }
        }
        Duration overdue = earliestDue <= now.toEpochMilli()
                ? Duration.ofMillis(now.toEpochMilli() - earliestDue) : Duration.ZERO;
        long unpublished = 0;
        Optional<Instant> oldestUnpublished = Optional.empty();
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) AS records,"
                + " MIN(o.created_at) AS oldest FROM irisx_outbox_unpublished u JOIN irisx_outbox o ON o.id = u.id"
                + " WHERE o.channel = ?")) {
            Params.of(select).enumName(channel);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                Row row = Row.of(rs);
                unpublished = row.longValue("records");
                if (unpublished > 0) {
                    oldestUnpublished = Optional.of(row.instant("oldest"));
                }
            }
        }
        List<Backlog.InFlight> inFlight = List.of();
        // With no in-flight records asked for (the gauges' reading, every few seconds), no record is read.
        if (inFlightLimit > 0) {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + OutboxRow.COLUMNS + ", claim_owner"
                    + " FROM irisx_outbox WHERE channel = ? AND status = 'IN_FLIGHT' ORDER BY updated_at, id LIMIT "
                    + inFlightLimit)) {
                Params.of(select).enumName(channel);
                inFlight = Jdbc.list(select, OutboxTable::inFlight);
            }
        }
        return new Backlog.ChannelBacklog(channel, counts[OutboxStatus.PENDING.ordinal()],
                counts[OutboxStatus.IN_FLIGHT.ordinal()], counts[OutboxStatus.DEAD.ordinal()], overdue, unpublished,
                oldestUnpublished, inFlight);
    }

    private static Backlog.InFlight inFlight(Row row) throws SQLException {
        OutboxRow record = OutboxRow.read(row);
        return new Backlog.InFlight(record.envelope(), record.attempts(), row.string("claim_owner"),
                Instant.ofEpochMilli(record.updatedAt()), Instant.ofEpochMilli(record.claimExpiresAt()),
                record.lastError());
    }

    /** The message ids in the {@code id} column of what {@code select} finds. */
    static List<MessageId> selectIds(PreparedStatement select) throws SQLException {
        return Jdbc.list(select, row -> row.id("id", MessageId::parse));
    }

    /** {@code ids} as one SQL array parameter. */
    static java.sql.Array ids(Connection connection, Collection<MessageId> ids) throws SQLException {
        return connection.createArrayOf("varchar", ids.stream().map(MessageId::value).toArray());
    }

    /** {@code error}, cut to the {@value #MAX_ERROR} characters the error columns hold. */
    static String truncate(String error) {
        return error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR - 1) + "…";
    }
}

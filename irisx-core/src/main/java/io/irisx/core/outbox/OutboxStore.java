package io.irisx.core.outbox;

import io.irisx.core.Channel;
import io.irisx.core.ConflictException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.TenantId;
import io.irisx.core.event.EventSink;
import io.irisx.core.id.MessageId;
import io.irisx.core.internal.ThrottledLog;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox table ({@code irisx_outbox}) and its dead letters, for {@link Outbox} implementations (SPI): queueing in
 * the caller's transaction, claiming, recording outcomes, relaying to a broker, lookups and retention. Thread-safe;
 * every time comes from the injected clock.
 *
 * <p>{@link JdbcOutbox} claims due records straight from the table. A broker outbox (irisx-queue's JetStream outbox)
 * moves committed records to its broker with {@link #relay(int, Relay)}, and its workers {@link #claim(Collection,
 * String, long, int) claim} the records of the messages the broker delivers, so the table stays the one place that
 * says whether work is due, in flight, done or dead, whichever carried it.
 *
 * <p>A broker outbox's record is unpublished while its id is in {@code irisx_outbox_unpublished}, a narrow table
 * written beside it in the same transaction: the relay deletes ids there rather than rewrite the wide record. The
 * database outbox, which has no relay, writes none; a broker outbox taking over its table {@link #adopt() adopts}
 * the records still waiting when it starts.
 */
public final class OutboxStore {

    private static final Logger log = LoggerFactory.getLogger(OutboxStore.class);

    /** The longest error text kept, in characters (the column's width). */
    static final int MAX_ERROR = 2000;

    private static final String COLUMNS = "id, tenant_id, channel, idempotency_key, payload, status, attempts,"
            + " next_attempt_at, last_error, created_at, updated_at, claim_expires_at";

    private static final String INSERT = "INSERT INTO irisx_outbox (id, tenant_id, channel, idempotency_key, payload,"
            + " status, attempts, next_attempt_at, created_at, updated_at, replays, relayed)"
            + " VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private static final String INSERT_UNPUBLISHED = "INSERT INTO irisx_outbox_unpublished (id) VALUES (?)"
            + " ON CONFLICT DO NOTHING";

    /**
     * {@link #INSERT} and {@link #INSERT_UNPUBLISHED} in one statement (PostgreSQL): one round trip per send. Its
     * count is the unpublished id's, inserted only with the record.
     */
    private static final String INSERT_BOTH = "WITH inserted AS (" + INSERT + " RETURNING id)"
            + " INSERT INTO irisx_outbox_unpublished (id) SELECT id FROM inserted";

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

    /** The most records claimed or settled together in one group commit. */
    private static final int GROUP = 256;

    private final Database database;
    private final Clock clock;
    private final boolean relayed;
    private final DeadLetterStore deadLetters;
    private final GroupCommit<Claim, Boolean> doneGroup = new GroupCommit<>(GROUP, this::doneAll);
    private final Map<ClaimTerms, GroupCommit<MessageId, Take>> claimGroups = new ConcurrentHashMap<>();

    /**
     * This outbox's failed attempts, dead letters and handler errors: at most 20 lines of each kind a minute, as they
     * come in floods.
     */
    private final ThrottledLog failures = ThrottledLog.of(log, 20);

    private OutboxStore(Database database, Clock clock, boolean relayed, Consumer<Channel> requeued,
            EventSink events) {
        this.database = database;
        this.clock = clock;
        this.relayed = relayed;
        this.deadLetters = new DeadLetterStore(database, clock, relayed, requeued, events);
    }

    /**
     * The outbox table of {@code database} (migrated for irisx-core), on {@code clock}; {@code requeued} hears of
     * each dead letter replayed, once committed, to wake the channel's workers or relay.
     */
    public static OutboxStore create(Database database, Clock clock, Consumer<Channel> requeued) {
        return create(database, clock, requeued, EventSink.logging());
    }

    /**
     * As {@link #create(Database, Clock, Consumer)}, emitting {@code message.dead_lettered} to {@code events} in the
     * transaction that stores each dead letter.
     */
    public static OutboxStore create(Database database, Clock clock, Consumer<Channel> requeued, EventSink events) {
        return create(database, clock, true, requeued, events);
    }

    /**
     * The store of {@link JdbcOutbox}, whose workers claim records from the table itself: its records are not
     * unpublished ones, as no relay publishes them.
     */
    static OutboxStore forClaims(Database database, Clock clock, Consumer<Channel> requeued, EventSink events) {
        return create(database, clock, false, requeued, events);
    }

    private static OutboxStore create(Database database, Clock clock, boolean relayed, Consumer<Channel> requeued,
            EventSink events) {
        return new OutboxStore(Objects.requireNonNull(database, "database"), Objects.requireNonNull(clock, "clock"),
                relayed, Objects.requireNonNull(requeued, "requeued"), Objects.requireNonNull(events, "events"));
    }

    /** The dead letters kept beside the table. */
    public DeadLetters deadLetters() {
        return deadLetters;
    }

    /**
     * Queues {@code envelope} on {@code connection} with one statement that never fails on a duplicate (a failed
     * statement would abort the caller's PostgreSQL transaction), and returns the id that holds the work: this
     * envelope's, or that of the one queued earlier with the same tenant, channel and idempotency key.
     *
     * @throws ConflictException when the envelope's id is already queued with another idempotency key
     */
    public MessageId insert(Connection connection, Envelope envelope) throws SQLException {
        if (insertRow(connection, database.dialect(), relayed, envelope, clock.millis(), 0)) {
            return envelope.id();
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

    /**
     * Inserts a PENDING record for {@code envelope}, unpublished when {@code relayed}, unless its id or idempotency key
     * is taken; true when inserted.
     */
    static boolean insertRow(Connection connection, Database.Dialect dialect, boolean relayed, Envelope envelope,
            long now, int replays) throws SQLException {
        boolean both = relayed && dialect == Database.Dialect.POSTGRESQL;
        try (PreparedStatement insert = connection.prepareStatement(both ? INSERT_BOTH : INSERT)) {
            insert.setString(1, envelope.id().value());
            insert.setString(2, envelope.tenant().value());
            insert.setString(3, envelope.channel().name());
            insert.setString(4, envelope.idempotencyKey());
            insert.setString(5, envelope.payload());
            insert.setLong(6, now);
            insert.setLong(7, now);
            insert.setLong(8, now);
            insert.setInt(9, replays);
            insert.setBoolean(10, relayed);
            if (insert.executeUpdate() != 1) {
                return false;
            }
        }
        if (relayed && !both) {
            insertUnpublished(connection, List.of(envelope.id()));
        }
        return true;
    }

    /** Makes the records of {@code ids} unpublished, for a relay's next pass. */
    static void insertUnpublished(Connection connection, Collection<MessageId> ids) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_UNPUBLISHED)) {
            for (MessageId id : ids) {
                insert.setString(1, id.value());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Takes the records of {@code ids} off the unpublished ones, with one statement whatever their number (a batch of
     * single-row deletes would cost the database a statement execution per record).
     */
    private static void deleteUnpublished(Connection connection, Collection<MessageId> ids) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM irisx_outbox_unpublished WHERE id = ANY(?)")) {
            delete.setArray(1, ids(connection, ids));
            delete.executeUpdate();
        }
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
                        dead.add(deadOnLapse(connection, row, maxAttempts, now));
                        continue;
                    }
                    bindClaim(update, token, owner, now + claimMillis, now, row.envelope.id());
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

    /**
     * What a broker worker's {@link #claim(Collection, String, long, int) claim} of one delivered message found.
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
     * Claims the record of one delivered message, as {@link #claim(Collection, String, long, int)} does, in a
     * transaction shared with the claims other threads make at the same moment with the same terms (group commit).
     */
    public Take claim(MessageId id, String owner, long claimMillis, int maxAttempts) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        return claimGroups.computeIfAbsent(new ClaimTerms(owner, claimMillis, maxAttempts),
                terms -> new GroupCommit<>(GROUP, ids -> claimEach(ids, terms))).submit(id);
    }

    private record ClaimTerms(String owner, long claimMillis, int maxAttempts) {
    }

    /** Claims a group's ids; an id delivered twice in one group is claimed once, the other delivery finds it held. */
    private List<Take> claimEach(List<MessageId> ids, ClaimTerms terms) {
        Map<MessageId, Take> takes = claim(new LinkedHashSet<>(ids), terms.owner, terms.claimMillis,
                terms.maxAttempts);
        Set<MessageId> given = new HashSet<>();
        Instant heldUntil = Instant.ofEpochMilli(clock.millis() + terms.claimMillis);
        return ids.stream().map(id -> given.add(id) ? takes.get(id) : (Take) new Held(heldUntil)).toList();
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
            Map<MessageId, Row> rows = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM irisx_outbox WHERE id IN (" + marks + ") ORDER BY id FOR UPDATE")) {
                int i = 1;
                for (MessageId id : ids) {
                    select.setString(i++, id.value());
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Row row = Row.read(rs);
                        rows.put(row.envelope.id(), row);
                    }
                }
            }
            String token = UUID.randomUUID().toString();
            Map<MessageId, Take> takes = new LinkedHashMap<>();
            try (PreparedStatement update = connection.prepareStatement(CLAIM)) {
                for (MessageId id : ids) {
                    Row row = rows.get(id);
                    Take take;
                    if (row == null) {
                        // Purged.
                        take = new Settled(Optional.empty());
                    } else if (row.status == OutboxStatus.DONE || row.status == OutboxStatus.DEAD) {
                        take = new Settled(Optional.of(row.status));
                    } else if (row.status == OutboxStatus.PENDING && row.nextAttemptAt > now) {
                        take = new NotDue(Instant.ofEpochMilli(row.nextAttemptAt));
                    } else if (row.status == OutboxStatus.IN_FLIGHT && row.claimExpiresAt > now) {
                        take = new Held(Instant.ofEpochMilli(row.claimExpiresAt));
                    } else if (row.status == OutboxStatus.IN_FLIGHT && row.attempts >= maxAttempts) {
                        take = new DeadOnLapse(deadOnLapse(connection, row, maxAttempts, now));
                    } else {
                        bindClaim(update, token, owner, now + claimMillis, now, id);
                        update.addBatch();
                        take = new Claimed(new Claim(row.envelope, row.attempts + 1,
                                Instant.ofEpochMilli(row.createdAt), token));
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
     * A committed record not yet on the broker, as the relay gets it.
     *
     * @param envelope the work
     * @param publicationId the id the broker deduplicates on: the message id, then a new one for each replay (a
     *     replay soon after the first publication would otherwise be dropped as a duplicate)
     */
    public record Unpublished(Envelope envelope, String publicationId) {

        private static final String REPLAY = ".replay-";

        static Unpublished of(Envelope envelope, int replays) {
            String id = envelope.id().value();
            return new Unpublished(envelope, replays == 0 ? id : id + REPLAY + replays);
        }

        /**
         * The id of the message a publication id names.
         *
         * @throws IrisxValidationException when {@code publicationId} is not one (or is null)
         */
        public static MessageId messageId(String publicationId) {
            int replay = publicationId == null ? -1 : publicationId.indexOf(REPLAY);
            return MessageId.parse(replay < 0 ? publicationId : publicationId.substring(0, replay));
        }
    }

    /** Puts records on a broker (SPI of a broker outbox's relay). */
    @FunctionalInterface
    public interface Relay {
        /**
         * Sends {@code batch} to the broker without waiting for it, and returns the wait for its acknowledgements.
         * The store marks the batch published meanwhile, in the transaction it commits once they are in.
         */
        Acknowledgements publish(List<Unpublished> batch) throws Exception;
    }

    /** The broker's acknowledgements of a batch a {@link Relay} sent, yet to come. */
    @FunctionalInterface
    public interface Acknowledgements {
        /**
         * Waits for them.
         *
         * @return the ids of the envelopes the broker acknowledged (the others stay unpublished)
         * @throws Exception when the broker acknowledged none of them
         */
        Set<MessageId> await() throws Exception;
    }

    /**
     * Makes the records a database outbox queued in this table and that still wait (PENDING) unpublished, for this
     * store's relay to publish: for a broker outbox starting on a table a {@link JdbcOutbox} used. Records such an
     * outbox had in flight are left to it. Returns how many.
     */
    public int adopt() {
        return database.inTransaction(connection -> {
            List<MessageId> waiting;
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_outbox"
                    + " WHERE channel = ANY(?) AND status = 'PENDING' AND NOT relayed ORDER BY id FOR UPDATE")) {
                select.setArray(1, connection.createArrayOf("varchar",
                        Arrays.stream(Channel.values()).map(Channel::name).toArray()));
                waiting = selectIds(select);
            }
            if (waiting.isEmpty()) {
                return 0;
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE irisx_outbox SET relayed = TRUE WHERE id = ANY(?)")) {
                update.setArray(1, ids(connection, waiting));
                update.executeUpdate();
            }
            insertUnpublished(connection, waiting);
            return waiting.size();
        });
    }

    /**
     * Moves up to {@code limit} committed, unpublished records to a broker through {@code relay}, oldest id first,
     * and takes those it acknowledged off the unpublished ones, all in one transaction that holds their unpublished
     * ids' row locks: relays in several processes skip each other's records ({@code SKIP LOCKED}), and a relay that
     * dies before committing leaves its records unpublished for the next pass (a broker deduplicating on
     * {@link Unpublished#publicationId()} drops the second copy). The ids are deleted while the broker works on the
     * records, and the few it did not acknowledge are put back before the commit, so no record is ever seen
     * published before its acknowledgement.
     *
     * @return how many records were found (the caller relays again at once when the batch was full)
     */
    public int relay(int limit, Relay relay) {
        Objects.requireNonNull(relay, "relay");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return relay("SELECT id FROM irisx_outbox_unpublished ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                select -> select.setInt(1, limit), relay);
    }

    /**
     * Moves the records of {@code ids} that are still unpublished to a broker, as {@link #relay(int, Relay)} does,
     * finding them by primary key: for a relay told of records just committed, which it need not look for. Records
     * that another relay holds, or that are published already, are skipped.
     *
     * @return how many of {@code ids} were found unpublished
     */
    public int relay(Collection<MessageId> ids, Relay relay) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(relay, "relay");
        if (ids.isEmpty()) {
            return 0;
        }
        // One array parameter, so that the statement's text (and its prepared plan) is the same whatever the number.
        return relay("SELECT id FROM irisx_outbox_unpublished WHERE id = ANY(?) ORDER BY id FOR UPDATE SKIP LOCKED",
                select -> select.setArray(1, ids(select.getConnection(), ids)), relay);
    }

    /** Binds the parameters of a query. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /**
     * Publishes the waiting records among those whose unpublished ids {@code query} selects and locks, then deletes
     * those ids. An id whose record is no longer waiting (settled, or purged) goes without a publication; a record in
     * flight goes (only a stream created anew makes one unpublished: its worker's claim holds the new copy back until
     * the claim settles or lapses). The ids and
     * the records are read with two statements: joined, PostgreSQL may merge the two primary keys from their start,
     * reading again every record published before.
     */
    private int relay(String query, Binder binder, Relay relay) {
        return database.inTransaction(connection -> {
            List<MessageId> locked;
            try (PreparedStatement select = connection.prepareStatement(query)) {
                binder.bind(select);
                locked = selectIds(select);
            }
            if (locked.isEmpty()) {
                return 0;
            }
            List<Unpublished> batch = new ArrayList<>(locked.size());
            try (PreparedStatement select = connection.prepareStatement("SELECT id, tenant_id, channel,"
                    + " idempotency_key, payload, replays FROM irisx_outbox WHERE id = ANY(?)"
                    + " AND status IN ('PENDING', 'IN_FLIGHT') ORDER BY id")) {
                select.setArray(1, ids(connection, locked));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        batch.add(Unpublished.of(Row.envelope(rs), rs.getInt("replays")));
                    }
                }
            }
            try {
                Acknowledgements acknowledgements = batch.isEmpty() ? Set::of : relay.publish(List.copyOf(batch));
                // The database's share of the pass overlaps the broker's.
                deleteUnpublished(connection, locked);
                Set<MessageId> published = acknowledgements.await();
                List<MessageId> unacknowledged = batch.stream().map(record -> record.envelope().id())
                        .filter(id -> !published.contains(id)).toList();
                if (!unacknowledged.isEmpty()) {
                    insertUnpublished(connection, unacknowledged);
                }
            } catch (SQLException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("publishing " + batch.size() + " outbox record(s) failed: " + e, e);
            }
            return locked.size();
        });
    }

    /** The message ids in the first column of what {@code select} finds. */
    private static List<MessageId> selectIds(PreparedStatement select) throws SQLException {
        List<MessageId> ids = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                ids.add(MessageId.parse(rs.getString(1)));
            }
        }
        return ids;
    }

    private static java.sql.Array ids(Connection connection, Collection<MessageId> ids) throws SQLException {
        return connection.createArrayOf("varchar", ids.stream().map(MessageId::value).toArray());
    }

    private static void bindClaim(PreparedStatement update, String token, String owner, long expiresAt, long now,
            MessageId id) throws SQLException {
        update.setString(1, token);
        update.setString(2, owner);
        update.setLong(3, expiresAt);
        update.setLong(4, now);
        update.setString(5, id.value());
    }

    private DeadLetter deadOnLapse(Connection connection, Row row, int maxAttempts, long now) throws SQLException {
        String error = "claim lapsed on the last of " + maxAttempts + " tries; the worker likely died";
        settle(connection, row.envelope.id(), null, OutboxStatus.DEAD, now, error, now);
        return deadLetters.insert(connection, row.envelope, row.attempts, error, now, OptionalLong.empty());
    }

    /**
     * Makes the records of {@code channel} that are on the broker, were last changed before {@code changedBefore}
     * (epoch ms) and are still waiting (PENDING, or IN_FLIGHT with a lapsed claim) unpublished again, under a new
     * publication id, so that the relay puts them on the broker once more: a broker that keeps messages for a limited
     * time (a stream's max age) has dropped them by then. A record is published soon after its last change (its
     * insert, replay or claim), so one relayed only after a broker outage longer than that time may be published
     * twice, which its worker's claim tells apart. Returns how many.
     */
    public int unpublishStale(Channel channel, long changedBefore) {
        Objects.requireNonNull(channel, "channel");
        long now = clock.millis();
        return database.inTransaction(connection -> {
            List<MessageId> stale;
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_outbox o"
                    + " WHERE channel = ? AND updated_at < ?"
                    + " AND (status = 'PENDING' OR (status = 'IN_FLIGHT' AND claim_expires_at <= ?))"
                    + " AND NOT EXISTS (SELECT 1 FROM irisx_outbox_unpublished u WHERE u.id = o.id)"
                    + " ORDER BY id FOR UPDATE")) {
                select.setString(1, channel.name());
                select.setLong(2, changedBefore);
                select.setLong(3, now);
                stale = selectIds(select);
            }
            if (stale.isEmpty()) {
                return 0;
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_outbox SET status = 'PENDING',"
                    + " replays = replays + 1, relayed = TRUE, claim_token = NULL, claim_owner = NULL,"
                    + " claim_expires_at = NULL, updated_at = ? WHERE id = ANY(?)")) {
                update.setLong(1, now);
                update.setArray(2, ids(connection, stale));
                update.executeUpdate();
            }
            insertUnpublished(connection, stale);
            return stale.size();
        });
    }

    /**
     * Records that the broker's {@code stream}, which carries {@code channel}'s records, was created at {@code
     * createdNanos} (epoch ns, as the broker says; for a broker outbox). When a stream of that name was recorded with
     * an earlier creation time, this one was created anew, empty (the broker came back without its store, or the
     * stream was deleted): every record of the channel that a relay put on the broker and that is not finished
     * (PENDING, or IN_FLIGHT) is made unpublished again in the same transaction, under the same publication id, which
     * the row's lock keeps to one process. A record the new stream holds already is dropped by its duplicate window
     * or, after it, by its worker's claim.
     *
     * @return how many records were made unpublished, when the stream was created anew; empty when it was not (first
     *     recorded now, recorded already, or an earlier stream of that name seen late)
     */
    public OptionalInt streamCreated(String stream, Channel channel, long createdNanos) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(channel, "channel");
        return database.inTransaction(connection -> {
            OptionalLong known = OptionalLong.empty();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT created_nanos FROM irisx_outbox_stream WHERE name = ? FOR UPDATE")) {
                select.setString(1, stream);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        known = OptionalLong.of(rows.getLong(1));
                    }
                }
            }
            if (known.isEmpty()) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_outbox_stream"
                        + " (name, created_nanos) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    insert.setString(1, stream);
                    insert.setLong(2, createdNanos);
                    insert.executeUpdate();
                }
                return OptionalInt.empty();
            }
            if (known.getAsLong() >= createdNanos) {
                return OptionalInt.empty();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE irisx_outbox_stream SET created_nanos = ? WHERE name = ?")) {
                update.setLong(1, createdNanos);
                update.setString(2, stream);
                update.executeUpdate();
            }
            return OptionalInt.of(unpublishUnfinished(connection, channel));
        });
    }

    /** Makes every record of {@code channel} on the broker and not finished unpublished again; returns how many. */
    private static int unpublishUnfinished(Connection connection, Channel channel) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_outbox_unpublished (id)"
                + " SELECT id FROM irisx_outbox o WHERE channel = ? AND relayed AND status IN ('PENDING', 'IN_FLIGHT')"
                + " AND NOT EXISTS (SELECT 1 FROM irisx_outbox_unpublished u WHERE u.id = o.id)"
                + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, channel.name());
            return insert.executeUpdate();
        }
    }

    /**
     * Marks the claimed record done; false when the claim is no longer the caller's. Records that workers finish at
     * the same moment are marked in one transaction (group commit).
     */
    public boolean done(Claim claim) {
        return doneGroup.submit(Objects.requireNonNull(claim, "claim"));
    }

    private List<Boolean> doneAll(List<Claim> claims) {
        long now = clock.millis();
        return database.inTransaction(connection -> {
            // In id order, as claims lock them, so that concurrent writers never wait on each other in a cycle.
            List<Claim> ordered = claims.stream().sorted(Comparator.comparing(claim -> claim.envelope().id().value()))
                    .toList();
            Map<Claim, Boolean> settled = new IdentityHashMap<>();
            try (PreparedStatement update = connection.prepareStatement(SETTLE_OWN_CLAIM)) {
                for (Claim claim : ordered) {
                    bindSettle(update, claim.envelope().id(), claim.token(), OutboxStatus.DONE, now, null, now);
                    update.addBatch();
                }
                int[] counts = update.executeBatch();
                for (int i = 0; i < ordered.size(); i++) {
                    settled.put(ordered.get(i), counts[i] == 1);
                }
            }
            return claims.stream().map(settled::get).toList();
        });
    }

    /** Puts the claimed record back to wait until {@code dueAt}; false when the claim is no longer the caller's. */
    public boolean retry(Claim claim, long dueAt, String error) {
        long now = clock.millis();
        return database.inTransaction(c -> settle(c, claim.envelope().id(), claim.token(), OutboxStatus.PENDING, dueAt,
                error, now));
    }

    /**
     * Puts the claimed record back to wait until {@code dueAt} without counting the try it was claimed for (the
     * handler did not try the work: see {@link Outcome#defer}); false when the claim is no longer the caller's.
     */
    public boolean defer(Claim claim, long dueAt) {
        long now = clock.millis();
        return database.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE irisx_outbox SET status = 'PENDING',"
                    + " attempts = attempts - 1, next_attempt_at = ?, claim_token = NULL, claim_owner = NULL,"
                    + " claim_expires_at = NULL, updated_at = ? WHERE id = ? AND status = 'IN_FLIGHT' AND claim_token = ?")) {
                update.setLong(1, dueAt);
                update.setLong(2, now);
                update.setString(3, claim.envelope().id().value());
                update.setString(4, claim.token());
                return update.executeUpdate() == 1;
            }
        });
    }

    /**
     * Runs {@code handler} on the claim's delivery; a handler that returns no outcome or throws asks for a retry,
     * with the exception as the reason.
     */
    public Outcome run(Handler handler, Claim claim) {
        try {
            Outcome outcome = handler.handle(claim.delivery());
            return outcome != null ? outcome : Outcome.retry("the handler returned no outcome");
        } catch (VirtualMachineError e) {
            // The JVM itself is failing (out of memory, a stack overflow): nothing recorded now could be trusted,
            // so the claim lapses and the record comes back to a worker.
            throw e;
        } catch (Exception e) {
            return Outcome.retry(describe(e));
        } catch (Throwable e) {
            // An Error from a handler or its libraries (a LinkageError from clashing dependency versions, say)
            // would otherwise end the worker's thread and leave the record in flight, to come back again and again.
            failures.error("handler-error", "irisx outbox: the handler of {} threw {}; the attempt is recorded as"
                    + " failed", claim.envelope(), e.toString(), e);
            return Outcome.retry(describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getName() + (message == null ? "" : ": " + message);
    }

    /**
     * Logs a dead letter at ERROR (at most 20 lines a minute per channel) and hands it to the subscription's
     * {@link ConsumeOptions#onDeadLetter() callback}, whose failure is logged, not thrown.
     */
    public void deadLettered(DeadLetter letter, ConsumeOptions options) {
        failures.error("dead:" + letter.envelope().channel(), "irisx outbox: {} is dead after {} attempt(s): {}",
                letter.envelope(), letter.attempts(), letter.lastError());
        try {
            options.onDeadLetter().accept(letter);
        } catch (RuntimeException e) {
            log.warn("irisx outbox: the dead-letter callback failed for {}", letter.envelope(), e);
        }
    }

    /**
     * What recording a handler's outcome came to, for the worker to tell its broker.
     *
     * @param kind whether the record is done, waits to be tried again, or is dead
     * @param dueAt when it is due again, for {@link Kind#LATER}; else when it was recorded
     * @param deadLetter its dead letter, for {@link Kind#DEAD} when the claim was still the caller's
     * @param recorded false when the claim was no longer the caller's (it lapsed and was taken over), so nothing
     *     was written
     */
    public record Settlement(Kind kind, Instant dueAt, Optional<DeadLetter> deadLetter, boolean recorded) {
        /** Where the record stands. */
        public enum Kind {
            /** Done: acknowledge the delivery. */
            DONE,
            /** To be tried again at {@code dueAt}, or put off until then: deliver it again then. */
            LATER,
            /** Failed for good or out of tries: a dead letter; the delivery ends. */
            DEAD
        }
    }

    /**
     * Records what the handler made of the claimed record: done; put off ({@link Outcome#defer}, not counting the
     * try); a retry after the handler's delay or else the {@code policy}'s, while tries remain; dead otherwise, with
     * the broker's sequence number of the delivery where there is a broker.
     */
    public Settlement record(Claim claim, Outcome outcome, RetryPolicy policy, OptionalLong streamSequence) {
        Instant now = clock.instant();
        if (outcome instanceof Outcome.Done) {
            return new Settlement(Settlement.Kind.DONE, now, Optional.empty(), done(claim));
        }
        if (outcome instanceof Outcome.Defer defer) {
            Instant due = now.plus(defer.delay());
            return new Settlement(Settlement.Kind.LATER, due, Optional.empty(), defer(claim, due.toEpochMilli()));
        }
        if (outcome instanceof Outcome.Retry retry && claim.attempt() < policy.maxAttempts()) {
            Instant due = now.plus(retry.delay().or(() -> policy.delayAfter(claim.attempt())).orElse(Duration.ZERO));
            boolean recorded = retry(claim, due.toEpochMilli(), retry.reason());
            if (recorded) {
                failures.warn("attempt-failed:" + claim.envelope().channel(), "irisx outbox: {} attempt {} of {}"
                        + " failed; retrying at {}: {}", claim.envelope(), claim.attempt(), policy.maxAttempts(), due,
                        retry.reason());
            }
            return new Settlement(Settlement.Kind.LATER, due, Optional.empty(), recorded);
        }
        String reason = outcome instanceof Outcome.Retry retry ? retry.reason() : ((Outcome.Fail) outcome).reason();
        Optional<DeadLetter> letter = dead(claim, reason, streamSequence);
        return new Settlement(Settlement.Kind.DEAD, now, letter, letter.isPresent());
    }

    /**
     * Marks the claimed record dead and stores its dead letter, with the broker's sequence number of the delivery
     * where there is a broker; empty when the claim is no longer the caller's.
     */
    public Optional<DeadLetter> dead(Claim claim, String error, OptionalLong streamSequence) {
        long now = clock.millis();
        return database.inTransaction(c -> {
            if (!settle(c, claim.envelope().id(), claim.token(), OutboxStatus.DEAD, now, error, now)) {
                return Optional.empty();
            }
            return Optional.of(deadLetters.insert(c, claim.envelope(), claim.attempt(), error, now, streamSequence));
        });
    }

    private static boolean settle(Connection connection, MessageId id, String token, OutboxStatus status, long dueAt,
            String error, long now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(token == null ? SETTLE : SETTLE_OWN_CLAIM)) {
            bindSettle(update, id, token, status, dueAt, error, now);
            return update.executeUpdate() == 1;
        }
    }

    private static void bindSettle(PreparedStatement update, MessageId id, String token, OutboxStatus status,
            long dueAt, String error, long now) throws SQLException {
        update.setString(1, status.name());
        update.setLong(2, dueAt);
        update.setString(3, error == null ? null : truncate(error));
        update.setLong(4, now);
        update.setString(5, id.value());
        if (token != null) {
            update.setString(6, token);
        }
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
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*), MIN(next_attempt_at)"
                + " FROM irisx_outbox WHERE channel = ? AND status = ?")) {
            for (OutboxStatus status : List.of(OutboxStatus.PENDING, OutboxStatus.IN_FLIGHT, OutboxStatus.DEAD)) {
                select.setString(1, channel.name());
                select.setString(2, status.name());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    counts[status.ordinal()] = rs.getLong(1);
                    if (status == OutboxStatus.PENDING && rs.getLong(1) > 0) {
                        earliestDue = rs.getLong(2);
                    }
                }
            }
        }
        Duration overdue = earliestDue <= now.toEpochMilli()
                ? Duration.ofMillis(now.toEpochMilli() - earliestDue) : Duration.ZERO;
        long unpublished = 0;
        Optional<Instant> oldestUnpublished = Optional.empty();
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*), MIN(o.created_at)"
                + " FROM irisx_outbox_unpublished u JOIN irisx_outbox o ON o.id = u.id WHERE o.channel = ?")) {
            select.setString(1, channel.name());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                unpublished = rs.getLong(1);
                if (unpublished > 0) {
                    oldestUnpublished = Optional.of(Instant.ofEpochMilli(rs.getLong(2)));
                }
            }
        }
        List<Backlog.InFlight> inFlight = new ArrayList<>();
        // With no in-flight records asked for (the gauges' reading, every few seconds), no record is read.
        if (inFlightLimit > 0) {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + ", claim_owner"
                    + " FROM irisx_outbox WHERE channel = ? AND status = 'IN_FLIGHT' ORDER BY updated_at, id LIMIT "
                    + inFlightLimit)) {
                select.setString(1, channel.name());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Row row = Row.read(rs);
                        inFlight.add(new Backlog.InFlight(row.envelope, row.attempts, rs.getString("claim_owner"),
                                Instant.ofEpochMilli(row.updatedAt), Instant.ofEpochMilli(row.claimExpiresAt),
                                Optional.ofNullable(row.lastError)));
                    }
                }
            }
        }
        return new Backlog.ChannelBacklog(channel, counts[OutboxStatus.PENDING.ordinal()],
                counts[OutboxStatus.IN_FLIGHT.ordinal()], counts[OutboxStatus.DEAD.ordinal()], overdue, unpublished,
                oldestUnpublished, inFlight);
    }

    /** The tenant's record for {@code id}, if it has one. */
    public Optional<OutboxRecord> find(TenantId tenant, MessageId id) {
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
    public int purgeDone(long cutoffMillis) {
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
            long createdAt, long updatedAt, long claimExpiresAt) {

        static Row read(ResultSet rs) throws SQLException {
            return new Row(envelope(rs), OutboxStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                    rs.getLong("next_attempt_at"), rs.getString("last_error"), rs.getLong("created_at"),
                    rs.getLong("updated_at"), rs.getLong("claim_expires_at"));
        }

        static Envelope envelope(ResultSet rs) throws SQLException {
            return new Envelope(MessageId.parse(rs.getString("id")), TenantId.of(rs.getString("tenant_id")),
                    Channel.valueOf(rs.getString("channel")), rs.getString("idempotency_key"), rs.getString("payload"));
        }

        OutboxRecord toRecord() {
            return new OutboxRecord(envelope, status, attempts, Instant.ofEpochMilli(nextAttemptAt),
                    Optional.ofNullable(lastError), Instant.ofEpochMilli(createdAt), Instant.ofEpochMilli(updatedAt));
        }
    }
}

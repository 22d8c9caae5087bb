package io.irisx.messaging.sms.internal;

import io.irisx.core.credit.SendCredit;
import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.event.EventType;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.phone.PhoneNumber;
import io.irisx.core.spi.Metering;
import io.irisx.core.store.Database;
import io.irisx.core.store.Where;
import io.irisx.core.usage.UsageUnit;
import io.irisx.messaging.internal.Columns;
import io.irisx.messaging.internal.QueuedRows;
import io.irisx.messaging.sms.InboundSms;
import io.irisx.messaging.sms.Keyword;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsReport;
import io.irisx.messaging.sms.SmsFilter;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.SmsStatusChange;
import io.irisx.messaging.sms.internal.SmsRows;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.spi.OutboxOutcomes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The SMS tables of one database — messages, status history, inbound messages and opt-out lists — and the events
 * their changes emit; thread-safe, created once per runtime and shared by every tenant's
 * {@link io.irisx.messaging.sms.SmsClient}, the {@link SmsSender} and the providers' callback handlers. Each change is
 * stored with its history row and its {@code sms.*} event in one transaction, and touches one tenant's rows only.
 */
public final class SmsStore {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SmsStore.class);

    private final Database database;
    private final Clock clock;
    private final EventSink events;

    private SmsStore(Database database, Clock clock, EventSink events) {
        this.database = database;
        this.clock = clock;
        this.events = events;
    }

    /** The SMS store on {@code database}: brings the messaging tables up to date ({@code migrate("messaging")}). */
    public static SmsStore create(Database database, Clock clock, EventSink events) {
        SmsStore store = new SmsStore(Objects.requireNonNull(database, "database"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(events, "events"));
        database.migrate("messaging");
        return store;
    }

    /**
     * Applies a provider's status report to the tenant's message it names. The message's status moves only forward;
     * a report of a new provider status is kept in the history either way, with its error code; a status change
     * emits its event. A report the message's history already holds (the same provider status and error code), such
     * as a provider retrying its callback or anyone replaying a signed one, changes nothing.
     *
     * @return the message, or empty when the tenant has no message of that provider's id (nothing is changed)
     */
    public Optional<Sms> record(TenantId tenant, SmsReport report) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(report, "report");
        return database.inTransaction(connection -> record(connection, tenant, report));
    }

    private Optional<Sms> record(Connection connection, TenantId tenant, SmsReport report) throws SQLException {
        List<Sms> found = SmsRows.select(connection, "SELECT " + SmsRows.COLUMNS + " FROM irisx_sms_messages"
                // Locked, so that the same report arriving twice at once is recorded once.
                + " WHERE tenant_id = ? AND provider = ? AND provider_message_id = ? FOR UPDATE", tenant.value(),
                report.provider(), report.providerMessageId());
        if (found.isEmpty()) {
            return Optional.<Sms>empty();
        }
        Sms sms = found.get(0);
        boolean moves = sms.status().canMoveTo(report.status());
        if (!moves && (sms.providerStatus().equals(Optional.of(report.providerStatus()))
                || SmsRows.hasReport(connection, tenant, sms.id(), report.providerStatus(), report.errorCode()))) {
            return Optional.of(sms);
        }
        if (moves) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_sms_messages SET status = ?,"
                    + " provider_status = ?, error_code = ?, updated_at = ? WHERE tenant_id = ? AND id = ?")) {
                update.setString(1, report.status().name());
                update.setString(2, report.providerStatus());
                update.setString(3, report.errorCode().orElse(sms.errorCode().orElse(null)));
                update.setLong(4, clock.millis());
                update.setString(5, tenant.value());
                update.setString(6, sms.id().value());
                update.executeUpdate();
            }
        }
        String detail = report.provider() + " reported " + report.providerStatus()
                + report.errorCode().map(code -> " (error " + code + ")").orElse("")
                + (moves ? "" : "; the message stays " + sms.status());
        SmsStatus status = moves ? report.status() : sms.status();
        change(connection, sms, status, Optional.of(report.providerStatus()), report.errorCode(), detail,
                report.occurredAt(), moves);
        return Optional.of(sms);
    }

    /**
     * Stores a message the tenant's number received and emits {@code sms.received}; a STOP keyword opts the sender
     * out ({@code sms.opted_out}), a START keyword opts it back in ({@code sms.opted_in}), in the same transaction.
     *
     * @return the message stored, or empty when the provider delivered its id before (nothing is changed)
     * @throws IllegalArgumentException when the provider or its id is empty or longer than 64 characters, or the
     *     body holds NUL; nothing is stored
     */
    public Optional<InboundSms> receive(TenantId tenant, String provider, String providerMessageId, PhoneNumber from,
            PhoneNumber to, String body, List<String> mediaUrls) {
        Objects.requireNonNull(tenant, "tenant");
        checkColumn("provider", provider, 64);
        checkColumn("providerMessageId", providerMessageId, 64);
        if (body.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("body must not contain NUL");
        }
        InboundSms inbound = new InboundSms(MessageId.generate(), provider, providerMessageId, from.value(),
                to.value(), body, mediaUrls, clock.instant());
        return database.inTransaction(connection -> {
            if (!SmsRows.insertInbound(connection, tenant, inbound)) {
                return Optional.<InboundSms>empty();
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("messageId", inbound.id().value());
            data.put("from", inbound.from());
            data.put("to", inbound.to());
            data.put("body", body);
            data.put("mediaUrls", inbound.mediaUrls());
            data.put("provider", provider);
            data.put("providerMessageId", providerMessageId);
            emit(connection, EventType.SMS_RECEIVED, tenant, data);
            Keyword keyword = Keyword.of(body);
            if (keyword == Keyword.STOP) {
                optOut(connection, tenant, from, body.strip());
            } else if (keyword == Keyword.START) {
                optIn(connection, tenant, from, body.strip());
            }
            return Optional.of(inbound);
        });
    }

    /** Adds {@code number} to the tenant's opt-out list; false when it was on it already. */
    public boolean optOut(TenantId tenant, PhoneNumber number, String reason) {
        return database.inTransaction(connection -> optOut(connection, tenant, number, reason));
    }

    /** Takes {@code number} off the tenant's opt-out list; false when it was not on it. */
    public boolean optIn(TenantId tenant, PhoneNumber number, String reason) {
        return database.inTransaction(connection -> optIn(connection, tenant, number, reason));
    }

    /** Whether {@code number} is on the tenant's opt-out list. */
    public boolean isOptedOut(TenantId tenant, PhoneNumber number) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT 1 FROM irisx_sms_opt_outs WHERE tenant_id = ? AND phone_number = ?")) {
                select.setString(1, tenant.value());
                select.setString(2, number.value());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The tenant's inbound messages, newest first, at most {@code limit} (1-500). */
    public List<InboundSms> inbound(TenantId tenant, int limit, Optional<MessageId> after) {
        return database.withConnection(connection -> SmsRows.inbound(connection, tenant, limit, after));
    }

    /** Checks a provider's value against the length of the column it is stored in. */
    private static void checkColumn(String field, String value, int max) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(field + " must be 1-" + max + " characters, was " + value.length());
        }
    }

    public boolean insert(Connection connection, Sms sms) throws SQLException {
        if (!SmsRows.insert(connection, sms)) {
            return false;
        }
        change(connection, sms, SmsStatus.QUEUED, Optional.empty(), Optional.empty(),
                "queued: " + sms.segments().segments() + " segment(s), " + sms.segments().encoding(), sms.createdAt(), true);
        return true;
    }

    public Optional<MessageId> findByKey(Connection connection, TenantId tenant, String key) throws SQLException {
        List<Sms> found = SmsRows.select(connection, "SELECT " + SmsRows.COLUMNS
                + " FROM irisx_sms_messages WHERE tenant_id = ? AND idempotency_key = ?", tenant.value(), key);
        return found.stream().findFirst().map(Sms::id);
    }

    public Optional<Sms> find(TenantId tenant, MessageId id) {
        return database.withConnection(connection -> SmsRows.select(connection, "SELECT " + SmsRows.COLUMNS
                + " FROM irisx_sms_messages WHERE tenant_id = ? AND id = ?", tenant.value(), id.value()).stream()
                .findFirst());
    }

    /**
     * Up to {@code limit} of the tenant's messages that {@code filter} keeps, newest first, after {@code after}: its
     * statuses and times, and the recipient {@code to} and sender {@code from} as stored (E.164, or a sender id).
     */
    public List<Sms> list(TenantId tenant, SmsFilter filter, Optional<String> to, Optional<String> from, int limit,
            Optional<MessageId> after) {
        Where where = Where.of("tenant_id = ?", tenant.value()).in("status", filter.statuses())
                .atLeast("created_at", filter.createdFrom()).below("created_at", filter.createdTo())
                .equal("to_number", to).equal("from_sender", from).below("id", after.map(MessageId::value));
        return database.withConnection(connection -> SmsRows.select(connection, "SELECT " + SmsRows.COLUMNS
                + " FROM irisx_sms_messages WHERE " + where.sql() + " ORDER BY id DESC LIMIT " + limit,
                where.args().toArray()));
    }

    public List<SmsStatusChange> history(TenantId tenant, MessageId id) {
        return database.withConnection(connection -> SmsRows.history(connection, tenant, id));
    }

    /** The segments of the tenant's messages a provider accepted between {@code from} and {@code to}. */
    public long segmentsSent(TenantId tenant, Instant from, Instant to) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COALESCE(SUM(segments), 0)"
                    + " FROM irisx_sms_messages WHERE tenant_id = ? AND sent_at >= ? AND sent_at < ?")) {
                select.setString(1, tenant.value());
                select.setLong(2, from.toEpochMilli());
                select.setLong(3, to.toEpochMilli());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Marks a QUEUED message SENT through {@code provider} and meters it (its segments, or one MMS when it carries
     * media, keyed by its id), in one transaction; false when it was no longer QUEUED (nothing is changed nor
     * metered).
     */
    public boolean markSent(Sms sms, String provider, String providerMessageId, String providerStatus, int attempts,
            boolean possibleDuplicate, String detail) {
        return settle(sms, SmsStatus.SENT, provider, providerMessageId, providerStatus, attempts, Optional.empty(),
                possibleDuplicate, null, detail, Optional.empty());
    }

    /**
     * As {@link #markSent(Sms, String, String, String, int, boolean, String)} for the try {@code delivery}, whose
     * outbox record is marked done in the same transaction ({@link OutboxOutcomes#doneIn}), and records the
     * provider's status report about the message just sent that {@code reportAt} gives for the SENT time (as
     * {@link #record} does) in it too: the SENT status, the record's end and the report commit together or not at
     * all.
     */
    public boolean markSent(Sms sms, String provider, String providerMessageId, String providerStatus,
            Delivery delivery, boolean possibleDuplicate, String detail,
            Optional<Function<Instant, SmsReport>> reportAt) {
        Objects.requireNonNull(reportAt, "reportAt");
        return settle(sms, SmsStatus.SENT, provider, providerMessageId, providerStatus, delivery.attempt(),
                Optional.of(delivery), possibleDuplicate, null, detail, reportAt);
    }

    /** Marks a QUEUED message FAILED; false when it was no longer QUEUED. */
    public boolean markFailed(Sms sms, String provider, int attempts, String error) {
        return settle(sms, SmsStatus.FAILED, provider, null, null, attempts, Optional.empty(), false, error, error,
                Optional.empty());
    }

    /** Records a try that failed and will be retried; the message stays QUEUED. */
    void recordTry(Sms sms, int attempts, String error) {
        database.inTransaction(connection -> QueuedRows.recordTry(connection, "irisx_sms_messages", sms.tenant(),
                sms.id(), attempts, error, clock.millis()));
    }

    /**
     * Records a try whose {@code provider} may have accepted the message before it failed: the message stays QUEUED,
     * held for that provider and marked as a possible duplicate, with a history entry saying why.
     */
    void hold(Sms sms, String provider, int attempts, String error) {
        database.inTransaction(connection -> {
            long now = clock.millis();
            if (!QueuedRows.hold(connection, "irisx_sms_messages", sms.tenant(), sms.id(), provider, attempts, error,
                    now)) {
                return false;
            }
            SmsRows.insertChange(connection, sms.tenant(), sms.id(), new SmsStatusChange(EventId.generate(),
                    SmsStatus.QUEUED, Optional.empty(), Optional.empty(), "held: " + error, Instant.ofEpochMilli(now)));
            return true;
        });
    }

    public Database database() {
        return database;
    }

    /** The clock the store takes its times from. */
    public Clock clock() {
        return clock;
    }

    private boolean settle(Sms sms, SmsStatus status, String provider, String providerMessageId,
            String providerStatus, int attempts, Optional<Delivery> delivery, boolean possibleDuplicate, String error,
            String detail, Optional<Function<Instant, SmsReport>> reportAt) {
        return database.inTransaction(connection -> {
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_sms_messages SET status = ?,"
                    + " provider = ?, provider_message_id = ?, provider_status = ?, attempts = ?,"
                    + " possible_duplicate = ?, last_error = ?, updated_at = ?, sent_at = ?"
                    + " WHERE tenant_id = ? AND id = ? AND status = 'QUEUED'")) {
                update.setString(1, status.name());
                update.setString(2, provider);
                update.setString(3, providerMessageId);
                update.setString(4, providerStatus);
                update.setInt(5, attempts);
                update.setBoolean(6, possibleDuplicate);
                update.setString(7, error == null ? null : Columns.cut(error));
                update.setLong(8, now.toEpochMilli());
                if (status == SmsStatus.SENT) {
                    update.setLong(9, now.toEpochMilli());
                } else {
                    update.setNull(9, java.sql.Types.BIGINT);
                }
                update.setString(10, sms.tenant().value());
                update.setString(11, sms.id().value());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            if (sms.test()) {
                // A test message is never billable, and reserved nothing.
                log.debug("test SMS {} is {}: not metered", sms.id(), status);
            } else if (status == SmsStatus.SENT) {
                meter(connection, sms, now);
                SendCredit.settleReserved(connection, sms.tenant(), unit(sms), sms.id().value(), now);
            } else if (status == SmsStatus.FAILED) {
                SendCredit.releaseReserved(connection, sms.tenant(), unit(sms), sms.id().value(), now);
            }
            Sms settled = new Sms(sms.id(), sms.tenant(), sms.idempotencyKey(), status, sms.to(), sms.from(),
                    sms.messagingServiceSid(), sms.body(), sms.mediaUrls(), sms.tags(), sms.metadata(),
                    sms.statusCallback(), sms.validityPeriodSeconds(), sms.segments(), attempts,
                    Optional.ofNullable(provider), Optional.ofNullable(providerMessageId),
                    Optional.ofNullable(providerStatus), sms.errorCode(), possibleDuplicate, Optional.ofNullable(error),
                    sms.createdAt(), now, status == SmsStatus.SENT ? Optional.of(now) : Optional.empty(), sms.test());
            change(connection, settled, status, Optional.ofNullable(providerStatus), Optional.empty(), detail, now, true);
            if (delivery.isPresent()) {
                OutboxOutcomes.doneIn(connection, delivery.get(), now);
            }
            if (reportAt.isPresent()) {
                record(connection, sms.tenant(), reportAt.get().apply(now));
            }
            return true;
        });
    }

    /**
     * Meters a message just marked SENT, in its transaction, once (keyed by its id): one {@link UsageUnit#MMS} when it
     * carries media, else its stored segments as {@link UsageUnit#SMS_SEGMENT}.
     */
    private static void meter(Connection connection, Sms sms, Instant sentAt) throws SQLException {
        Metering.record(connection, sms.tenant(), unit(sms), sms.id().value(),
                unit(sms) == UsageUnit.MMS ? 1 : sms.segments().segments(), sentAt);
    }

    /** What a message is billed as: an MMS when it carries media, else its SMS segments. */
    private static UsageUnit unit(Sms sms) {
        return sms.mediaUrls().isEmpty() ? UsageUnit.SMS_SEGMENT : UsageUnit.MMS;
    }

    /** Stores a history entry and, when the status changed, emits its event, in the caller's transaction. */
    private void change(Connection connection, Sms sms, SmsStatus status, Optional<String> providerStatus,
            Optional<String> errorCode, String detail, Instant at, boolean emit) throws SQLException {
        EventId id = EventId.generate();
        SmsRows.insertChange(connection, sms.tenant(), sms.id(),
                new SmsStatusChange(id, status, providerStatus, errorCode, detail, at));
        if (!emit) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", sms.id().value());
        data.put("status", status.name().toLowerCase(java.util.Locale.ROOT));
        data.put("to", sms.to());
        data.put("segments", sms.segments().segments());
        sms.provider().ifPresent(p -> data.put("provider", p));
        sms.providerMessageId().ifPresent(p -> data.put("providerMessageId", p));
        providerStatus.ifPresent(p -> data.put("providerStatus", p));
        errorCode.ifPresent(code -> data.put("errorCode", code));
        data.put("detail", detail);
        data.put("tags", sms.tags());
        data.put("metadata", sms.metadata());
        if (sms.test()) {
            data.put("test", true);
        }
        events.emit(connection, new Event(id, status.event(), sms.tenant(), at, Columns.write(data), sms.test()));
    }

    private boolean optOut(Connection connection, TenantId tenant, PhoneNumber number, String reason)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_sms_opt_outs (tenant_id,"
                + " phone_number, keyword, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, tenant.value());
            insert.setString(2, number.value());
            insert.setString(3, reason.length() <= 32 ? reason : reason.substring(0, 32));
            insert.setLong(4, clock.millis());
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        emit(connection, EventType.SMS_OPTED_OUT, tenant, Map.of("phoneNumber", number.value(), "keyword", reason));
        return true;
    }

    private boolean optIn(Connection connection, TenantId tenant, PhoneNumber number, String reason)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM irisx_sms_opt_outs WHERE tenant_id = ? AND phone_number = ?")) {
            delete.setString(1, tenant.value());
            delete.setString(2, number.value());
            if (delete.executeUpdate() == 0) {
                return false;
            }
        }
        emit(connection, EventType.SMS_OPTED_IN, tenant, Map.of("phoneNumber", number.value(), "keyword", reason));
        return true;
    }

    private void emit(Connection connection, EventType type, TenantId tenant, Map<String, ?> data) {
        events.emit(connection, new Event(EventId.generate(), type, tenant, clock.instant(), Columns.write(data)));
    }

    @Override
    public String toString() {
        return "SmsStore[" + database + "]";
    }
}

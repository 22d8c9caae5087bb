package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.id.EventId;
import io.irisx.core.id.MessageId;
import io.irisx.core.spi.Metering;
import io.irisx.core.store.Database;
import io.irisx.core.usage.UsageUnit;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.EmailFilter;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.email.ComplaintAlerts;
import io.irisx.messaging.email.SenderStats;
import io.irisx.messaging.email.StatusChange;
import io.irisx.messaging.internal.ReportMeters;
import io.irisx.core.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.irisx.messaging.email.Suppression;
import io.irisx.core.credit.SendCredit;
import io.irisx.core.store.Params;
import io.irisx.core.store.Where;
import io.irisx.messaging.internal.Columns;
import io.irisx.messaging.internal.QueuedRows;
import io.irisx.messaging.email.internal.EmailRows;
import io.irisx.messaging.email.internal.TemplateRenderer;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.spi.OutboxOutcomes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The email tables of one database — emails, attachments, status history and templates — and the events their
 * status changes emit; thread-safe, created once per runtime and shared by every tenant's
 * {@link io.irisx.messaging.email.EmailClient} and by the {@link EmailSender}. Every status change is stored, with its
 * history row and its {@code email.*} event, in one transaction. Every method touches one tenant's rows only.
 */
public final class EmailStore {

    private static final Logger log = LoggerFactory.getLogger(EmailStore.class);

    private final Database database;
    private final Clock clock;
    private final EventSink events;
    private final ComplaintAlerts complaintAlerts;
    private final ReportMeters meters;
    private final TemplateRenderer strict = new TemplateRenderer(false);
    private final TemplateRenderer lenient = new TemplateRenderer(true);
    /**
     * Emails this process queued whose first try has not begun, with the envelope each was queued as: the most recent
     * {@value #QUEUED_HERE}, of bodies of at most {@value #QUEUED_HERE_CHARS} characters. One whose transaction rolled
     * back, or which another process takes, is pushed out by newer ones.
     */
    private final Map<MessageId, Queued> queuedHere = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Queued> eldest) {
            return size() > QUEUED_HERE;
        }
    });
    private static final int QUEUED_HERE = 256;
    private static final int QUEUED_HERE_CHARS = 65_536;

    /** An email queued here as {@code envelope}; {@code reserved} when its send held a price of the tenant's credit. */
    private record Queued(Envelope envelope, Email email, boolean reserved) {
    }

    private EmailStore(Database database, Clock clock, EventSink events, ComplaintAlerts complaintAlerts,
            ReportMeters meters) {
        this.database = database;
        this.clock = clock;
        this.events = events;
        this.complaintAlerts = complaintAlerts;
        this.meters = meters;
    }

    /**
     * The email store on {@code database}, with the default complaint alerts and no meters: brings the messaging
     * tables up to date ({@code migrate("messaging")}).
     */
    public static EmailStore create(Database database, Clock clock, EventSink events) {
        return create(database, clock, events, ComplaintAlerts.defaults(), ReportMeters.NONE);
    }

    /** As {@link #create(Database, Clock, EventSink)}, raising {@code complaintAlerts} and counting in {@code meters}. */
    public static EmailStore create(Database database, Clock clock, EventSink events, ComplaintAlerts complaintAlerts,
            ReportMeters meters) {
        EmailStore store = new EmailStore(Objects.requireNonNull(database, "database"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(events, "events"),
                Objects.requireNonNull(complaintAlerts, "complaintAlerts"), Objects.requireNonNull(meters, "meters"));
        database.migrate("messaging");
        return store;
    }

    /** Where reports are counted. */
    public ReportMeters meters() {
        return meters;
    }

    /**
     * Applies a provider's event to the tenant's email it names; another tenant's email of the same provider message
     * id is never touched, so a host handling a provider's webhook must know which tenant it is for (by the URL or
     * the credentials the provider's webhook was set up with). An event whose id the tenant recorded before (a
     * replay, a provider's retry) changes nothing. Any other is stored in the history and emitted as its event, in
     * one transaction with what it changes: the email's status, when the event moves it forward
     * ({@link EmailStatus#canMoveTo}); the suppression list, for a hard bounce or a complaint (both streams) and an
     * unsubscribe (the email's stream).
     *
     * @return whether the tenant has an email of that provider's id and the event was new
     */
    public boolean record(TenantId tenant, ProviderEvent event) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(event, "event");
        boolean recorded = database.inTransaction(connection -> record(connection, tenant, event));
        if (recorded) {
            meters.reported(event.provider(), event.kind().name());
        }
        return recorded;
    }

    /**
     * Applies the events of one webhook request signed over the one-time {@code token}, as {@link #record} does each,
     * noting the token in the same transaction; a request whose token the tenant noted before for {@code provider}
     * changes nothing. The token is kept until {@code keepUntil}; the tenant's tokens of the provider kept until
     * before now are dropped.
     *
     * @return empty when the token was noted before; else how many of the events were recorded
     */
    public OptionalInt recordOnce(TenantId tenant, String provider, String token, Instant keepUntil,
            List<ProviderEvent> events) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(keepUntil, "keepUntil");
        List<ProviderEvent> applied = List.copyOf(events);
        List<ProviderEvent> recorded = new ArrayList<>();
        OptionalInt count = database.inTransaction(connection -> {
            recorded.clear();
            WebhookTokenRows.prune(connection, tenant, provider, clock.millis());
            if (!WebhookTokenRows.insert(connection, tenant, provider, token, keepUntil.toEpochMilli())) {
                return OptionalInt.empty();
            }
            for (ProviderEvent event : applied) {
                if (record(connection, tenant, event)) {
                    recorded.add(event);
                }
            }
            return OptionalInt.of(recorded.size());
        });
        recorded.forEach(event -> meters.reported(event.provider(), event.kind().name()));
        return count;
    }

    /** The numbers of each of the tenant's sending domains (or of {@code domain} only) over [from, to). */
    public List<SenderStats> stats(TenantId tenant, Instant from, Instant to, Optional<String> domain) {
        return database.withConnection(connection -> SenderStatsRows.stats(connection, tenant, from, to, domain));
    }

    /**
     * Raises the complaint alert of the email's sending domain when its rate over the alerts' window reached a
     * threshold and the level was not raised for it within the window.
     */
    private void checkComplaintRate(Connection connection, Email email) throws SQLException {
        String address = email.from().address();
        String domain = address.substring(address.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
        Instant now = clock.instant();
        List<SenderStats> found = SenderStatsRows.stats(connection, email.tenant(),
                now.minus(complaintAlerts.window()), now.plusMillis(1), Optional.of(domain));
        if (found.isEmpty()) {
            return;
        }
        SenderStats stats = found.get(0);
        long volume = stats.delivered() > 0 ? stats.delivered() : stats.sent();
        ComplaintAlerts.Level level = volume < complaintAlerts.minimumVolume() ? null
                : complaintAlerts.level(stats.complaintRate()).orElse(null);
        if (level == null || !AlertRows.raise(connection, email.tenant(), domain, level.name(), now.toEpochMilli(),
                complaintAlerts.window().toMillis())) {
            return;
        }
        double threshold = level == ComplaintAlerts.Level.ALARM ? complaintAlerts.alarm() : complaintAlerts.warning();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("domain", domain);
        data.put("level", level.name().toLowerCase(java.util.Locale.ROOT));
        data.put("complaintRate", stats.complaintRate());
        data.put("threshold", threshold);
        data.put("complaints", stats.complaints());
        data.put("delivered", stats.delivered());
        data.put("sent", stats.sent());
        data.put("windowSeconds", complaintAlerts.window().toSeconds());
        events.emit(connection, new Event(EventId.generate(), EventType.EMAIL_COMPLAINT_RATE, email.tenant(), now,
                Columns.write(data)));
        String message = "irisx email: tenant {} domain {} complaint rate {} reached the {} line of {} ({} complaints,"
                + " {} delivered, {} sent in {})";
        Object[] args = {email.tenant(), domain, stats.complaintRate(), level, threshold, stats.complaints(),
                stats.delivered(), stats.sent(), complaintAlerts.window()};
        if (level == ComplaintAlerts.Level.ALARM) {
            log.error(message, args);
        } else {
            log.warn(message, args);
        }
        meters.alerted("complaint_rate", level.name());
    }

    private boolean record(Connection connection, TenantId tenant, ProviderEvent event) throws SQLException {
        Optional<Email> found = byProviderId(connection, tenant, event.provider(), event.providerMessageId());
        if (found.isEmpty() || !firstSeen(connection, tenant, event, found.get().id())) {
            return false;
        }
        Email email = found.get();
        Optional<EmailStatus> target = event.kind().status().filter(email.status()::canMoveTo);
        if (target.isPresent()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_email_messages"
                    + " SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status = ?")) {
                Params.of(update).enumName(target.get()).longValue(clock.millis()).id(email.tenant())
                        .id(email.id()).enumName(email.status());
                update.executeUpdate();
            }
        }
        String detail = event.detail().isEmpty()
                ? event.provider() + " reported " + event.kind().event().wireName()
                : event.detail();
        Optional<String> recipient = Optional.of(event.recipient()).filter(r -> !r.isEmpty());
        change(connection, email, new StatusChange(EventId.generate(), target.orElse(email.status()),
                event.kind().event(), Optional.of(event.provider()), recipient, detail, event.occurredAt()),
                event.providerMessageId(), event.link(), Optional.of(event.kind().name()));
        if (recipient.isPresent()) {
            suppress(connection, tenant, email, event, recipient.get(), detail);
        }
        if (event.kind() == ProviderEvent.Kind.COMPLAINED) {
            checkComplaintRate(connection, email);
        }
        return true;
    }

    /** Notes the event's id; false when the tenant recorded it before. */
    private boolean firstSeen(Connection connection, TenantId tenant, ProviderEvent event, MessageId id)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_provider_events"
                + " (tenant_id, provider, event_id, message_id, received_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).string(event.provider()).string(event.eventId()).id(id)
                    .longValue(clock.millis());
            return insert.executeUpdate() == 1;
        }
    }

    private void suppress(Connection connection, TenantId tenant, Email email, ProviderEvent event, String recipient,
            String detail) throws SQLException {
        String source = event.provider() + " " + event.eventId();
        switch (event.kind()) {
            case HARD_BOUNCE -> SuppressionRows.addEverywhere(connection, tenant, recipient,
                    Suppression.Reason.HARD_BOUNCE, source, detail, clock.millis());
            case COMPLAINED -> SuppressionRows.addEverywhere(connection, tenant, recipient,
                    Suppression.Reason.COMPLAINT, source, detail, clock.millis());
            case UNSUBSCRIBED -> SuppressionRows.add(connection, tenant, email.stream(), recipient,
                    Suppression.Reason.UNSUBSCRIBE, source, detail, clock.millis());
            default -> {
                // Deliveries, deferrals, soft bounces, drops, opens and clicks suppress no one.
            }
        }
    }

    /**
     * Stores a new email with its attachments, and its QUEUED history entry with {@code detail}; false when its
     * idempotency key is taken.
     */
    public boolean insert(Connection connection, Email email, List<Attachment> attachments, String detail)
            throws SQLException {
        if (!EmailRows.insert(connection, email)) {
            return false;
        }
        EmailRows.insertAttachments(connection, email.tenant(), email.id(), attachments);
        change(connection, email, EmailStatus.QUEUED, null, null, detail, email.createdAt());
        return true;
    }

    /**
     * Keeps {@code email}, just stored by {@link #insert} and queued as {@code envelope} in the caller's transaction,
     * for its first try in this process ({@link #find(Delivery)}); {@code reserved} when the send held a price of
     * the tenant's credit for it, which that try's SENT then settles (when false, it looks for no reservation).
     */
    public void queuedHere(Envelope envelope, Email email, boolean reserved) {
        if (email.text().length() + email.html().length() <= QUEUED_HERE_CHARS) {
            queuedHere.put(envelope.id(), new Queued(envelope, email, reserved));
        }
    }

    public Optional<MessageId> findByKey(Connection connection, TenantId tenant, String idempotencyKey)
            throws SQLException {
        return EmailRows.findByKey(connection, tenant, idempotencyKey);
    }

    public Optional<Email> find(TenantId tenant, MessageId id) {
        return database.withConnection(connection -> EmailRows.find(connection, tenant, id));
    }

    /**
     * The email a try of the sender is for, read from its row; but a try handed the very envelope object this
     * process queued ({@link #queuedHere}) takes the email as it was stored, without reading it back. Only the
     * outbox's hand-over in memory, at queue time, delivers that object: it is its record's first claim, and the email
     * was stored QUEUED with the record, in one transaction; while it is QUEUED, only a try of that record changes it
     * (a provider's report needs the provider's id, which only a try gets). Every other delivery (a retry, a
     * replay, one through the broker or the table, one in another process) carries an envelope read back, and reads
     * the row.
     */
    Optional<Email> find(Delivery delivery) {
        Queued queued = keptFor(delivery, false);
        return queued != null ? Optional.of(queued.email())
                : find(delivery.envelope().tenant(), delivery.envelope().id());
    }

    /**
     * What {@link #queuedHere} kept for the try {@code delivery}, when it carries the very envelope object kept;
     * else null. The SENT of that try takes it out ({@code remove}); a try that ends otherwise leaves it to be pushed
     * out, and a later try of the email, carrying an envelope read back, never matches it.
     */
    private Queued keptFor(Delivery delivery, boolean remove) {
        Envelope envelope = delivery.envelope();
        Queued queued = remove ? queuedHere.remove(envelope.id()) : queuedHere.get(envelope.id());
        return queued != null && queued.envelope() == envelope ? queued : null;
    }

    public List<Attachment> attachments(TenantId tenant, MessageId id) {
        return database.withConnection(connection -> EmailRows.attachments(connection, tenant, id));
    }

    public List<StatusChange> history(TenantId tenant, MessageId id) {
        return database.withConnection(connection -> EmailRows.history(connection, tenant, id));
    }

    /** Up to {@code limit} of the tenant's emails that {@code filter} keeps, newest first, after {@code after}. */
    public List<Email> list(TenantId tenant, EmailFilter filter, int limit, Optional<MessageId> after) {
        Where where = Where.of("tenant_id = ?", tenant.value()).in("status", filter.statuses())
                .atLeast("created_at", filter.createdFrom()).below("created_at", filter.createdTo())
                .below("id", after.map(MessageId::value));
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + EmailRows.COLUMNS
                    + " FROM irisx_email_messages WHERE " + where.sql() + " ORDER BY id DESC LIMIT " + limit)) {
                where.bind(select);
                List<Email> rows = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(EmailRows.email(rs));
                    }
                }
                return rows;
            }
        });
    }

    /**
     * Marks a QUEUED email SENT through {@code provider} and meters it (one {@link UsageUnit#EMAIL}, keyed by its id;
     * a test email is not metered), in one transaction; false when it was no longer QUEUED (nothing is changed nor metered).
     */
    public boolean markSent(Email email, String provider, String providerMessageId, int attempts,
            boolean possibleDuplicate, String detail) {
        return markSent(email, provider, providerMessageId, attempts, Optional.empty(), possibleDuplicate, detail,
                Optional.empty());
    }

    /**
     * As {@link #markSent(Email, String, String, int, boolean, String)} for the try {@code delivery}, whose outbox
     * record is marked done in the same transaction ({@link OutboxOutcomes#doneIn}), and records the provider's event
     * about the email just sent that {@code reportAt} gives for the SENT time (as {@link #record} does) in it too: the
     * SENT status, the record's end and the report commit together or not at all.
     */
    public boolean markSent(Email email, String provider, String providerMessageId, Delivery delivery,
            boolean possibleDuplicate, String detail, Optional<Function<Instant, ProviderEvent>> reportAt) {
        return markSent(email, provider, providerMessageId, delivery.attempt(), Optional.of(delivery),
                possibleDuplicate, detail, reportAt);
    }

    private boolean markSent(Email email, String provider, String providerMessageId, int attempts,
            Optional<Delivery> delivery, boolean possibleDuplicate, String detail,
            Optional<Function<Instant, ProviderEvent>> reportAt) {
        Objects.requireNonNull(reportAt, "reportAt");
        AtomicReference<ProviderEvent> reported = new AtomicReference<>();
        Queued queued = delivery.map(d -> keptFor(d, true)).orElse(null);
        boolean mayHoldCredit = queued == null || queued.reserved();
        boolean sent = settle(email, EmailStatus.SENT, provider, providerMessageId, attempts, possibleDuplicate, null,
                detail, mayHoldCredit, (connection, sentAt) -> {
                    if (delivery.isPresent()) {
                        OutboxOutcomes.doneIn(connection, delivery.get(), sentAt);
                    }
                    if (reportAt.isPresent()) {
                        ProviderEvent report = reportAt.get().apply(sentAt);
                        if (record(connection, email.tenant(), report)) {
                            reported.set(report);
                        }
                    }
                });
        ProviderEvent report = reported.get();
        if (report != null) {
            meters.reported(report.provider(), report.kind().name());
        }
        return sent;
    }

    /** What else a settling transaction writes, at the settled time. */
    @FunctionalInterface
    private interface Then {
        void run(Connection connection, Instant settledAt) throws SQLException;
    }

    /** Marks a QUEUED email FAILED; false when it was no longer QUEUED. */
    boolean markFailed(Email email, String provider, int attempts, String error) {
        return settle(email, EmailStatus.FAILED, provider, null, attempts, false, error, error, true,
                (connection, at) -> { });
    }

    /** Records a try that failed and will be retried: the count and the error; the email stays QUEUED. */
    void recordTry(Email email, int attempts, String error) {
        database.inTransaction(connection -> QueuedRows.recordTry(connection, "irisx_email_messages", email.tenant(),
                email.id(), attempts, error, clock.millis()));
    }

    /**
     * Records a try whose {@code provider} may have accepted the email before it failed: the email stays QUEUED, held
     * for that provider and marked as a possible duplicate, with a history entry saying why.
     */
    void hold(Email email, String provider, int attempts, String error) {
        database.inTransaction(connection -> {
            long now = clock.millis();
            if (!QueuedRows.hold(connection, "irisx_email_messages", email.tenant(), email.id(), provider, attempts,
                    error, now)) {
                return false;
            }
            EmailRows.insertChange(connection, email.tenant(), email.id(), new StatusChange(EventId.generate(),
                    EmailStatus.QUEUED, Optional.of(provider), "held: " + error, Instant.ofEpochMilli(now)));
            return true;
        });
    }

    public Database database() {
        return database;
    }

    public Clock clock() {
        return clock;
    }

    EventSink events() {
        return events;
    }

    /** The shared renderer, which keeps compiled templates. */
    public TemplateRenderer renderer(boolean allowMissingVariables) {
        return allowMissingVariables ? lenient : strict;
    }

    /**
     * Moves a QUEUED email to {@code status}, metering it and settling or releasing its credit reservation, in one
     * transaction with what {@code then} writes; {@code mayHoldCredit} false when its send is known to have held
     * nothing, so that no reservation is looked for.
     */
    private boolean settle(Email email, EmailStatus status, String provider, String providerMessageId, int attempts,
            boolean possibleDuplicate, String error, String detail, boolean mayHoldCredit, Then then) {
        return database.inTransaction(connection -> {
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_email_messages SET status = ?,"
                    + " provider = ?, provider_message_id = ?, attempts = ?, possible_duplicate = ?, last_error = ?,"
                    + " updated_at = ?, sent_at = ? WHERE tenant_id = ? AND id = ? AND status = 'QUEUED'")) {
                update.setString(1, status.name());
                update.setString(2, provider);
                update.setString(3, providerMessageId);
                update.setInt(4, attempts);
                update.setBoolean(5, possibleDuplicate);
                update.setString(6, error == null ? null : Columns.cut(error));
                update.setLong(7, now.toEpochMilli());
                if (status == EmailStatus.SENT) {
                    update.setLong(8, now.toEpochMilli());
                } else {
                    update.setNull(8, java.sql.Types.BIGINT);
                }
                update.setString(9, email.tenant().value());
                update.setString(10, email.id().value());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            if (email.test()) {
                // A test email is never billable, and reserved nothing.
                log.debug("test email {} is {}: not metered", email.id(), status);
            } else if (status == EmailStatus.SENT) {
                // Billable from this commit on, once: only the change from QUEUED gets here.
                Metering.record(connection, email.tenant(), UsageUnit.EMAIL, email.id().value(), 1, now);
                if (mayHoldCredit) {
                    SendCredit.settleReserved(connection, email.tenant(), UsageUnit.EMAIL, email.id().value(), now);
                }
            } else if (status == EmailStatus.FAILED) {
                SendCredit.releaseReserved(connection, email.tenant(), UsageUnit.EMAIL, email.id().value(), now);
            }
            change(connection, email, status, provider, providerMessageId, detail, now);
            then.run(connection, now);
            return true;
        });
    }

    /** Stores a status change in the history and emits its event, in the caller's transaction. */
    private void change(Connection connection, Email email, EmailStatus status, String provider,
            String providerMessageId, String detail, Instant at) throws SQLException {
        change(connection, email, new StatusChange(EventId.generate(), status, Optional.ofNullable(provider), detail,
                at), providerMessageId, "", Optional.empty());
    }

    /**
     * Stores {@code change} in the email's history and emits its event, in the caller's transaction; {@code link} is
     * the link clicked (empty when none), {@code reportKind} the kind of report it is, which the sender's numbers
     * count by ({@link ProviderEvent.Kind} names, and {@code MACHINE_OPEN}).
     */
    public void change(Connection connection, Email email, StatusChange change, String providerMessageId,
            String link, Optional<String> reportKind) throws SQLException {
        change(connection, email, change, providerMessageId, link, reportKind, Map.of());
    }

    /**
     * Stores an open, a click or an unsubscribe that came through the email's own links in its history and emits its
     * event, with the {@code link} clicked (empty for none) and the event data {@code extra}, in the caller's
     * transaction; a machine's open ({@code extra} holding {@code machine: true}) is counted as such.
     */
    public void engaged(Connection connection, Email email, StatusChange change, String link,
            Map<String, Object> extra) throws SQLException {
        String kind = Boolean.TRUE.equals(extra.get("machine")) ? "MACHINE_OPEN"
                : change.event().wireName().substring("email.".length()).toUpperCase(java.util.Locale.ROOT);
        change(connection, email, change, null, link, Optional.of(kind), extra);
        meters.reported("links", kind);
    }

    private void change(Connection connection, Email email, StatusChange change, String providerMessageId,
            String link, Optional<String> reportKind, Map<String, Object> extra) throws SQLException {
        EmailRows.insertChange(connection, email.tenant(), email.id(), change, reportKind);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", email.id().value());
        data.put("status", change.status().name().toLowerCase(java.util.Locale.ROOT));
        data.put("stream", email.stream().name().toLowerCase(java.util.Locale.ROOT));
        data.put("to", email.to().stream().map(EmailAddress::address).toList());
        change.recipient().ifPresent(recipient -> data.put("recipient", recipient));
        change.provider().ifPresent(provider -> data.put("provider", provider));
        if (providerMessageId != null) {
            data.put("providerMessageId", providerMessageId);
        }
        if (!link.isEmpty()) {
            data.put("link", link);
        }
        data.putAll(extra);
        data.put("detail", change.detail());
        data.put("tags", email.tags());
        data.put("metadata", email.metadata());
        if (email.test()) {
            data.put("test", true);
        }
        events.emit(connection, new Event(change.id(), change.event(), email.tenant(), change.occurredAt(),
                Columns.write(data), email.test()));
    }

    private static Optional<Email> byProviderId(Connection connection, TenantId tenant, String provider,
            String providerMessageId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + EmailRows.COLUMNS
                // Locked, so that the same report arriving twice at once is recorded once.
                + " FROM irisx_email_messages WHERE tenant_id = ? AND provider = ? AND provider_message_id = ?"
                + " FOR UPDATE")) {
            select.setString(1, tenant.value());
            select.setString(2, provider);
            select.setString(3, providerMessageId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(EmailRows.email(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public String toString() {
        return "EmailStore[" + database + "]";
    }
}

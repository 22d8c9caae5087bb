package io.irisx.voice.internal;

import io.irisx.core.TenantId;
import io.irisx.core.credit.SendCredit;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.id.CallId;
import io.irisx.core.id.EventId;
import io.irisx.core.spi.Metering;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Where;
import io.irisx.core.usage.PriceBook;
import io.irisx.core.usage.UsageUnit;
import io.irisx.voice.Call;
import io.irisx.voice.CallReport;
import io.irisx.voice.CallFilter;
import io.irisx.voice.CallStatus;
import io.irisx.voice.CallStatusChange;
import io.irisx.voice.spi.CallReceipt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The call tables of one database — calls and their status history; recordings in {@link #recordings()} — and the
 * events their changes emit; thread-safe, created once per runtime and shared by every tenant's {@link io.irisx.voice.Voice}, the {@link CallPlacer} and the
 * providers' callback handlers. Each status change is stored with its history row and its {@code call.*} event in one
 * transaction, moves the call forward only, and touches one tenant's rows only.
 */
public final class VoiceStore {

    private final Database database;
    private final Clock clock;
    private final EventSink events;
    private final RecordingStore recordings;
    private final PriceBook prices;

    private VoiceStore(Database database, Clock clock, EventSink events, PriceBook prices) {
        this.database = database;
        this.clock = clock;
        this.events = events;
        this.prices = prices;
        this.recordings = new RecordingStore(database, clock, events);
    }

    /**
     * The voice store on {@code database}, which settles a PREPAID tenant's call reservations at {@code prices} when
     * the call ends: brings the voice tables up to date ({@code migrate("voice")}).
     */
    public static VoiceStore create(Database database, Clock clock, EventSink events, PriceBook prices) {
        VoiceStore store = new VoiceStore(Objects.requireNonNull(database, "database"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(events, "events"),
                Objects.requireNonNull(prices, "prices"));
        database.migrate("voice");
        return store;
    }

    /** The database the calls are stored in. */
    public Database database() {
        return database;
    }

    /** The recordings of the calls, in the same database. */
    public RecordingStore recordings() {
        return recordings;
    }

    /** The prices a PREPAID tenant's calls are reserved and charged at. */
    public PriceBook prices() {
        return prices;
    }

    /** The clock the store takes its times from. */
    public Clock clock() {
        return clock;
    }

    /**
     * Stores a new QUEUED call with its history row and {@code call.queued} event, in the caller's transaction; false
     * (and nothing stored) when the tenant already has a call with its idempotency key.
     */
    public boolean insert(Connection connection, Call call) throws SQLException {
        if (!CallRows.insert(connection, call)) {
            return false;
        }
        change(connection, call, CallStatus.QUEUED, Optional.empty(), "queued", call.createdAt());
        return true;
    }

    /** The id of the tenant's call with idempotency key {@code key}, if any. */
    public Optional<CallId> findByKey(Connection connection, TenantId tenant, String key) throws SQLException {
        return CallRows.select(connection, "SELECT " + CallRows.COLUMNS + " FROM irisx_calls WHERE tenant_id = ?"
                + " AND idempotency_key = ?", tenant.value(), key).stream().findFirst().map(Call::id);
    }

    /** The tenant's call {@code id}, if any. */
    public Optional<Call> find(TenantId tenant, CallId id) {
        return database.withConnection(connection -> find(connection, tenant, id));
    }

    /**
     * The tenant's calls that {@code filter} keeps (its statuses and times, and the numbers {@code to} and {@code from}
     * in E.164), newest first, at most {@code limit}, after the call {@code after} when given.
     */
    public List<Call> list(TenantId tenant, CallFilter filter, Optional<String> to, Optional<String> from, int limit,
            Optional<CallId> after) {
        Where where = Where.of("tenant_id = ?", tenant.value()).in("status", filter.statuses())
                .atLeast("created_at", filter.createdFrom()).below("created_at", filter.createdTo())
                .equal("to_number", to).equal("from_number", from).below("id", after.map(CallId::value));
        return database.withConnection(connection -> CallRows.select(connection, "SELECT " + CallRows.COLUMNS
                + " FROM irisx_calls WHERE " + where.sql() + " ORDER BY id DESC LIMIT " + limit,
                where.args().toArray()));
    }

    /** Every status the tenant's call {@code id} reached, oldest first. */
    public List<CallStatusChange> history(TenantId tenant, CallId id) {
        return database.withConnection(connection -> CallRows.history(connection, tenant, id));
    }

    /**
     * Marks a QUEUED call placed by {@code provider}: its receipt's status (INITIATED, or a later one the provider
     * reported at once), its id and status, with history and event. False, and nothing changed, when the call is no
     * longer QUEUED (it was canceled meanwhile).
     */
    boolean markPlaced(Call call, String provider, CallReceipt receipt, int attempts, boolean possibleDuplicate,
            String detail) {
        CallStatus status = receipt.status().filter(s -> s != CallStatus.QUEUED).orElse(CallStatus.INITIATED);
        return database.inTransaction(connection -> {
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_calls SET status = ?,"
                    + " provider = ?, provider_call_id = ?, provider_status = ?, attempts = ?,"
                    + " possible_duplicate = ?, updated_at = ?, placed_at = ?, ended_at = ?"
                    + " WHERE tenant_id = ? AND id = ? AND status = 'QUEUED'")) {
                Params.of(update).enumName(status).string(provider).string(receipt.providerCallId())
                        .string(cutTo(receipt.providerStatus(), 32)).intValue(attempts).bool(possibleDuplicate)
                        .instant(now).instant(now).instant(status.isFinal() ? Optional.of(now) : Optional.empty())
                        .id(call.tenant()).id(call.id());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            Call placed = reread(connection, call);
            if (status != CallStatus.INITIATED) {
                change(connection, placed, CallStatus.INITIATED, Optional.of(receipt.providerStatus()), detail, now);
            }
            change(connection, placed, status, Optional.of(receipt.providerStatus()), detail, now);
            return true;
        });
    }

    /** Marks a QUEUED call FAILED, with history and event; false when it is no longer QUEUED. */
    boolean markFailed(Call call, String provider, int attempts, String error) {
        return database.inTransaction(connection -> {
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_calls SET status = 'FAILED',"
                    + " provider = COALESCE(?, provider), attempts = ?, last_error = ?, updated_at = ?, ended_at = ?"
                    + " WHERE tenant_id = ? AND id = ? AND status = 'QUEUED'")) {
                Params.of(update).string(Optional.ofNullable(provider)).intValue(attempts).string(Checks.cut(error))
                        .instant(now).instant(now).id(call.tenant()).id(call.id());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            change(connection, reread(connection, call), CallStatus.FAILED, Optional.empty(), error, now);
            return true;
        });
    }

    /** Records try {@code attempts} of a QUEUED call, which failed with {@code error} and will be retried. */
    void recordTry(Call call, int attempts, String error) {
        database.inTransaction(connection -> updateQueued(connection, call, "attempts = ?, last_error = ?",
                attempts, Checks.cut(error)));
    }

    /**
     * Holds a QUEUED call for {@code provider}, which may have placed it before failing with {@code error}: it is
     * tried again with that provider only, marked as a possible duplicate.
     */
    void hold(Call call, String provider, int attempts, String error) {
        database.inTransaction(connection -> updateQueued(connection, call, "provider = ?, attempts = ?,"
                + " possible_duplicate = TRUE, last_error = ?", provider, attempts, Checks.cut(error)));
    }

    /**
     * Cancels the tenant's call {@code id} while it is QUEUED (no provider placed it): CANCELED, with history and
     * event. Empty when the call is not QUEUED.
     */
    public Optional<Call> cancelQueued(TenantId tenant, CallId id, String detail) {
        return database.inTransaction(connection -> {
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_calls SET status = 'CANCELED',"
                    + " updated_at = ?, ended_at = ? WHERE tenant_id = ? AND id = ? AND status = 'QUEUED'")) {
                Params.of(update).instant(now).instant(now).id(tenant).id(id);
                if (update.executeUpdate() == 0) {
                    return Optional.<Call>empty();
                }
            }
            Call canceled = find(connection, tenant, id).orElseThrow();
            change(connection, canceled, CallStatus.CANCELED, Optional.empty(), detail, now);
            return Optional.of(canceled);
        });
    }

    /** Makes the tenant's call {@code id} run flow {@code flow} (instead of its flow or URL); false when it has ended. */
    public boolean setFlow(TenantId tenant, CallId id, String flow) {
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_calls SET flow = ?, url = NULL,"
                    + " updated_at = ? WHERE tenant_id = ? AND id = ? AND status IN ('QUEUED', 'INITIATED', 'RINGING',"
                    + " 'IN_PROGRESS')")) {
                Params.of(update).string(flow).instant(clock.instant()).id(tenant).id(id);
                return update.executeUpdate() == 1;
            }
        });
    }

    /**
     * Applies a provider's report to the tenant's call it names. The status moves only forward, each reached once,
     * with its history row and event; a duration, an answering-machine verdict and an error code the call lacked are
     * kept whether or not the status moves. A report the call is past (a late {@code ringing}, a callback delivered
     * twice) changes nothing else. A COMPLETED call with a duration is metered ({@code CALL_SECOND} × its seconds) in
     * the same transaction, once however often it is reported.
     *
     * @return the call as it stands after the report, or empty when the tenant has no call of that provider's id
     */
    public Optional<Call> record(TenantId tenant, CallReport report) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(report, "report");
        return database.inTransaction(connection -> {
            List<Call> found = CallRows.select(connection, "SELECT " + CallRows.COLUMNS + " FROM irisx_calls"
                    // Locked, so that the same report arriving twice at once is applied once.
                    + " WHERE tenant_id = ? AND provider = ? AND provider_call_id = ? FOR UPDATE", tenant.value(),
                    report.provider(), report.providerCallId());
            if (found.isEmpty()) {
                return Optional.<Call>empty();
            }
            Call call = found.get(0);
            boolean moves = call.status().canMoveTo(report.status());
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_calls SET status = ?,"
                    + " provider_status = ?, answered_by = COALESCE(answered_by, ?),"
                    + " duration_seconds = COALESCE(duration_seconds, ?), error_code = COALESCE(error_code, ?),"
                    + " updated_at = ?, ended_at = COALESCE(ended_at, ?) WHERE tenant_id = ? AND id = ?")) {
                Params.of(update).enumName(moves ? report.status() : call.status())
                        .string(moves ? report.providerStatus() : call.providerStatus().orElse(null))
                        .string(report.answeredBy())
                        .intValue(report.duration().map(d -> OptionalInt.of((int) d.toSeconds()))
                                .orElse(OptionalInt.empty()))
                        .string(report.errorCode()).instant(now)
                        .instant(moves && report.status().isFinal() ? Optional.of(report.occurredAt())
                                : Optional.empty())
                        .id(tenant).id(call.id());
                update.executeUpdate();
            }
            Call updated = reread(connection, call);
            meter(connection, updated, report.occurredAt());
            if (moves) {
                String detail = report.provider() + " reported " + report.providerStatus()
                        + report.errorCode().map(code -> " (error " + code + ")").orElse("");
                change(connection, updated, report.status(), Optional.of(report.providerStatus()), detail,
                        report.occurredAt());
            }
            return Optional.of(updated);
        });
    }

    /**
     * Meters a COMPLETED call's seconds (a test call's never), in the caller's transaction, once the call has both the status and its
     * duration, whichever report brought the second; the usage key ({@code call_…:CALL_SECOND}) makes a repeated
     * report count nothing. A PREPAID tenant's reservation for the call is settled at the seconds it lasted then (or
     * released, when it lasted none).
     */
    private void meter(Connection connection, Call call, Instant at) throws SQLException {
        // A test call is never billable, and holds nothing.
        if (call.test() || call.status() != CallStatus.COMPLETED || call.duration().isEmpty()) {
            return;
        }
        long seconds = call.duration().get().toSeconds();
        Instant ended = call.endedAt().orElse(at);
        if (seconds == 0) {
            SendCredit.releaseReserved(connection, call.tenant(), UsageUnit.CALL_SECOND, call.id().value(), ended);
            return;
        }
        Metering.record(connection, call.tenant(), UsageUnit.CALL_SECOND, call.id().value(), seconds, ended);
        SendCredit.settleUsed(connection, call.tenant(), prices, UsageUnit.CALL_SECOND, call.id().value(), seconds,
                call.createdAt(), ended);
    }

    private boolean updateQueued(Connection connection, Call call, String set, Object... values) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_calls SET " + set
                + ", updated_at = ? WHERE tenant_id = ? AND id = ? AND status = 'QUEUED'")) {
            for (int i = 0; i < values.length; i++) {
                update.setObject(i + 1, values[i]);
            }
            Params.from(update, values.length + 1).instant(clock.instant()).id(call.tenant()).id(call.id());
            return update.executeUpdate() == 1;
        }
    }

    private Call reread(Connection connection, Call call) throws SQLException {
        return find(connection, call.tenant(), call.id()).orElseThrow(() ->
                new IllegalStateException("call " + call.id() + " vanished inside its own transaction"));
    }

    private static Optional<Call> find(Connection connection, TenantId tenant, CallId id) throws SQLException {
        return CallRows.select(connection, "SELECT " + CallRows.COLUMNS + " FROM irisx_calls WHERE tenant_id = ?"
                + " AND id = ?", tenant.value(), id.value()).stream().findFirst();
    }

    /** Stores {@code status} in the call's history and emits its event, once per status, in the caller's transaction. */
    private void change(Connection connection, Call call, CallStatus status, Optional<String> providerStatus,
            String detail, Instant at) throws SQLException {
        EventId id = EventId.generate();
        if (!CallRows.insertChange(connection, call.tenant(), call.id(),
                new CallStatusChange(id, status, providerStatus, detail, at))) {
            return;
        }
        if (status.isFinal() && status != CallStatus.COMPLETED && !call.test()) {
            // Nothing of a call that never connected is billable: a PREPAID tenant's reservation is given back.
            SendCredit.releaseReserved(connection, call.tenant(), UsageUnit.CALL_SECOND, call.id().value(), at);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("callId", call.id().value());
        data.put("status", status.name().toLowerCase(Locale.ROOT));
        data.put("to", call.to());
        data.put("from", call.from());
        call.flow().ifPresent(flow -> data.put("flow", flow));
        call.provider().ifPresent(p -> data.put("provider", p));
        call.providerCallId().ifPresent(p -> data.put("providerCallId", p));
        providerStatus.ifPresent(p -> data.put("providerStatus", p));
        call.answeredBy().ifPresent(a -> data.put("answeredBy", a));
        call.duration().ifPresent(d -> data.put("durationSeconds", d.toSeconds()));
        call.errorCode().ifPresent(code -> data.put("errorCode", code));
        data.put("detail", detail);
        if (call.test()) {
            data.put("test", true);
        }
        events.emit(connection, new Event(id, status.event(), call.tenant(), at, Jdbc.json(data), call.test()));
    }

    private static String cutTo(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    @Override
    public String toString() {
        return "VoiceStore[" + database + "]";
    }
}

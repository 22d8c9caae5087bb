package io.irisx.voice.internal;

import io.irisx.core.TenantId;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.event.EventType;
import io.irisx.core.id.CallId;
import io.irisx.core.id.EventId;
import io.irisx.core.id.RecordingId;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import io.irisx.voice.Recording;
import io.irisx.voice.RecordingReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The recordings table of one database and the {@code call.recording.completed} events its rows emit; thread-safe,
 * created with the {@link VoiceStore} and shared by every tenant's {@link io.irisx.voice.Voice}. A recording is stored
 * once per tenant and provider recording id, touches one tenant's rows only, and emits its event once, in the
 * transaction in which it becomes completed.
 */
public final class RecordingStore {

    private static final String COLUMNS = "tenant_id, id, call_id, provider, provider_recording_id, url,"
            + " duration_seconds, channels, status, created_at, updated_at";

    private final Database database;
    private final Clock clock;
    private final EventSink events;

    RecordingStore(Database database, Clock clock, EventSink events) {
        this.database = database;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Stores {@code report} for the tenant's call its provider call id names: a new row for a recording first
     * reported, else its status, URL, duration and channels, unless it is completed already (a completed recording
     * never changes again). The recording's {@code call.recording.completed} event is emitted in the same transaction
     * when this report completes it, so once per recording however often the provider reports it.
     *
     * @return the recording as it stands afterwards, or empty when the tenant has no call of that provider's id
     *     (nothing is stored)
     */
    public Optional<Recording> record(TenantId tenant, RecordingReport report) {
        return database.inTransaction(connection -> {
            Optional<CallId> call = callOf(connection, tenant, report);
            if (call.isEmpty()) {
                return Optional.<Recording>empty();
            }
            Instant now = clock.instant();
            boolean completes;
            if (insert(connection, tenant, call.get(), report, now)) {
                completes = report.status().equals(RecordingReport.COMPLETED);
            } else {
                completes = update(connection, tenant, report, now)
                        && report.status().equals(RecordingReport.COMPLETED);
            }
            Recording recording = select(connection, "tenant_id = ? AND provider = ? AND provider_recording_id = ?",
                    tenant.value(), report.provider(), report.providerRecordingId()).get(0);
            if (completes) {
                emit(connection, recording, report);
            }
            return Optional.of(recording);
        });
    }

    /** The tenant's recordings of call {@code callId}, oldest first. */
    public List<Recording> list(TenantId tenant, CallId callId) {
        return database.withConnection(connection -> select(connection, "tenant_id = ? AND call_id = ?"
                + " ORDER BY created_at, id", tenant.value(), callId.value()));
    }

    /** The tenant's recording {@code id}, if it has one. */
    public Optional<Recording> find(TenantId tenant, RecordingId id) {
        return database.withConnection(connection -> select(connection, "tenant_id = ? AND id = ?", tenant.value(),
                id.value()).stream().findFirst());
    }

    /** Deletes the tenant's recording {@code id}; false when it has none. */
    public boolean delete(TenantId tenant, RecordingId id) {
        return database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM irisx_call_recordings"
                    + " WHERE tenant_id = ? AND id = ?")) {
                Params.of(delete).id(tenant).string(id.value());
                return delete.executeUpdate() == 1;
            }
        });
    }

    private static Optional<CallId> callOf(Connection connection, TenantId tenant, RecordingReport report)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM irisx_calls WHERE tenant_id = ?"
                + " AND provider = ? AND provider_call_id = ?")) {
            Params.of(select).id(tenant).string(report.provider()).string(report.providerCallId());
            return Jdbc.list(select, row -> row.id("id", CallId::parse)).stream().findFirst();
        }
    }

    private static boolean insert(Connection connection, TenantId tenant, CallId call, RecordingReport report,
            Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_call_recordings (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).string(RecordingId.generate().value()).id(call).string(report.provider())
                    .string(report.providerRecordingId()).string(report.url()).intValue(seconds(report))
                    .intValue(report.channels()).string(report.status()).instant(now).instant(now);
            return insert.executeUpdate() == 1;
        }
    }

    /** Applies a later report to a stored recording that is not completed; false when nothing changed. */
    private static boolean update(Connection connection, TenantId tenant, RecordingReport report, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_call_recordings SET status = ?,"
                + " url = ?, duration_seconds = COALESCE(?, duration_seconds), channels = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND provider = ? AND provider_recording_id = ? AND status <> 'completed'"
                + " AND status <> ?")) {
            Params.of(update).string(report.status()).string(report.url()).intValue(seconds(report))
                    .intValue(report.channels()).instant(now).id(tenant).string(report.provider())
                    .string(report.providerRecordingId()).string(report.status());
            return update.executeUpdate() == 1;
        }
    }

    private static OptionalInt seconds(RecordingReport report) {
        return report.duration().map(d -> OptionalInt.of((int) d.toSeconds())).orElse(OptionalInt.empty());
    }

    private void emit(Connection connection, Recording recording, RecordingReport report) throws SQLException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordingId", recording.id().value());
        data.put("callId", recording.callId().value());
        data.put("provider", recording.provider());
        data.put("providerCallId", report.providerCallId());
        data.put("providerRecordingId", recording.providerRecordingId());
        data.put("url", recording.url());
        recording.duration().ifPresent(d -> data.put("durationSeconds", d.toSeconds()));
        data.put("channels", recording.channels());
        data.put("status", recording.status());
        events.emit(connection, new Event(EventId.generate(), EventType.CALL_RECORDING_COMPLETED, recording.tenant(),
                report.occurredAt(), Jdbc.json(data)));
    }

    private static List<Recording> select(Connection connection, String where, Object... args) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM irisx_call_recordings WHERE " + where)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            return Jdbc.list(select, RecordingStore::recording);
        }
    }

    private static Recording recording(Row row) throws SQLException {
        OptionalInt duration = row.optionalInt("duration_seconds");
        return new Recording(row.id("id", RecordingId::parse), row.id("tenant_id", TenantId::of),
                row.id("call_id", CallId::parse), row.string("provider"), row.string("provider_recording_id"),
                row.string("url"), duration.isPresent() ? Optional.of(Duration.ofSeconds(duration.getAsInt()))
                        : Optional.empty(), row.intValue("channels"), row.string("status"), row.instant("created_at"),
                row.instant("updated_at"));
    }

    @Override
    public String toString() {
        return "RecordingStore[" + database + "]";
    }
}

package io.irisx.voice.internal;

import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import io.irisx.core.id.EventId;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import io.irisx.voice.Call;
import io.irisx.voice.CallStatus;
import io.irisx.voice.CallStatusChange;
import io.irisx.voice.MachineDetection;
import io.irisx.voice.RecordingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Reading and writing the rows of the call tables. Stateless; not API. */
final class CallRows {

    /** The columns {@link #call(Row)} reads. */
    static final String COLUMNS = "tenant_id, id, idempotency_key, status, to_number, from_number, flow, url,"
            + " recording, machine_detection, ring_timeout_seconds, time_limit_seconds, status_callback, attempts,"
            + " provider, provider_call_id, provider_status, answered_by, duration_seconds, error_code,"
            + " possible_duplicate, last_error, created_at, updated_at, placed_at, ended_at, test_mode";

    private CallRows() {
    }

    /** Inserts a new QUEUED call; false when the tenant already has one with its idempotency key. */
    static boolean insert(Connection connection, Call call) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_calls (" + COLUMNS
                + ") VALUES (?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, NULL, NULL, NULL, NULL,"
                + " FALSE, NULL, ?, ?, NULL, NULL, ?) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(call.tenant()).id(call.id()).string(call.idempotencyKey()).string(call.to())
                    .string(call.from()).string(call.flow()).string(call.url()).enumName(call.recording())
                    .enumName(call.machineDetection()).intValue((int) call.ringTimeout().toSeconds())
                    .intValue((int) call.timeLimit().toSeconds()).string(call.statusCallback())
                    .instant(call.createdAt()).instant(call.updatedAt()).bool(call.test());
            return insert.executeUpdate() == 1;
        }
    }

    /** The call in {@code row}, a row with {@link #COLUMNS}. */
    static Call call(Row row) throws SQLException {
        OptionalInt duration = row.optionalInt("duration_seconds");
        return new Call(row.id("id", CallId::parse), row.id("tenant_id", TenantId::of), row.string("idempotency_key"),
                row.enumValue("status", CallStatus.class), row.string("to_number"), row.string("from_number"),
                row.optionalString("flow"), row.optionalString("url"),
                row.enumValue("recording", RecordingMode.class),
                row.enumValue("machine_detection", MachineDetection.class),
                Duration.ofSeconds(row.intValue("ring_timeout_seconds")),
                Duration.ofSeconds(row.intValue("time_limit_seconds")), row.optionalString("status_callback"),
                row.intValue("attempts"), row.optionalString("provider"), row.optionalString("provider_call_id"),
                row.optionalString("provider_status"), row.optionalString("answered_by"),
                duration.isPresent() ? Optional.of(Duration.ofSeconds(duration.getAsInt()))
                        : Optional.empty(),
                row.optionalString("error_code"), row.bool("possible_duplicate"), row.optionalString("last_error"),
                row.instant("created_at"), row.instant("updated_at"), row.optionalInstant("placed_at"),
                row.optionalInstant("ended_at"), row.bool("test_mode"));
    }

    /** The calls {@code sql} (selecting {@link #COLUMNS}, its parameters bound by {@code args}) finds. */
    static List<Call> select(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            return Jdbc.list(select, CallRows::call);
        }
    }

    /** Appends a status to a call's history; false when the call reached that status before. */
    static boolean insertChange(Connection connection, TenantId tenant, CallId id, CallStatusChange change)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_call_status_history"
                + " (tenant_id, id, call_id, status, provider_status, detail, occurred_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            Params.of(insert).id(tenant).id(change.id()).id(id).enumName(change.status())
                    .string(change.providerStatus()).string(Checks.cut(change.detail())).instant(change.occurredAt());
            return insert.executeUpdate() == 1;
        }
    }

    /** A call's history, oldest first. */
    static List<CallStatusChange> history(Connection connection, TenantId tenant, CallId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id, status, provider_status, detail,"
                + " occurred_at FROM irisx_call_status_history WHERE tenant_id = ? AND call_id = ?"
                + " ORDER BY occurred_at, id")) {
            Params.of(select).id(tenant).id(id);
            return Jdbc.list(select, row -> new CallStatusChange(row.id("id", EventId::parse),
                    row.enumValue("status", CallStatus.class), row.optionalString("provider_status"),
                    row.string("detail"), row.instant("occurred_at")));
        }
    }
}

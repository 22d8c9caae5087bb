package io.irisx.core.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.credit.internal.CreditStore;
import io.irisx.core.internal.Json;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimits.Stage;
import io.irisx.core.store.Params;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading and writing the rows of {@code irisx_tenant_settings}, as JSON. Not API. */
final class SettingsRows {

    private SettingsRows() {
    }

    /** The tenant's settings: its stored row (if any) and its billing mode. */
    static TenantSettings read(Connection connection, TenantId tenant) throws SQLException {
        return withBillingMode(connection, tenant, stored(connection, tenant).map(SettingsRows::parse)
                .orElseGet(TenantSettings::builder));
    }

    /** The tenant's stored settings with its billing mode; empty, reading nothing more, when it stored none. */
    static Optional<TenantSettings> readStored(Connection connection, TenantId tenant) throws SQLException {
        Optional<String> row = stored(connection, tenant);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(withBillingMode(connection, tenant, parse(row.get())));
    }

    private static TenantSettings withBillingMode(Connection connection, TenantId tenant,
            TenantSettings.Builder builder) throws SQLException {
        BillingMode mode = CreditStore.account(connection, tenant, false).map(CreditStore.Account::mode)
                .orElse(BillingMode.POSTPAID);
        return builder.billingMode(mode).build();
    }

    /** Whether the tenant has stored settings; its row, when it has. */
    static Optional<String> stored(Connection connection, TenantId tenant) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT settings FROM irisx_tenant_settings"
                + " WHERE tenant_id = ?")) {
            Params.of(select).id(tenant);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Stores the tenant's settings, replacing its row, and sets its billing mode when it changes. */
    static void write(Connection connection, TenantId tenant, TenantSettings settings, Instant at)
            throws SQLException {
        String json = Json.write(json(settings));
        try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_tenant_settings"
                + " SET settings = ?, updated_at = ? WHERE tenant_id = ?")) {
            Params.of(update).string(json).longValue(at.toEpochMilli()).id(tenant);
            if (update.executeUpdate() == 0) {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_tenant_settings"
                        + " (tenant_id, settings, updated_at) VALUES (?, ?, ?)")) {
                    Params.of(insert).id(tenant).string(json).longValue(at.toEpochMilli());
                    insert.executeUpdate();
                }
            }
        }
        Optional<CreditStore.Account> account = CreditStore.account(connection, tenant, false);
        BillingMode current = account.map(CreditStore.Account::mode).orElse(BillingMode.POSTPAID);
        if (current != settings.billingMode()) {
            CreditStore.setMode(connection, tenant, settings.billingMode(), at);
        }
    }

    private static Map<String, Object> json(TenantSettings settings) {
        Map<String, Object> json = new LinkedHashMap<>();
        settings.emailFrom().ifPresent(address -> {
            json.put("emailFrom", address);
            json.put("emailFromName", settings.emailFromName());
        });
        settings.smsFrom().ifPresent(sender -> json.put("smsFrom", sender));
        Map<String, Object> chains = new LinkedHashMap<>();
        settings.providerChains().forEach((channel, names) -> chains.put(channel.name(), names));
        json.put("providerChains", chains);
        Map<String, Object> limits = new LinkedHashMap<>();
        settings.limits().forEach((stage, byChannel) -> {
            Map<String, Object> channels = new LinkedHashMap<>();
            byChannel.forEach((channel, limit) -> channels.put(channel.name(), limit.isUnlimited()
                    ? Map.of("unlimited", true)
                    : Map.of("tokens", limit.tokens(), "period", limit.period().toString(), "burst", limit.burst())));
            limits.put(stage.name(), channels);
        });
        json.put("limits", limits);
        return json;
    }

    private static TenantSettings.Builder parse(String text) {
        JsonNode json = Json.read(text);
        TenantSettings.Builder builder = TenantSettings.builder();
        if (json.hasNonNull("emailFrom")) {
            builder.emailFrom(json.get("emailFrom").asText(), json.path("emailFromName").asText(""));
        }
        if (json.hasNonNull("smsFrom")) {
            builder.smsFrom(json.get("smsFrom").asText());
        }
        json.path("providerChains").fields().forEachRemaining(entry -> {
            List<String> names = new ArrayList<>();
            entry.getValue().forEach(name -> names.add(name.asText()));
            builder.providerChain(Channel.valueOf(entry.getKey()), names);
        });
        json.path("limits").fields().forEachRemaining(stage -> stage.getValue().fields().forEachRemaining(entry -> {
            JsonNode limit = entry.getValue();
            builder.limit(Stage.valueOf(stage.getKey()), Channel.valueOf(entry.getKey()),
                    limit.path("unlimited").asBoolean(false) ? Limit.unlimited()
                            : Limit.of(limit.get("tokens").asLong(), Duration.parse(limit.get("period").asText()))
                                    .burst(limit.get("burst").asLong()));
        }));
        return builder;
    }
}

package io.irisx.messaging.email.internal;

import io.irisx.core.TenantId;
import io.irisx.core.secret.SecretSealer;
import io.irisx.core.secret.SecretSealingException;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each tenant's key for signing its link tokens: 256 random bits, made on the tenant's first use, stored sealed with
 * the runtime's {@link SecretSealer} and kept in memory once read. Thread-safe; several processes may make a tenant's
 * key at once, and all then use the one stored first. Not API.
 */
public final class LinkKeys {

    private static final Logger log = LoggerFactory.getLogger(LinkKeys.class);
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Database database;
    private final SecretSealer sealer;
    private final Clock clock;
    private final ConcurrentMap<TenantId, byte[]> keys = new ConcurrentHashMap<>();

    public LinkKeys(Database database, SecretSealer sealer, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code tenant}'s key, made and stored now if it has none. */
    byte[] signing(TenantId tenant) {
        byte[] key = keys.get(tenant);
        if (key != null) {
            return key;
        }
        byte[] stored = database.inTransaction(connection -> {
            Optional<String> sealed = read(connection, tenant);
            if (sealed.isEmpty()) {
                byte[] fresh = new byte[KEY_BYTES];
                RANDOM.nextBytes(fresh);
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_email_link_keys"
                        + " (tenant_id, sealed_key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                    Params.of(insert).id(tenant).string(sealer.seal(ENCODER.encodeToString(fresh), context(tenant)))
                            .longValue(clock.millis());
                    insert.executeUpdate();
                }
                // Another process may have stored its own first: the stored one is the tenant's.
                sealed = read(connection, tenant);
            }
            return open(tenant, sealed.orElseThrow(() -> new IllegalStateException("tenant " + tenant
                    + "'s email link key was stored but cannot be read back")));
        });
        // Every process reads the one key stored first, so which of two racing threads caches it does not matter.
        byte[] cached = keys.putIfAbsent(tenant, stored);
        return cached != null ? cached : stored;
    }

    /** {@code tenant}'s key, if it has one: a tenant without one has signed no token. */
    Optional<byte[]> verifying(TenantId tenant) {
        byte[] key = keys.get(tenant);
        if (key != null) {
            return Optional.of(key);
        }
        Optional<String> sealed = database.withConnection(connection -> read(connection, tenant));
        return sealed.map(value -> {
            byte[] opened = open(tenant, value);
            byte[] cached = keys.putIfAbsent(tenant, opened);
            return cached != null ? cached : opened;
        });
    }

    private static Optional<String> read(Connection connection, TenantId tenant) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT sealed_key FROM irisx_email_link_keys WHERE tenant_id = ?")) {
            Params.of(select).id(tenant);
            return Jdbc.first(select, row -> row.string("sealed_key"));
        }
    }

    private byte[] open(TenantId tenant, String sealed) {
        try {
            return DECODER.decode(sealer.open(sealed, context(tenant)));
        } catch (SecretSealingException e) {
            // The host must act: without the sealing key it was sealed with, no link of the tenant's works.
            log.error("irisx email: cannot open tenant {}'s email link key, so its unsubscribe and tracking links"
                    + " fail: {}", tenant, e.getMessage());
            throw e;
        }
    }

    private static String context(TenantId tenant) {
        return "tenant:" + tenant.value() + "/email-link-key";
    }

    @Override
    public String toString() {
        return "LinkKeys[" + keys.size() + " cached]";
    }
}

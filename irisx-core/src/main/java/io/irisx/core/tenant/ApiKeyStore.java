package io.irisx.core.tenant;

import io.irisx.core.AuthenticationException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.TenantId;
import io.irisx.core.secret.Secret;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.store.Params;
import io.irisx.core.store.Row;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys of one database: creating, listing, revoking and authenticating them. A key's text is
 * {@code irx_live_} or {@code irx_test_} and 40 letters and digits (about 238 random bits): the first 8 find it, the
 * SHA-256 of the whole text proves it — a key that random needs no slow hash. Thread-safe.
 */
final class ApiKeyStore {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyStore.class);
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern KEY = Pattern.compile("irx_(live|test)_([A-Za-z0-9]{8})[A-Za-z0-9]{32}");
    private static final int LOOKUP = 8;
    /** How stale a key's last-used time may get: it is written at most once a minute per key and process. */
    private static final long LAST_USED_GRAIN_MILLIS = 60_000;
    private static final int MAX_NAME = 200;
    private static final String COLUMNS = "id, tenant_id, name, mode, lookup_prefix, key_hash, scopes, created_at,"
            + " expires_at, revoked_at, last_used_at";
    /** Compared against when no key has the prefix, so that an unknown key costs what a known one does. */
    private static final byte[] NO_KEY = sha256("irx_live_" + "0".repeat(40));

    private final Database database;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> lastUsedWritten = new ConcurrentHashMap<>();

    ApiKeyStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    NewApiKey create(TenantId tenant, String name, ApiKey.Mode mode, Set<ApiScope> scopes,
            Optional<Instant> expiresAt) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IrisxValidationException("name", name, "must be 1 to " + MAX_NAME + " characters, not blank");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new IrisxValidationException("scopes", scopes, "must name at least one scope");
        }
        long now = clock.millis();
        if (expiresAt.isPresent() && expiresAt.get().toEpochMilli() <= now) {
            throw new IrisxValidationException("expiresAt", expiresAt.get(), "must be in the future");
        }
        String id = "key_" + UUID.randomUUID().toString().replace("-", "");
        for (int tries = 0; ; tries++) {
            String text = "irx_" + mode.name().toLowerCase(Locale.ROOT) + "_" + randomText(40);
            String lookup = text.substring(text.length() - 40, text.length() - 40 + LOOKUP);
            boolean stored = database.inTransaction(connection -> {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO irisx_api_keys (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL) ON CONFLICT DO NOTHING")) {
                    Params.of(insert).string(id).id(tenant).string(name).enumName(mode).string(lookup)
                            .string(HexFormat.of().formatHex(sha256(text))).string(scopeText(scopes)).longValue(now)
                            .instant(expiresAt);
                    return insert.executeUpdate() == 1;
                }
            });
            if (stored) {
                log.info("irisx: API key {} ({}) created for tenant {}", id, mode, tenant);
                return new NewApiKey(find(tenant, id).orElseThrow(), Secret.of(text));
            }
            if (tries == 3) {
                throw new IllegalStateException("four random API keys in a row collided: the random source is broken");
            }
        }
    }

    List<ApiKey> list(TenantId tenant, int limit, Optional<String> after) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM irisx_api_keys"
                    + " WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT " + limit)) {
                Params.of(select).id(tenant).string(after.orElse(""));
                return Jdbc.list(select, ApiKeyStore::key);
            }
        });
    }

    Optional<ApiKey> find(TenantId tenant, String id) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM irisx_api_keys"
                    + " WHERE tenant_id = ? AND id = ?")) {
                Params.of(select).id(tenant).string(id);
                return Jdbc.first(select, ApiKeyStore::key);
            }
        });
    }

    ApiKey revoke(TenantId tenant, String id) {
        boolean found = database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_api_keys SET revoked_at ="
                    + " COALESCE(revoked_at, ?) WHERE tenant_id = ? AND id = ?")) {
                Params.of(update).longValue(clock.millis()).id(tenant).string(id);
                return update.executeUpdate() == 1;
            }
        });
        if (!found) {
            throw new NotFoundException("API key", id);
        }
        log.info("irisx: API key {} of tenant {} revoked", id, tenant);
        return find(tenant, id).orElseThrow();
    }

    ApiKey authenticate(String text) {
        Matcher matcher = text == null ? null : KEY.matcher(text);
        byte[] hash = sha256(text == null ? "" : text);
        if (matcher == null || !matcher.matches()) {
            MessageDigest.isEqual(hash, NO_KEY);
            throw new AuthenticationException();
        }
        Optional<Stored> found = database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM irisx_api_keys"
                    + " WHERE lookup_prefix = ?")) {
                Params.of(select).string(matcher.group(2));
                return Jdbc.first(select, row -> new Stored(key(row), HexFormat.of().parseHex(row.string("key_hash"))));
            }
        });
        boolean matches = MessageDigest.isEqual(hash, found.map(Stored::hash).orElse(NO_KEY));
        long now = clock.millis();
        if (found.isEmpty() || !matches) {
            throw new AuthenticationException();
        }
        ApiKey key = found.get().key();
        if (key.revokedAt().isPresent() || key.expiresAt().filter(at -> at.toEpochMilli() <= now).isPresent()
                || !key.mode().name().toLowerCase(Locale.ROOT).equals(matcher.group(1))) {
            log.debug("irisx: API key {} of tenant {} refused: revoked or expired", key.id(), key.tenant());
            throw new AuthenticationException();
        }
        noteUse(key, now);
        return key;
    }

    /** Writes the key's last-used time when this process last wrote it more than a minute ago. */
    private void noteUse(ApiKey key, long now) {
        Long written = lastUsedWritten.get(key.id());
        if (written != null && now - written < LAST_USED_GRAIN_MILLIS) {
            return;
        }
        lastUsedWritten.put(key.id(), now);
        try {
            database.inTransaction(connection -> {
                try (PreparedStatement update = connection.prepareStatement("UPDATE irisx_api_keys"
                        + " SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
                    Params.of(update).longValue(now).string(key.id()).longValue(now - LAST_USED_GRAIN_MILLIS);
                    return update.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            // Bookkeeping only: the request goes on.
            log.warn("irisx: noting the use of API key {} failed: {}", key.id(), e.toString());
        }
    }

    private record Stored(ApiKey key, byte[] hash) {
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    private static String scopeText(Set<ApiScope> scopes) {
        return scopes.stream().map(ApiScope::wireName).sorted().collect(Collectors.joining(" "));
    }

    private static ApiKey key(Row row) throws SQLException {
        Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
        Arrays.stream(row.string("scopes").split(" ")).map(ApiScope::fromWireName).flatMap(Optional::stream)
                .forEach(scopes::add);
        ApiKey.Mode mode = row.enumValue("mode", ApiKey.Mode.class);
        return new ApiKey(row.string("id"), row.id("tenant_id", TenantId::of), row.string("name"), mode,
                "irx_" + mode.name().toLowerCase(Locale.ROOT) + "_" + row.string("lookup_prefix"), scopes,
                row.instant("created_at"), row.optionalInstant("expires_at"), row.optionalInstant("revoked_at"),
                row.optionalInstant("last_used_at"));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

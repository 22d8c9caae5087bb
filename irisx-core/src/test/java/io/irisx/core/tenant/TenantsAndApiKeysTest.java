package io.irisx.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.AuthenticationException;
import io.irisx.core.Channel;
import io.irisx.core.ConflictException;
import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/** The tenants a host registers and the API keys it issues them, on each database. */
@OnEachDialect
class TenantsAndApiKeysTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    @Parameter
    Database.Dialect dialect;
    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    private Database database;
    private Irisx irisx;

    @BeforeEach
    void start() {
        database = TestDatabases.of(dialect);
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1")).clock(clock)
                .build();
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
    }

    @Test
    void a_tenant_is_registered_listed_renamed_suspended_and_resumed() {
        TenantInfo created = irisx.tenants().create(ACME, "Acme Corp", Map.of("plan", "pro"));
        irisx.tenants().create(GLOBEX, "Globex", Map.of());

        assertThat(created.status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(created.metadata()).containsEntry("plan", "pro");
        assertThatThrownBy(() -> irisx.tenants().create(ACME, "Again", Map.of())).isInstanceOf(ConflictException.class);
        assertThat(irisx.tenants().list(PageRequest.first(1)).items()).extracting(TenantInfo::id).containsExactly(ACME);
        assertThat(irisx.tenants().list(PageRequest.after("acme", 10)).items()).extracting(TenantInfo::id)
                .containsExactly(GLOBEX);

        clock.advance(Duration.ofMinutes(1));
        assertThat(irisx.tenants().update(ACME, "Acme Inc", Map.of("plan", "team")).name()).isEqualTo("Acme Inc");
        TenantInfo suspended = irisx.tenants().suspend(ACME, "unpaid invoice");
        assertThat(suspended.status()).isEqualTo(TenantStatus.SUSPENDED);
        assertThat(suspended.suspendedReason()).contains("unpaid invoice");
        assertThat(suspended.updatedAt()).isAfter(suspended.createdAt());
        assertThat(irisx.tenants().resume(ACME).status()).isEqualTo(TenantStatus.ACTIVE);
        assertThat(irisx.tenants().get(ACME).suspendedReason()).isEmpty();

        assertThatThrownBy(() -> irisx.tenants().suspend(TenantId.of("initech"), "x"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> irisx.tenants().create(TenantId.of("blank"), " ", Map.of()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void deleting_a_tenant_with_queued_work_is_refused_and_without_removes_it_and_its_keys() {
        irisx.tenants().create(ACME, "Acme", Map.of());
        irisx.tenant(ACME).apiKeys().create("ci", ApiKey.Mode.LIVE, Set.of(ApiScope.EMAIL_SEND), Optional.empty());
        irisx.outbox().publish(Envelope.of(ACME, Channel.EMAIL, "{}"));

        assertThatThrownBy(() -> irisx.tenants().delete(ACME)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("1 message(s) queued");
        assertThat(irisx.tenants().find(ACME)).isPresent();

        database.inTransaction(connection -> connection.createStatement()
                .executeUpdate("UPDATE irisx_outbox SET status = 'DONE'"));
        irisx.tenants().delete(ACME);

        assertThat(irisx.tenants().find(ACME)).isEmpty();
        assertThat(irisx.tenant(ACME).apiKeys().list(PageRequest.first(10)).items()).isEmpty();
        assertThatThrownBy(() -> irisx.tenants().delete(ACME)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void a_key_is_shown_once_stored_as_a_hash_and_authenticates_its_tenant_and_scopes() {
        Tenant acme = irisx.tenant(ACME);
        NewApiKey created = acme.apiKeys().create("backend", ApiKey.Mode.LIVE,
                EnumSet.of(ApiScope.EMAIL_SEND, ApiScope.USAGE_READ), Optional.empty());
        String text = created.text().reveal();

        assertThat(text).matches("irx_live_[A-Za-z0-9]{40}");
        assertThat(created.toString()).doesNotContain(text);
        assertThat(created.key().hint()).isEqualTo(text.substring(0, 17));
        // Only the hash is stored.
        String stored = database.withConnection(connection -> {
            try (var rs = connection.createStatement().executeQuery("SELECT * FROM irisx_api_keys")) {
                rs.next();
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(rs.getString(i)).append('|');
                }
                return row.toString();
            }
        });
        assertThat(stored).doesNotContain(text.substring(17));

        Authentication auth = irisx.apiKeys().authenticate(text);
        assertThat(auth.tenant().id()).isEqualTo(ACME);
        assertThat(auth.tenant().isTest()).isFalse();
        assertThat(auth.mode()).isEqualTo(ApiKey.Mode.LIVE);
        assertThat(auth.allows(ApiScope.EMAIL_SEND)).isTrue();
        auth.require(ApiScope.USAGE_READ);
        assertThatThrownBy(() -> auth.require(ApiScope.WEBHOOKS_MANAGE)).isInstanceOfSatisfying(
                MissingScopeException.class, e -> assertThat(e.scope()).isEqualTo(ApiScope.WEBHOOKS_MANAGE));
        assertThat(acme.apiKeys().get(created.key().id()).lastUsedAt()).contains(clock.instant());
    }

    @Test
    void every_bad_key_gets_the_same_refusal() {
        Tenant acme = irisx.tenant(ACME);
        String live = acme.apiKeys().create("a", ApiKey.Mode.LIVE, Set.of(ApiScope.SMS_SEND), Optional.empty()).text()
                .reveal();
        String revoked = acme.apiKeys().create("b", ApiKey.Mode.LIVE, Set.of(ApiScope.SMS_SEND), Optional.empty())
                .text().reveal();
        String expiring = acme.apiKeys().create("c", ApiKey.Mode.TEST, Set.of(ApiScope.SMS_SEND),
                Optional.of(clock.instant().plusSeconds(60))).text().reveal();
        acme.apiKeys().revoke(acme.apiKeys().list(PageRequest.first(10)).items().stream()
                .filter(key -> key.name().equals("b")).findFirst().orElseThrow().id());
        clock.advance(Duration.ofSeconds(61));

        String tampered = live.substring(0, live.length() - 1) + (live.endsWith("A") ? "B" : "A");
        String otherMode = live.replace("irx_live_", "irx_test_");
        for (String bad : new String[] {tampered, otherMode, revoked, expiring, "", "irx_live_short", null,
                "Bearer " + live}) {
            assertThatThrownBy(() -> irisx.apiKeys().authenticate(bad)).isInstanceOf(AuthenticationException.class)
                    .hasMessage("invalid API key");
        }
        assertThat(irisx.apiKeys().authenticate(live).tenant().id()).isEqualTo(ACME);
    }

    @Test
    void last_use_is_written_at_most_once_a_minute() {
        NewApiKey created = irisx.tenant(ACME).apiKeys().create("k", ApiKey.Mode.LIVE, Set.of(ApiScope.SMS_SEND),
                Optional.empty());
        Instant first = clock.instant();
        irisx.apiKeys().authenticate(created.text().reveal());
        clock.advance(Duration.ofSeconds(30));
        irisx.apiKeys().authenticate(created.text().reveal());
        assertThat(irisx.tenant(ACME).apiKeys().get(created.key().id()).lastUsedAt()).contains(first);
        clock.advance(Duration.ofSeconds(31));
        irisx.apiKeys().authenticate(created.text().reveal());
        assertThat(irisx.tenant(ACME).apiKeys().get(created.key().id()).lastUsedAt()).contains(clock.instant());
    }

    @Test
    void a_tenants_keys_are_its_own() {
        NewApiKey acmeKey = irisx.tenant(ACME).apiKeys().create("k", ApiKey.Mode.LIVE, Set.of(ApiScope.SMS_SEND),
                Optional.empty());
        ApiKeys globex = irisx.tenant(GLOBEX).apiKeys();

        assertThat(globex.list(PageRequest.first(10)).items()).isEmpty();
        assertThatThrownBy(() -> globex.get(acmeKey.key().id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.revoke(acmeKey.key().id())).isInstanceOf(NotFoundException.class);
        assertThat(irisx.apiKeys().authenticate(acmeKey.text().reveal()).tenant().id()).isEqualTo(ACME);
    }

    @Test
    void a_key_needs_a_name_a_scope_and_a_future_expiry() {
        ApiKeys keys = irisx.tenant(ACME).apiKeys();
        assertThatThrownBy(() -> keys.create("", ApiKey.Mode.LIVE, Set.of(ApiScope.SMS_SEND), Optional.empty()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> keys.create("k", ApiKey.Mode.LIVE, Set.of(), Optional.empty()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("scopes"));
        assertThatThrownBy(() -> keys.create("k", ApiKey.Mode.LIVE, Set.of(ApiScope.SMS_SEND),
                Optional.of(clock.instant()))).isInstanceOfSatisfying(IrisxValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("expiresAt"));
    }
}

package io.irisx.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.RateLimitedException;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.core.ratelimit.RateLimits.Stage;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Each registered tenant's stored settings — default senders, provider chains, rate-limit overrides and billing
 * mode — and the tenant view of a test API key, on each database.
 */
@OnEachDialect
class TenantSettingsTest {

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
                .rateLimits(RateLimits.builder()
                        .send(Channel.SMS, Limit.perSecond(2))
                        .send(GLOBEX, Channel.SMS, Limit.perSecond(3))
                        .build())
                .build();
        irisx.tenants().create(ACME, "Acme", Map.of());
        irisx.tenants().create(GLOBEX, "Globex", Map.of());
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
    }

    @Test
    void settings_are_stored_read_back_and_replaced_whole() {
        assertThat(irisx.tenants().settings(ACME)).isEqualTo(TenantSettings.defaults());

        TenantSettings settings = TenantSettings.builder()
                .emailFrom("hello@acme.example", "Acme Support")
                .smsFrom("+1 415 555 0100")
                .providerChain(Channel.EMAIL, List.of("postmark", "sendgrid"))
                .providerChain(Channel.SMS, List.of("twilio"))
                .sendLimit(Channel.EMAIL, Limit.perSecond(50).burst(80))
                .deliveryLimit(Channel.SMS, Limit.of(1_000, Duration.ofDays(1)))
                .sendLimit(Channel.SMS, Limit.unlimited())
                .billingMode(BillingMode.PREPAID)
                .build();
        assertThat(irisx.tenants().updateSettings(ACME, settings)).isEqualTo(settings);

        TenantSettings read = irisx.tenants().settings(ACME);
        assertThat(read).isEqualTo(settings);
        assertThat(read.emailFrom()).contains("hello@acme.example");
        assertThat(read.emailFromName()).isEqualTo("Acme Support");
        assertThat(read.smsFrom()).contains("+14155550100");
        assertThat(read.providerChain(Channel.EMAIL)).contains(List.of("postmark", "sendgrid"));
        assertThat(read.limit(Stage.SEND, Channel.EMAIL)).contains(Limit.perSecond(50).burst(80));
        assertThat(read.limit(Stage.DELIVERY, Channel.SMS)).contains(Limit.of(1_000, Duration.ofDays(1)));
        assertThat(read.limit(Stage.SEND, Channel.SMS)).contains(Limit.unlimited());
        assertThat(irisx.tenants().settings(GLOBEX)).isEqualTo(TenantSettings.defaults());

        TenantSettings changed = read.toBuilder().noEmailFrom().noProviderChain(Channel.EMAIL)
                .noLimit(Stage.SEND, Channel.EMAIL).build();
        irisx.tenants().updateSettings(ACME, changed);
        assertThat(irisx.tenants().settings(ACME).emailFrom()).isEmpty();
        assertThat(irisx.tenants().settings(ACME).providerChain(Channel.EMAIL)).isEmpty();
        assertThat(irisx.tenants().settings(ACME).providerChain(Channel.SMS)).contains(List.of("twilio"));
        assertThat(irisx.tenants().settings(ACME).limit(Stage.SEND, Channel.EMAIL)).isEmpty();
    }

    @Test
    void the_billing_mode_is_the_credit_ledgers_own() {
        Tenant acme = irisx.tenant(ACME);
        irisx.tenants().updateSettings(ACME, TenantSettings.builder().billingMode(BillingMode.PREPAID).build());
        assertThat(acme.credit().billingMode()).isEqualTo(BillingMode.PREPAID);

        acme.credit().setBillingMode(BillingMode.POSTPAID);
        assertThat(irisx.tenants().settings(ACME).billingMode()).isEqualTo(BillingMode.POSTPAID);
    }

    @Test
    void an_unregistered_tenant_has_no_settings_to_read_or_change() {
        TenantId initech = TenantId.of("initech");
        assertThatThrownBy(() -> irisx.tenants().settings(initech)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> irisx.tenants().updateSettings(initech, TenantSettings.defaults()))
                .isInstanceOf(NotFoundException.class);
        Optional<TenantSettings> stored = database.withConnection(connection ->
                Tenants.storedSettings(connection, initech));
        assertThat(stored).isEmpty();
    }

    @Test
    void every_field_is_checked_and_named_when_refused() {
        TenantSettings.Builder builder = TenantSettings.builder();
        refused(() -> builder.emailFrom("not an address"), "emailFrom", "not an address");
        refused(() -> builder.emailFrom("a@localhost"), "emailFrom", "a@localhost");
        refused(() -> builder.emailFrom("a@acme.example", "two\nlines"), "emailFromName", "two\nlines");
        refused(() -> builder.smsFrom("4155550100"), "smsFrom", "4155550100");
        refused(() -> builder.smsFrom("+1 999"), "smsFrom", "+1 999");
        refused(() -> builder.smsFrom("TooLongSenderId"), "smsFrom", "TooLongSenderId");
        refused(() -> builder.providerChain(Channel.EMAIL, List.of()), "providerChain.email", "[]");
        refused(() -> builder.providerChain(Channel.SMS, List.of("twilio", "twilio")), "providerChain.sms",
                "[twilio, twilio]");
        refused(() -> builder.providerChain(Channel.EMAIL, List.of("Send Grid")), "providerChain.email",
                "[Send Grid]");
        refused(() -> builder.providerChain(Channel.EMAIL, Arrays.asList("postmark", null)), "providerChain.email",
                "[postmark, null]");
        // An alphanumeric sender id is a sender too.
        assertThat(builder.smsFrom("ACME").build().smsFrom()).contains("ACME");
    }

    private static void refused(Runnable setter, String field, String value) {
        assertThatThrownBy(setter::run).isInstanceOfSatisfying(IrisxValidationException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.rejectedValue()).isEqualTo(value);
        });
    }

    @Test
    void stored_limits_win_over_the_runtimes_defaults_and_overrides() {
        assertThat(sendsTaken(ACME)).isEqualTo(2);
        assertThat(sendsTaken(GLOBEX)).isEqualTo(3);

        irisx.tenants().updateSettings(ACME, TenantSettings.builder().sendLimit(Channel.SMS, Limit.perSecond(5))
                .build());
        irisx.tenants().updateSettings(GLOBEX, TenantSettings.builder().sendLimit(Channel.SMS, Limit.perSecond(1))
                .build());
        clock.advance(Duration.ofSeconds(10));
        assertThat(sendsTaken(ACME)).isEqualTo(5);
        assertThat(sendsTaken(GLOBEX)).isEqualTo(1);
        assertThat(irisx.rateLimiter().limit(ACME, Channel.SMS, Stage.SEND)).contains(Limit.perSecond(5));

        irisx.tenants().updateSettings(ACME, TenantSettings.builder().sendLimit(Channel.SMS, Limit.unlimited())
                .build());
        clock.advance(Duration.ofSeconds(10));
        assertThat(sendsTaken(ACME)).isEqualTo(100);

        // Cleared, the runtime's default holds again.
        irisx.tenants().updateSettings(ACME, TenantSettings.defaults());
        clock.advance(Duration.ofSeconds(10));
        assertThat(sendsTaken(ACME)).isEqualTo(2);
    }

    @Test
    void stored_limits_changed_by_another_process_apply_once_the_kept_copy_expires() {
        assertThat(sendsTaken(ACME)).isEqualTo(2);
        // Written as another process would: this runtime's limiter is not told.
        database.inTransaction(connection -> {
            SettingsRows.write(connection, ACME, TenantSettings.builder().sendLimit(Channel.SMS, Limit.perSecond(4))
                    .build(), clock.instant());
            return null;
        });
        clock.advance(Duration.ofSeconds(1));
        assertThat(sendsTaken(ACME)).isEqualTo(2);
        clock.advance(Duration.ofSeconds(io.irisx.core.ratelimit.RateLimiter.SETTINGS_SECONDS));
        assertThat(sendsTaken(ACME)).isEqualTo(4);
    }

    /** How many SMS sends {@code tenant} may make now, up to 100. */
    private int sendsTaken(TenantId tenant) {
        int taken = 0;
        try {
            while (taken < 100) {
                irisx.rateLimiter().acquireSend(tenant, Channel.SMS);
                taken++;
            }
        } catch (RateLimitedException e) {
            // Over the limit.
        }
        return taken;
    }

    @Test
    void a_test_key_speaks_for_its_tenant_in_test_mode() {
        Tenant acme = irisx.tenant(ACME);
        String live = acme.apiKeys().create("live", ApiKey.Mode.LIVE, Set.of(ApiScope.EMAIL_SEND), Optional.empty())
                .text().reveal();
        String test = acme.apiKeys().create("test", ApiKey.Mode.TEST, Set.of(ApiScope.EMAIL_SEND), Optional.empty())
                .text().reveal();

        Tenant testView = irisx.apiKeys().authenticate(test).tenant();
        assertThat(testView.id()).isEqualTo(ACME);
        assertThat(testView.mode()).isEqualTo(ApiKey.Mode.TEST);
        assertThat(testView.isTest()).isTrue();
        assertThat(testView).isEqualTo(acme.testMode()).isNotEqualTo(acme);
        assertThat(irisx.apiKeys().authenticate(live).tenant()).isEqualTo(acme);
        assertThat(acme.isTest()).isFalse();
        Tenant view = acme.testMode();
        assertThat(view.testMode()).isSameAs(view);
    }

    @Test
    void deleting_a_tenant_deletes_its_settings() {
        irisx.tenants().updateSettings(ACME, TenantSettings.builder().smsFrom("ACME").build());
        irisx.tenants().delete(ACME);
        Optional<TenantSettings> stored = database.withConnection(connection ->
                Tenants.storedSettings(connection, ACME));
        assertThat(stored).isEmpty();
    }
}

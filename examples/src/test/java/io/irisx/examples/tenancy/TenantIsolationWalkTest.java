package io.irisx.examples.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.id.MessageId;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.tenant.ApiKey;
import io.irisx.core.tenant.ApiScope;
import io.irisx.core.tenant.NewApiKey;
import io.irisx.core.tenant.TenantSettings;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailFilter;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStream;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.EndpointFilter;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tenants on one runtime (PostgreSQL), every module installed: acme uses every tenant-scoped API, and globex,
 * given each of acme's ids, can read, change, retry, delete or count none of it — through email, SMS, webhook
 * endpoints, suppressions, templates, statistics, API keys, settings (senders, chains, limits, billing mode), test-mode
 * sends, usage, credit and dead letters — while acme still sees all of its own.
 */
class TenantIsolationWalkTest {

    private Database database;
    private Irisx irisx;
    private Tenant acme;
    private Tenant globex;

    @BeforeEach
    void start() {
        database = TestDatabases.postgres();
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1"))
                .install(WebhooksModule.builder().ssrfPolicy(SsrfPolicy.builder().allow("127.0.0.0/8").build()).build())
                .install(EmailModule.builder().sendOnly().build())
                .install(SmsModule.builder().defaultRegion("GB").sendOnly().build())
                .build();
        acme = irisx.tenant("acme");
        globex = irisx.tenant("globex");
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
    }

    @Test
    void nothing_of_one_tenant_can_be_read_changed_retried_deleted_or_counted_by_another() {
        Instant from = Instant.now().minusSeconds(60);
        // Acme uses everything, its settings too.
        irisx.tenants().create(acme.id(), "Acme", Map.of());
        irisx.tenants().create(globex.id(), "Globex", Map.of());
        TenantSettings acmeSettings = irisx.tenants().updateSettings(acme.id(), TenantSettings.builder()
                .emailFrom("hello@acme.example", "Acme").smsFrom("+447400654321")
                .providerChain(Channel.EMAIL, List.of("postmark"))
                .sendLimit(Channel.EMAIL, Limit.of(1_000, Duration.ofHours(1)))
                .billingMode(BillingMode.PREPAID).build());
        acme.credit().setBillingMode(BillingMode.PREPAID);
        acme.credit().topUp(new BigDecimal("5.00"), "top-up-1");
        EmailClient acmeEmail = EmailClient.of(acme);
        MessageId email = acmeEmail.send(EmailMessage.builder().from("news@acme.example").to("ada@example.com")
                .subject("Hi").text("Hi").idempotencyKey("shared-key").build());
        acmeEmail.suppressions().add("gone@example.com", EmailStream.TRANSACTIONAL, "");
        acmeEmail.templates().save("welcome", "Hi", "Hello", "<p>Hello</p>");
        SmsClient acmeSms = SmsClient.of(acme);
        MessageId sms = acmeSms.send(SmsMessage.builder().to("+447400123456").from("+447400654321").body("Hi")
                .idempotencyKey("shared-key").build());
        acmeSms.optOut("+447400999999", "STOP");
        MessageId defaultSender = acmeEmail.send(EmailMessage.builder().to("ada@example.com").subject("Hi").text("Hi")
                .build());
        MessageId testEmail = EmailClient.of(acme.testMode()).send(EmailMessage.builder().to("ada@example.com")
                .subject("Test").text("Test").build());
        CreatedEndpoint endpoint = WebhookEndpoints.of(acme).create(EndpointSpec.builder("http://127.0.0.1:9/irisx")
                .build());
        CreatedEndpoint testEndpoint = WebhookEndpoints.of(acme).create(
                EndpointSpec.builder("http://127.0.0.1:9/irisx-test").testMode(true).build());
        NewApiKey key = acme.apiKeys().create("backend", ApiKey.Mode.LIVE, Set.of(ApiScope.EMAIL_SEND),
                Optional.empty());

        // Globex, holding every one of acme's ids, reaches nothing.
        assertThat(irisx.tenants().settings(globex.id())).isEqualTo(TenantSettings.defaults());
        assertThat(irisx.rateLimiter().limit(globex.id(), Channel.EMAIL, RateLimits.Stage.SEND)).isEmpty();
        assertThatThrownBy(() -> EmailClient.of(globex).send(EmailMessage.builder().to("bob@example.com")
                .subject("Hi").text("Hi").build())).isInstanceOf(IrisxValidationException.class)
                .hasMessageContaining("from");
        assertThatThrownBy(() -> SmsClient.of(globex).send(SmsMessage.builder().to("+447400123456").body("Hi")
                .build())).isInstanceOf(IrisxValidationException.class).hasMessageContaining("from");
        irisx.tenants().updateSettings(globex.id(), TenantSettings.builder().emailFrom("news@globex.example")
                .sendLimit(Channel.EMAIL, Limit.unlimited()).build());
        assertThatThrownBy(() -> EmailClient.of(globex.testMode()).get(testEmail))
                .isInstanceOf(NotFoundException.class);
        EmailClient globexEmail = EmailClient.of(globex);
        assertThatThrownBy(() -> globexEmail.get(email)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globexEmail.history(email)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globexEmail.attachments(email)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globexEmail.engagements(email)).isInstanceOf(NotFoundException.class);
        assertThat(globexEmail.list(EmailFilter.all(), PageRequest.first(50)).items()).isEmpty();
        assertThat(globexEmail.record(ProviderEvent.builder("resend", ProviderEvent.Kind.HARD_BOUNCE)
                .providerMessageId(email.value()).recipient("ada@example.com").occurredAt(Instant.now()).build()))
                .isFalse();
        assertThat(globexEmail.suppressions().find("gone@example.com", EmailStream.TRANSACTIONAL)).isEmpty();
        assertThat(globexEmail.suppressions().remove("gone@example.com", EmailStream.TRANSACTIONAL)).isFalse();
        assertThat(globexEmail.templates().list()).isEmpty();
        assertThat(globexEmail.stats(from, Instant.now().plusSeconds(60))).isEmpty();
        // The same idempotency key is globex's own: a new email, not acme's.
        assertThat(globexEmail.send(EmailMessage.builder().from("news@globex.example").to("bob@example.com")
                .subject("Hi").text("Hi").idempotencyKey("shared-key").build())).isNotEqualTo(email);

        SmsClient globexSms = SmsClient.of(globex);
        assertThatThrownBy(() -> globexSms.get(sms)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globexSms.history(sms)).isInstanceOf(NotFoundException.class);
        assertThat(globexSms.list(PageRequest.first(50)).items()).isEmpty();
        assertThat(globexSms.isOptedOut("+447400999999")).isFalse();
        assertThat(globexSms.optIn("+447400999999", "START")).isFalse();
        assertThat(globexSms.segmentsSent(from, Instant.now().plusSeconds(60))).isZero();

        WebhookEndpoints globexEndpoints = WebhookEndpoints.of(globex);
        assertThatThrownBy(() -> globexEndpoints.get(endpoint.endpoint().id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globexEndpoints.delete(endpoint.endpoint().id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globexEndpoints.rotateSecret(endpoint.endpoint().id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globexEndpoints.sendTest(endpoint.endpoint().id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globexEndpoints.get(testEndpoint.endpoint().id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globexEndpoints.sendTest(testEndpoint.endpoint().id()))
                .isInstanceOf(NotFoundException.class);
        assertThat(globexEndpoints.list(EndpointFilter.all(), PageRequest.first(50)).items()).isEmpty();

        assertThatThrownBy(() -> globex.apiKeys().get(key.key().id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.apiKeys().revoke(key.key().id())).isInstanceOf(NotFoundException.class);
        assertThat(globex.apiKeys().list(PageRequest.first(50)).items()).isEmpty();
        assertThat(globex.credit().balance().balance()).isZero();
        assertThat(globex.credit().entries(PageRequest.first(50)).items()).isEmpty();
        assertThat(globex.credit().reservation(email.value() + ":EMAIL")).isEmpty();
        assertThat(globex.usage().daily(LocalDate.now().minusDays(1), LocalDate.now().plusDays(1))).isEmpty();
        assertThat(globex.deadLetters(Channel.EMAIL, PageRequest.first(50)).items()).isEmpty();
        assertThatThrownBy(() -> globex.replayDeadLetter(email)).isInstanceOf(NotFoundException.class);

        // Acme still has all of its own.
        assertThat(irisx.tenants().settings(acme.id())).isEqualTo(acmeSettings);
        assertThat(irisx.rateLimiter().limit(acme.id(), Channel.EMAIL, RateLimits.Stage.SEND))
                .contains(Limit.of(1_000, Duration.ofHours(1)));
        assertThat(acmeEmail.get(defaultSender).from().address()).isEqualTo("hello@acme.example");
        assertThat(EmailClient.of(acme.testMode()).get(testEmail).test()).isTrue();
        assertThat(acme.credit().reservation(testEmail.value() + ":EMAIL")).isEmpty();
        assertThat(acmeEmail.get(email).id()).isEqualTo(email);
        assertThat(acmeEmail.suppressions().find("gone@example.com", EmailStream.TRANSACTIONAL)).isPresent();
        assertThat(acmeSms.get(sms).id()).isEqualTo(sms);
        assertThat(acmeSms.isOptedOut("+447400999999")).isTrue();
        assertThat(WebhookEndpoints.of(acme).get(endpoint.endpoint().id()).id()).isEqualTo(endpoint.endpoint().id());
        assertThat(WebhookEndpoints.of(acme).get(testEndpoint.endpoint().id()).testMode()).isTrue();
        assertThat(acme.apiKeys().get(key.key().id()).revokedAt()).isEmpty();
        assertThat(irisx.apiKeys().authenticate(key.text().reveal()).tenant().id()).isEqualTo(acme.id());
        assertThat(acme.credit().balance().balance()).isEqualByComparingTo("5.00");
        assertThat(acme.credit().reservation(email.value() + ":EMAIL")).isPresent();
        assertThat(acme.credit().reservation(sms.value() + ":SMS_SEGMENT")).isPresent();
    }
}

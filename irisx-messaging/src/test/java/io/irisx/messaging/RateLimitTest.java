package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.PageRequest;
import io.irisx.core.RateLimitedException;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailFilter;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.spi.OutgoingSms;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.sms.spi.SmsReceipt;
import io.irisx.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Tenants' email and SMS held to their rate limits, on each database: a send over its tenant's send limit is refused
 * with nothing stored; a flood of queued work drains at the tenant's delivery limit, without using up tries; and one
 * tenant's limits never hold back another's.
 */
@OnEachDialect
class RateLimitTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    @Parameter
    Database.Dialect dialect;
    private final MutableClock clock = MutableClock.at(MessagingFixture.START);
    /** The tenants whose messages reached a provider, in the order they did. */
    private final List<TenantId> delivered = new CopyOnWriteArrayList<>();
    private Database database;
    private Irisx irisx;

    @AfterEach
    void stop() {
        if (irisx != null) {
            irisx.close();
        }
        database.close();
    }

    /** A runtime with {@code limits}, whose email and SMS modules send through providers that record each message. */
    private void start(RateLimits limits, boolean sendOnly) {
        database = TestDatabases.of(dialect);
        EmailModule.Builder email = EmailModule.builder();
        SmsModule.Builder sms = SmsModule.builder().defaultRegion("GB");
        if (sendOnly) {
            email.sendOnly();
            sms.sendOnly();
        } else {
            email.provider(new RecordingEmail()).pollInterval(Duration.ofMillis(10));
            sms.provider(new RecordingSms()).pollInterval(Duration.ofMillis(10));
        }
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1")).clock(clock)
                .rateLimits(limits).install(email.build()).install(sms.build()).build();
    }

    private EmailClient email(TenantId tenant) {
        return EmailClient.of(irisx.tenant(tenant));
    }

    private SmsClient sms(TenantId tenant) {
        return SmsClient.of(irisx.tenant(tenant));
    }

    private static EmailMessage mail() {
        return EmailMessage.builder().from("hello@acme.example").to("ada@example.com").subject("Hi").text("Hi").build();
    }

    private static SmsMessage text() {
        return SmsMessage.builder().to("+447400123456").from("+447400654321").body("Hi").build();
    }

    @Test
    void a_send_over_its_tenants_send_limit_is_refused_with_when_to_retry_and_nothing_is_stored() {
        start(RateLimits.builder().send(Channel.EMAIL, Limit.perMinute(2)).send(Channel.SMS, Limit.perMinute(1)).build(),
                true);
        email(ACME).send(mail());
        email(ACME).send(mail());
        sms(ACME).send(text());

        assertThatThrownBy(() -> email(ACME).send(mail())).isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(e.getMessage()).isEqualTo("rate limited (tenant acme: email sends, 2 per 1 min, burst 2);"
                    + " retry after 30000 ms");
        });
        assertThatThrownBy(() -> sms(ACME).send(text())).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(1)));
        // A send found invalid is refused for that, and takes no token.
        assertThatThrownBy(() -> sms(ACME).send(SmsMessage.builder().to("12").from("+447400654321").body("Hi").build()))
                .isInstanceOf(IrisxValidationException.class);

        assertThat(email(ACME).list(EmailFilter.all(), PageRequest.first(10)).items()).hasSize(2);
        assertThat(sms(ACME).list(PageRequest.first(10)).items()).hasSize(1);
        assertThat(outboxRows(ACME)).isEqualTo(3);
        // Another tenant has limits of its own.
        email(GLOBEX).send(mail());
        email(GLOBEX).send(mail());
        sms(GLOBEX).send(text());

        clock.advance(Duration.ofSeconds(30));
        assertThat(email(ACME).send(mail())).isNotNull();
        assertThatThrownBy(() -> email(ACME).send(mail())).isInstanceOf(RateLimitedException.class);
        assertThat(email(ACME).list(EmailFilter.all(), PageRequest.first(10)).items()).hasSize(3);
    }

    @Test
    void a_flood_of_queued_email_drains_at_its_tenants_delivery_limit_without_using_up_tries() {
        start(RateLimits.builder().delivery(Channel.EMAIL, Limit.perSecond(10))
                .delivery(GLOBEX, Channel.EMAIL, Limit.unlimited()).build(), false);
        List<MessageId> flood = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 35; i++) {
            flood.add(email(ACME).send(mail()));
        }
        for (int i = 0; i < 5; i++) {
            email(GLOBEX).send(mail());
        }

        // The clock stands still: acme's burst goes out, the rest waits; globex, unlimited, is not held back.
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(GLOBEX) == 5 && delivered(ACME) == 10);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> delivered(ACME) == 10);

        for (int second = 1; delivered(ACME) < 35; second++) {
            assertThat(second).as("seconds to drain 35 emails at 10 a second after a burst of 10").isLessThanOrEqualTo(3);
            clock.advance(Duration.ofSeconds(1));
            int allowed = Math.min(35, 10 + 10 * second);
            await().atMost(Duration.ofSeconds(20)).until(() -> delivered(ACME) == allowed);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> delivered(ACME) == allowed);
        }

        assertThat(flood).allSatisfy(id -> {
            assertThat(email(ACME).get(id).status()).isEqualTo(EmailStatus.SENT);
            assertThat(email(ACME).get(id).attempts()).isEqualTo(1);
        });
        assertThat(outboxAttempts(ACME)).containsOnly(1);
        assertThat(irisx.tenant(ACME).deadLetters(Channel.EMAIL, PageRequest.first(10)).items()).isEmpty();
    }

    @Test
    void queued_sms_drain_at_their_tenants_delivery_limit_while_another_tenants_go_at_theirs() {
        start(RateLimits.builder().delivery(Channel.SMS, Limit.perSecond(2).burst(1)).build(), false);
        List<MessageId> flood = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            flood.add(sms(ACME).send(text()));
        }
        sms(GLOBEX).send(text());

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(ACME) == 1 && delivered(GLOBEX) == 1);
        for (int step = 1; delivered(ACME) < 5; step++) {
            assertThat(step).as("half seconds to drain 5 SMS at 2 a second after a burst of 1").isLessThanOrEqualTo(4);
            clock.advance(Duration.ofMillis(500));
            int allowed = 1 + step;
            await().atMost(Duration.ofSeconds(20)).until(() -> delivered(ACME) == allowed);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> delivered(ACME) == allowed);
        }

        assertThat(flood).allSatisfy(id -> {
            assertThat(sms(ACME).get(id).status()).isEqualTo(SmsStatus.SENT);
            assertThat(sms(ACME).get(id).attempts()).isEqualTo(1);
        });
        assertThat(outboxAttempts(ACME)).containsOnly(1);
        assertThat(irisx.tenant(ACME).deadLetters(Channel.SMS, PageRequest.first(10)).items()).isEmpty();
    }

    private int delivered(TenantId tenant) {
        return (int) delivered.stream().filter(tenant::equals).count();
    }

    private long outboxRows(TenantId tenant) {
        return database.withConnection(connection -> {
            try (var select = connection.prepareStatement("SELECT COUNT(*) FROM irisx_outbox WHERE tenant_id = ?")) {
                select.setString(1, tenant.value());
                try (var rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private List<Integer> outboxAttempts(TenantId tenant) {
        return database.withConnection(connection -> {
            try (var select = connection.prepareStatement("SELECT attempts FROM irisx_outbox WHERE tenant_id = ?")) {
                select.setString(1, tenant.value());
                try (var rows = select.executeQuery()) {
                    List<Integer> attempts = new ArrayList<>();
                    while (rows.next()) {
                        attempts.add(rows.getInt(1));
                    }
                    return attempts;
                }
            }
        });
    }

    /** An email provider that accepts every email, noting its tenant. */
    private final class RecordingEmail implements EmailProvider {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public EmailReceipt send(OutgoingEmail email) {
            delivered.add(email.tenant());
            return new EmailReceipt("rec-" + email.id().value());
        }
    }

    /** An SMS provider that accepts every message, noting its tenant. */
    private final class RecordingSms implements SmsProvider {
        @Override
        public String name() {
            return "recording";
        }

        @Override
        public SmsReceipt send(OutgoingSms sms) {
            delivered.add(sms.tenant());
            return new SmsReceipt("SM" + sms.id().value(), "queued");
        }
    }
}

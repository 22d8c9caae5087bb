package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.InsufficientCreditException;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.credit.CreditLedger;
import io.irisx.core.credit.Reservation;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailFilter;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * A PREPAID tenant's sends hold their price from the send, are charged it when sent and get it back when they fail;
 * a send its credit cannot cover is refused and stores nothing; a POSTPAID tenant is never held. At the default
 * prices: $0.00009 an email, $0.0079 an SMS segment. On each database.
 */
@OnEachDialect
class PrepaidSendTest {

    private static final BigDecimal EMAIL = new BigDecimal("0.00009");
    private static final BigDecimal SEGMENT = new BigDecimal("0.0079");

    @Parameter
    Database.Dialect dialect;
    private MessagingFixture fixture;
    private Tenant acme;
    private CreditLedger credit;
    private EmailClient email;
    private SmsClient sms;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.of(dialect));
        acme = fixture.irisx.tenant("acme");
        credit = acme.credit();
        credit.setBillingMode(BillingMode.PREPAID);
        credit.topUp(new BigDecimal("0.10"), "top-up-1");
        email = EmailClient.of(acme);
        sms = SmsClient.of(acme);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static EmailMessage mail(String key) {
        return EmailMessage.builder().from("hello@acme.example").to("ada@example.com").subject("Hi").text("Hi")
                .idempotencyKey(key).build();
    }

    @Test
    void an_email_holds_its_price_until_sent_and_is_charged_it_once() {
        MessageId id = email.send(mail("k-1"));

        assertThat(credit.reservation(id.value() + ":EMAIL")).hasValueSatisfying(r -> {
            assertThat(r.amount()).isEqualByComparingTo(EMAIL);
            assertThat(r.status()).isEqualTo(Reservation.Status.OPEN);
        });
        assertThat(credit.balance().available()).isEqualByComparingTo(new BigDecimal("0.10").subtract(EMAIL));
        // The same send again holds nothing more.
        assertThat(email.send(mail("k-1"))).isEqualTo(id);
        assertThat(credit.balance().reserved()).isEqualByComparingTo(EMAIL);

        assertThat(fixture.emailStore.markSent(email.get(id), "resend", "re_1", 1, false, "accepted")).isTrue();
        assertThat(fixture.emailStore.markSent(email.get(id), "resend", "re_1", 1, false, "accepted")).isFalse();

        assertThat(credit.reservation(id.value() + ":EMAIL").orElseThrow().status())
                .isEqualTo(Reservation.Status.SETTLED);
        assertThat(credit.balance().balance()).isEqualByComparingTo(new BigDecimal("0.10").subtract(EMAIL));
        assertThat(credit.balance().reserved()).isZero();
    }

    @Test
    void an_sms_holds_the_price_of_its_segments_and_a_failed_one_gives_it_back() {
        String body = "x".repeat(161); // two GSM-7 segments
        MessageId id = sms.send(SmsMessage.builder().to("+447400123456").from("+447400654321").body(body).build());

        assertThat(credit.reservation(id.value() + ":SMS_SEGMENT").orElseThrow().amount())
                .isEqualByComparingTo(SEGMENT.multiply(BigDecimal.valueOf(2)));

        assertThat(fixture.smsStore.markFailed(sms.get(id), "twilio", 1, "21211 invalid number")).isTrue();
        assertThat(credit.reservation(id.value() + ":SMS_SEGMENT").orElseThrow().status())
                .isEqualTo(Reservation.Status.RELEASED);
        assertThat(credit.balance().available()).isEqualByComparingTo("0.10");
    }

    @Test
    void a_send_the_credit_cannot_cover_is_refused_and_nothing_is_stored() {
        credit.debit(new BigDecimal("0.10"), "spent");
        int events = fixture.events.size();

        assertThatThrownBy(() -> email.send(mail("k-2"))).isInstanceOfSatisfying(InsufficientCreditException.class,
                e -> {
                    assertThat(e.tenant()).isEqualTo(acme.id());
                    assertThat(e.needed()).isEqualByComparingTo(EMAIL);
                    assertThat(e.available()).isEqualByComparingTo("0");
                });
        assertThat(email.list(EmailFilter.all(), PageRequest.first(10)).items()).isEmpty();
        assertThat(fixture.events).hasSize(events);
    }

    @Test
    void a_postpaid_tenant_is_never_held() {
        EmailClient globex = fixture.emailClient("globex");
        MessageId id = globex.send(mail("k-3"));

        assertThat(fixture.irisx.tenant("globex").credit().reservation(id.value() + ":EMAIL")).isEmpty();
        assertThat(fixture.irisx.tenant("globex").credit().balance().reserved()).isZero();
    }
}

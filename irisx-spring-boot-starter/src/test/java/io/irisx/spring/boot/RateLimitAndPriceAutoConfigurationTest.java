package io.irisx.spring.boot;

import static io.irisx.spring.boot.Starter.propertyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.RateLimitedException;
import io.irisx.core.TenantId;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.core.ratelimit.RateLimits.Stage;
import io.irisx.core.usage.PriceList;
import io.irisx.core.usage.UsageUnit;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** How {@code irisx.rate-limits.*} and {@code irisx.prices.*} reach the runtime, and which values stop startup. */
class RateLimitAndPriceAutoConfigurationTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId BIGCO = TenantId.of("bigco");

    @TempDir
    Path data;

    private ApplicationContextRunner runner() {
        return Starter.runner(data);
    }

    private static RateLimits limits(Irisx irisx) {
        return irisx.rateLimiter().limits();
    }

    @Test
    void nothing_is_limited_and_irisx_prices_stand_unless_set() {
        runner().run(context -> {
            Irisx irisx = context.getBean(Irisx.class);
            assertThat(limits(irisx).isEmpty()).isTrue();
            assertThat(irisx.prices().priceList()).isEqualTo(PriceList.defaults());
        });
    }

    @Test
    void each_limit_reaches_its_stage_and_channel_with_tenant_overrides() {
        runner().withPropertyValues(
                "irisx.rate-limits.send.email=100/1s,burst=200",
                "irisx.rate-limits.send.SMS=10 / s",
                "irisx.rate-limits.delivery.sms=10000/1d",
                "irisx.rate-limits.delivery.webhooks=50/500ms",
                "irisx.rate-limits.delivery.voice=2/1m, burst = 1",
                "irisx.rate-limits.tenants.bigco.send.email=1000/1s",
                "irisx.rate-limits.tenants.bigco.delivery.sms=unlimited").run(context -> {
                    RateLimits limits = limits(context.getBean(Irisx.class));
                    assertThat(limits.limit(ACME, Channel.EMAIL, Stage.SEND))
                            .contains(Limit.perSecond(100).burst(200));
                    assertThat(limits.limit(ACME, Channel.SMS, Stage.SEND)).contains(Limit.perSecond(10));
                    assertThat(limits.limit(ACME, Channel.SMS, Stage.DELIVERY))
                            .contains(Limit.of(10_000, Duration.ofDays(1)));
                    assertThat(limits.limit(ACME, Channel.WEBHOOKS, Stage.DELIVERY))
                            .contains(Limit.of(50, Duration.ofMillis(500)));
                    assertThat(limits.limit(ACME, Channel.VOICE, Stage.DELIVERY))
                            .contains(Limit.perMinute(2).burst(1));
                    assertThat(limits.limit(ACME, Channel.EMAIL, Stage.DELIVERY)).isEmpty();
                    assertThat(limits.limit(BIGCO, Channel.EMAIL, Stage.SEND)).contains(Limit.perSecond(1000));
                    assertThat(limits.limit(BIGCO, Channel.SMS, Stage.DELIVERY)).isEmpty();
                    assertThat(limits.limit(BIGCO, Channel.SMS, Stage.SEND)).contains(Limit.perSecond(10));
                });
    }

    @Test
    void a_send_over_its_tenants_limit_is_refused_and_other_tenants_are_not_held_back() {
        runner().withPropertyValues("irisx.email.send-only=true", "irisx.rate-limits.send.email=1/1h,burst=2",
                "irisx.rate-limits.tenants.bigco.send.email=unlimited").run(context -> {
                    Irisx irisx = context.getBean(Irisx.class);
                    EmailClient acme = EmailClient.of(irisx.tenant(ACME));
                    acme.send(receipt());
                    acme.send(receipt());
                    assertThatThrownBy(() -> acme.send(receipt())).isInstanceOf(RateLimitedException.class);
                    EmailClient globex = EmailClient.of(irisx.tenant("globex"));
                    globex.send(receipt());
                    EmailClient bigco = EmailClient.of(irisx.tenant(BIGCO));
                    for (int i = 0; i < 5; i++) {
                        bigco.send(receipt());
                    }
                });
    }

    @Test
    void a_limit_not_in_the_format_is_refused_under_its_property() {
        assertRefused("irisx.rate-limits.send.email=100 per second", "irisx.rate-limits.send.email",
                "expected <tokens>/<period>[,burst=<tokens>] such as 100/1s,burst=200", "'100 per second'");
        assertRefused("irisx.rate-limits.send.email=100/1w", "irisx.rate-limits.send.email",
                "(the period in ms, s, m, h or d)", "'100/1w'");
        assertRefused("irisx.rate-limits.delivery.sms=100/1s,spike=3", "irisx.rate-limits.delivery.sms",
                "expected <tokens>", "spike=3");
        assertRefused("irisx.rate-limits.delivery.sms=100/1s,burst=3,burst=4", "irisx.rate-limits.delivery.sms",
                "expected <tokens>", "burst=4");
        assertRefused("irisx.rate-limits.send.email=", "irisx.rate-limits.send.email", "expected <tokens>", "''");
    }

    @Test
    void a_limit_irisx_refuses_is_reported_under_its_property() {
        assertRefused("irisx.rate-limits.send.email=0/1s", "irisx.rate-limits.send.email",
                "tokens must be between 1 and", "was 0");
        assertRefused("irisx.rate-limits.send.email=10/32d", "irisx.rate-limits.send.email",
                "period must be between 1 ms and 31 days", "PT768H");
        assertRefused("irisx.rate-limits.tenants.bigco.delivery.sms=10/1s,burst=0",
                "irisx.rate-limits.tenants.bigco.delivery.sms", "burst must be between 1 and", "was 0");
    }

    @Test
    void an_unknown_channel_an_unlimited_default_or_a_bad_tenant_is_refused() {
        assertRefused("irisx.rate-limits.send.fax=10/1s", "irisx.rate-limits.send.fax",
                "expected one of sms, email, webhooks, voice", "'fax'");
        assertRefused("irisx.rate-limits.send.email=unlimited", "irisx.rate-limits.send.email",
                "unlimited is for a tenant", "leave the default unset");
        assertRefused("irisx.rate-limits.tenants[Not A Tenant].send.email=10/1s",
                "irisx.rate-limits.tenants.Not A Tenant", "tenantId", "Not A Tenant");
    }

    @Test
    void prices_take_their_currency_and_unit_prices_with_irisx_defaults_for_the_rest() {
        runner().withPropertyValues("irisx.prices.currency=eur", "irisx.prices.unit-prices.email=0.00008",
                "irisx.prices.unit-prices.sms-segment=0.0072").run(context -> {
                    PriceList prices = context.getBean(Irisx.class).prices().priceList();
                    assertThat(prices.currency()).isEqualTo(Currency.getInstance("EUR"));
                    assertThat(prices.unitPrice(UsageUnit.EMAIL)).isEqualByComparingTo("0.00008");
                    assertThat(prices.unitPrice(UsageUnit.SMS_SEGMENT)).isEqualByComparingTo("0.0072");
                    assertThat(prices.unitPrice(UsageUnit.MMS))
                            .isEqualByComparingTo(PriceList.defaults().unitPrice(UsageUnit.MMS));
                });
    }

    @Test
    void a_bad_price_or_currency_is_refused_under_its_property() {
        assertRefused("irisx.prices.currency=EURO", "irisx.prices.currency", "ISO 4217", "'EURO'");
        assertRefused("irisx.prices.currency=XAU", "irisx.prices.currency", "no minor units", "XAU");
        assertRefused("irisx.prices.unit-prices.email=cheap", "irisx.prices.unit-prices.email",
                "expected a decimal price", "'cheap'");
        assertRefused("irisx.prices.unit-prices.fax=0.01", "irisx.prices.unit-prices.fax",
                "expected one of email, sms-segment", "'fax'");
        assertRefused("irisx.prices.unit-prices.mms=-0.01", "irisx.prices.unit-prices.mms", "-0.01");
    }

    private void assertRefused(String setting, String property, String... messageParts) {
        runner().withPropertyValues(setting).run(context -> {
            IrisxPropertyException failure = propertyFailure(context);
            assertThat(failure.property()).isEqualTo(property);
            assertThat(failure.getMessage()).contains(messageParts);
        });
    }

    private static EmailMessage receipt() {
        return EmailMessage.builder().from("billing@acme.example").to("ada@example.com").subject("Your receipt")
                .text("Thank you.").build();
    }
}

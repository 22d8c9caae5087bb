package io.irisx.core.credit.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.ProviderException;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.credit.TopUpIntent;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.ChildJvm;
import io.irisx.core.testing.TestDatabases;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Top-ups through Stripe: {@link StripePayments} creating PaymentIntents through stripe-java against
 * {@link LocalStripe}, a local server speaking Stripe's wire format as https://docs.stripe.com/api/payment_intents/create
 * documents it (a form-encoded {@code POST /v1/payment_intents} with bracketed metadata keys, Bearer authentication,
 * the {@code Idempotency-Key} header of https://docs.stripe.com/api/idempotent_requests; a PaymentIntent object in
 * JSON; errors as https://docs.stripe.com/api/errors describes them).
 */
class StripePaymentsTest {

    private static final String SECRET_KEY = "sk_test_51LocalStripeKey";

    private final LocalStripe stripe = new LocalStripe();
    private Database database;
    private Irisx irisx;
    private Tenant acme;
    private StripePayments payments;

    @BeforeEach
    void start() {
        database = TestDatabases.h2();
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1")).build();
        acme = irisx.tenant("acme");
        payments = StripePayments.builder(SECRET_KEY).apiBase(stripe.apiBase()).build();
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
        stripe.close();
    }

    @Test
    void a_top_up_creates_a_payment_intent_in_minor_units_tagged_with_the_tenant_and_records_it_as_the_tenants() {
        TopUpIntent intent = acme.credit().requestTopUp(payments, new BigDecimal("20.00"), "order-1");

        assertThat(intent.provider()).isEqualTo("stripe");
        assertThat(intent.paymentId()).startsWith("pi_");
        assertThat(intent.clientSecret().reveal()).isEqualTo(intent.paymentId() + "_secret_Yr4kJUKribcBjcG8");
        assertThat(intent.toString()).doesNotContain("_secret_");
        assertThat(intent.amount()).isEqualTo(new BigDecimal("20.00"));
        assertThat(intent.currency()).isEqualTo(Currency.getInstance("USD"));

        LocalStripe.Received request = stripe.received().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/payment_intents");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + SECRET_KEY);
        assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.header("Idempotency-Key")).isEqualTo("irisx-topup:acme:order-1");
        assertThat(request.header("Stripe-Version")).isNotEmpty();
        assertThat(request.form()).containsEntry("amount", List.of("2000")).containsEntry("currency", List.of("usd"))
                .containsEntry("metadata[irisx_tenant]", List.of("acme"))
                .containsEntry("automatic_payment_methods[enabled]", List.of("true"));
        assertThat(recordedTenant(intent.paymentId())).isEqualTo("acme");

        // A retry of the same request is the same PaymentIntent; another request is another.
        assertThat(acme.credit().requestTopUp(payments, new BigDecimal("20.00"), "order-1").paymentId())
                .isEqualTo(intent.paymentId());
        assertThat(acme.credit().requestTopUp(payments, new BigDecimal("5"), "order-2").paymentId())
                .isNotEqualTo(intent.paymentId());
        assertThat(stripe.received().get(2).form()).containsEntry("amount", List.of("500"));
    }

    @Test
    void amounts_go_in_the_ledger_currencys_minor_units_and_long_request_keys_are_hashed_to_stripes_limit() {
        // "irisx-topup:" + tenant + ":" + request key: 12 + 60 + 1 + 200 characters.
        Tenant yen = irisx.tenant("yen-" + "t".repeat(56));
        yen.credit().setCurrency(Currency.getInstance("JPY"));
        yen.credit().requestTopUp(payments, new BigDecimal("1500"), "k".repeat(200));

        LocalStripe.Received request = stripe.received().get(0);
        assertThat(request.form()).containsEntry("amount", List.of("1500")).containsEntry("currency", List.of("jpy"));
        assertThat(request.header("Idempotency-Key")).hasSize(64).matches("[0-9a-f]{64}");
        assertThatThrownBy(() -> yen.credit().requestTopUp(payments, new BigDecimal("10.5"), "x"))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field())
                        .isEqualTo("amount"));
        assertThatThrownBy(() -> acme.credit().requestTopUp(payments, new BigDecimal("0"), "x"))
                .isInstanceOf(IrisxValidationException.class);
        assertThat(stripe.received()).hasSize(1);
    }

    @Test
    void stripes_refusals_become_provider_exceptions_with_status_and_request_id_and_record_nothing() {
        stripe.failNext(new LocalStripe.Failure(400, "invalid_request_error", "amount_too_small",
                "Amount must be at least $0.50 usd"));
        assertThatThrownBy(() -> acme.credit().requestTopUp(payments, new BigDecimal("0.10"), "order-1"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.provider()).isEqualTo("stripe");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.requestId()).contains("req_1LocalStripe");
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getMessage()).contains("Amount must be at least $0.50 usd")
                            .doesNotContain(SECRET_KEY);
                });

        stripe.failNext(new LocalStripe.Failure(500, "api_error", "", "Something went wrong on Stripe's end."));
        assertThatThrownBy(() -> acme.credit().requestTopUp(payments, new BigDecimal("10.00"), "order-2"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.isRetryable()).isTrue();
                });

        stripe.failNext(new LocalStripe.Failure(429, "invalid_request_error", "rate_limit", "Too many requests"));
        assertThatThrownBy(() -> acme.credit().requestTopUp(payments, new BigDecimal("10.00"), "order-3"))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.isRetryable()).isTrue());

        StripePayments unreachable = StripePayments.builder(SECRET_KEY).apiBase("http://127.0.0.1:9")
                .timeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> acme.credit().requestTopUp(unreachable, new BigDecimal("10.00"), "order-4"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.statusCode()).isZero();
                    assertThat(e.isRetryable()).isTrue();
                });
        assertThat(payments(TenantId.of("acme"))).isZero();
    }

    @Test
    void the_builders_check_each_setting_at_once_and_never_show_a_key() {
        assertThatThrownBy(() -> StripePayments.builder("pk_test_publishable"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sk_")
                .hasMessageNotContaining("pk_test_publishable");
        assertThatThrownBy(() -> StripePayments.builder(SECRET_KEY).apiBase("ftp://stripe.example"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StripePayments.builder(SECRET_KEY).apiBase("https://api.stripe.com/v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no path");
        assertThatThrownBy(() -> StripePayments.builder(SECRET_KEY).timeout(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StripePayments.builder(SECRET_KEY).maxNetworkRetries(6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StripeWebhooks.builder(irisx, "not-a-secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not-a-secret");
        assertThatThrownBy(() -> StripeWebhooks.builder(irisx, "whsec_abcdefgh").tolerance(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(payments.toString()).doesNotContain(SECRET_KEY);
    }

    @Test
    void without_stripe_java_on_the_class_path_the_builder_names_the_artifact_to_add() {
        try (ChildJvm host = ChildJvm.startWithout("no-stripe", "stripe-java", NoStripeMain.class)) {
            String line = host.awaitLine("refused ", Duration.ofMinutes(1));
            assertThat(line).contains("IllegalStateException", "the stripe payment provider needs",
                    "com.stripe:stripe-java", "add the dependency", "com.stripe.StripeClient");
        }
    }

    private String recordedTenant(String paymentId) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT tenant_id FROM irisx_credit_payments"
                    + " WHERE provider = 'stripe' AND payment_id = ?")) {
                select.setString(1, paymentId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    private long payments(TenantId tenant) {
        return database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM irisx_credit_payments"
                    + " WHERE tenant_id = ?")) {
                select.setString(1, tenant.value());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}

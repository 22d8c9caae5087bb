package io.irisx.core.credit.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.credit.CreditEntry;
import io.irisx.core.credit.EntryKind;
import io.irisx.core.credit.TopUpIntent;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.LogCapture;
import io.irisx.testing.MutableClock;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Stripe's webhook applied to the tenants' credit, on each database. Events are built as
 * https://docs.stripe.com/api/events/object shows them, with the objects of https://docs.stripe.com/api/payment_intents/object,
 * https://docs.stripe.com/api/charges/object and https://docs.stripe.com/api/disputes/object, and signed here,
 * independently of stripe-java, as https://docs.stripe.com/webhooks#verify-manually describes: the
 * {@code Stripe-Signature} header {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">}, keyed with the
 * endpoint's {@code whsec_…} secret.
 */
@OnEachDialect
class StripeWebhooksTest {

    private static final String SIGNING_SECRET = "whsec_test_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    @Parameter
    Database.Dialect dialect;
    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    private final LocalStripe stripe = new LocalStripe();
    private Database database;
    private Irisx irisx;
    private Tenant acme;
    private StripeWebhooks webhooks;
    private TopUpIntent intent;

    @BeforeEach
    void start() {
        database = TestDatabases.of(dialect);
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1")).clock(clock)
                .build();
        acme = irisx.tenant("acme");
        webhooks = StripeWebhooks.builder(irisx, SIGNING_SECRET).build();
        StripePayments payments = StripePayments.builder("sk_test_51LocalStripeKey").apiBase(stripe.apiBase())
                .build();
        intent = acme.credit().requestTopUp(payments, new BigDecimal("20.00"), "order-1");
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
        stripe.close();
    }

    @Test
    void a_succeeded_payment_intent_credits_its_tenant_once_however_often_stripe_sends_it() {
        String event = event("evt_1", "payment_intent.succeeded", paymentIntent(intent.paymentId(), 2000, "usd",
                "acme"));

        CallbackResponse first = webhooks.handle(signed(event));
        clock.advance(Duration.ofMinutes(1));
        CallbackResponse retried = webhooks.handle(signed(event));
        // Stripe may also send the same payment's success in another event.
        webhooks.handle(signed(event("evt_2", "payment_intent.succeeded", paymentIntent(intent.paymentId(), 2000,
                "usd", "acme"))));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.bodyText()).isEqualTo("credited");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(acme.credit().balance().balance()).isEqualTo(new BigDecimal("20.00"));
        List<CreditEntry> entries = acme.credit().entries(PageRequest.first()).items();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).kind()).isEqualTo(EntryKind.TOP_UP);
        assertThat(entries.get(0).reference()).isEqualTo(intent.paymentId());
        assertThat(entries.get(0).note()).contains("stripe evt_1");
    }

    @Test
    void retries_delivered_at_once_by_many_threads_credit_once() throws Exception {
        String event = event("evt_1", "payment_intent.succeeded", paymentIntent(intent.paymentId(), 2000, "usd",
                "acme"));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<CallbackResponse>> running = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                running.add(pool.submit(() -> {
                    start.await();
                    return webhooks.handle(signed(event));
                }));
            }
            start.countDown();
            for (Future<CallbackResponse> response : running) {
                assertThat(response.get(1, TimeUnit.MINUTES).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(acme.credit().balance().balance()).isEqualTo(new BigDecimal("20.00"));
        assertThat(acme.credit().entries(PageRequest.first()).items()).hasSize(1);
    }

    @Test
    void a_database_failure_is_answered_500_so_that_stripe_retries_and_its_retry_credits() {
        String event = event("evt_1", "payment_intent.succeeded", paymentIntent(intent.paymentId(), 2000, "usd",
                "acme"));
        execute("ALTER TABLE irisx_credit_entries RENAME TO irisx_credit_entries_away");
        CallbackResponse failed = webhooks.handle(signed(event));
        execute("ALTER TABLE irisx_credit_entries_away RENAME TO irisx_credit_entries");

        assertThat(failed.status()).isEqualTo(500);
        assertThat(webhooks.handle(signed(event)).bodyText()).isEqualTo("credited");
        assertThat(acme.credit().balance().balance()).isEqualTo(new BigDecimal("20.00"));
    }

    @Test
    void forged_stale_unsigned_tampered_and_malformed_requests_are_refused_and_change_nothing() {
        String event = event("evt_1", "payment_intent.succeeded", paymentIntent(intent.paymentId(), 2000, "usd",
                "acme"));
        long now = clock.instant().getEpochSecond();

        try (LogCapture logs = LogCapture.start()) {
            assertThat(webhooks.handle(post(event, sign(event, now, "whsec_another_endpoints_secret"))).status())
                    .isEqualTo(400);
            CallbackResponse stale = webhooks.handle(post(event, sign(event, now - 301, SIGNING_SECRET)));
            assertThat(stale.status()).isEqualTo(400);
            assertThat(stale.bodyText()).contains("tolerance");
            assertThat(webhooks.handle(post(event, "")).status()).isEqualTo(400);
            assertThat(webhooks.handle(post(event.replace("2000", "9000"), sign(event, now, SIGNING_SECRET)))
                    .status()).isEqualTo(400);
            String notJson = "not an event";
            assertThat(webhooks.handle(post(notJson, sign(notJson, now, SIGNING_SECRET))).status()).isEqualTo(400);
            String noAmount = event("evt_3", "payment_intent.succeeded", "{\"id\": \"" + intent.paymentId()
                    + "\", \"object\": \"payment_intent\", \"currency\": \"usd\"}");
            assertThat(webhooks.handle(signed(noAmount)).status()).isEqualTo(400);
            CallbackResponse get = webhooks.handle(new CallbackRequest("GET", "/hooks/stripe", Map.of(),
                    new byte[0]));
            assertThat(get.status()).isEqualTo(405);
            assertThat(get.headers()).containsEntry("Allow", "POST");

            assertThat(webhooks.refused()).isEqualTo(7);
            assertThat(logs.lines("io.irisx.core.credit")).noneMatch(line -> line.contains(SIGNING_SECRET)
                    || line.contains("amount_received"));
        }
        // Within the tolerance, the stale event's signature holds.
        assertThat(webhooks.handle(post(event, sign(event, now - 299, SIGNING_SECRET))).status()).isEqualTo(200);
        assertThat(acme.credit().balance().balance()).isEqualTo(new BigDecimal("20.00"));
    }

    @Test
    void an_event_naming_another_tenant_or_currency_or_a_payment_irisx_did_not_ask_for_credits_nothing() {
        try (LogCapture logs = LogCapture.start()) {
            CallbackResponse mismatch = webhooks.handle(signed(event("evt_1", "payment_intent.succeeded",
                    paymentIntent(intent.paymentId(), 2000, "usd", "globex"))));
            CallbackResponse currency = webhooks.handle(signed(event("evt_2", "payment_intent.succeeded",
                    paymentIntent(intent.paymentId(), 2000, "eur", "acme"))));
            CallbackResponse unknown = webhooks.handle(signed(event("evt_3", "payment_intent.succeeded",
                    paymentIntent("pi_3NotAskedByIrisx", 5000, "usd", ""))));
            CallbackResponse other = webhooks.handle(signed(event("evt_4", "customer.created",
                    "{\"id\": \"cus_1\", \"object\": \"customer\"}")));

            assertThat(List.of(mismatch, currency, unknown, other)).extracting(CallbackResponse::status)
                    .containsOnly(200);
            assertThat(mismatch.bodyText()).isEqualTo("tenant mismatch");
            assertThat(currency.bodyText()).isEqualTo("currency mismatch");
            assertThat(unknown.bodyText()).isEqualTo("ignored");
            assertThat(other.bodyText()).isEqualTo("ignored");
            assertThat(logs.lines("ERROR", "io.irisx.core.credit")).hasSize(2).allMatch(line -> line.contains("evt_")
                    && line.contains(intent.paymentId()));
        }
        assertThat(acme.credit().entries(PageRequest.first()).items()).isEmpty();
        assertThat(irisx.tenant("globex").credit().entries(PageRequest.first()).items()).isEmpty();
    }

    @Test
    void refunds_and_disputes_debit_the_tenant_once_each_whatever_order_and_repeats_they_come_in() {
        webhooks.handle(signed(event("evt_1", "payment_intent.succeeded", paymentIntent(intent.paymentId(), 2000,
                "usd", "acme"))));
        String partly = event("evt_2", "charge.refunded", charge("ch_1", intent.paymentId(), 500));
        String more = event("evt_3", "charge.refunded", charge("ch_1", intent.paymentId(), 1200));
        String dispute = event("evt_4", "charge.dispute.created", "{\"id\": \"dp_1\", \"object\": \"dispute\","
                + " \"amount\": 800, \"charge\": \"ch_1\", \"currency\": \"usd\", \"metadata\": {},"
                + " \"payment_intent\": \"" + intent.paymentId() + "\", \"reason\": \"fraudulent\","
                + " \"status\": \"needs_response\"}");

        assertThat(webhooks.handle(signed(partly)).bodyText()).isEqualTo("debited");
        assertThat(webhooks.handle(signed(partly)).bodyText()).isEqualTo("debited before");
        assertThat(acme.credit().balance().balance()).isEqualTo(new BigDecimal("15.00"));
        assertThat(webhooks.handle(signed(more)).bodyText()).isEqualTo("debited");
        // The first refund's event, late: Stripe's total of 5.00 was debited already.
        assertThat(webhooks.handle(signed(partly)).bodyText()).isEqualTo("debited before");
        assertThat(webhooks.handle(signed(dispute)).bodyText()).isEqualTo("debited");
        webhooks.handle(signed(dispute));

        assertThat(acme.credit().balance().balance()).isEqualTo(new BigDecimal("0.00"));
        List<CreditEntry> entries = acme.credit().entries(PageRequest.first()).items();
        assertThat(entries).extracting(CreditEntry::kind).containsExactly(EntryKind.TOP_UP, EntryKind.REFUND,
                EntryKind.REFUND, EntryKind.DISPUTE);
        assertThat(entries).extracting(CreditEntry::amount).containsExactly(new BigDecimal("20.00"),
                new BigDecimal("-5.00"), new BigDecimal("-7.00"), new BigDecimal("-8.00"));
        assertThat(entries.get(3).reference()).isEqualTo("dp_1");

        // The dispute won: its amount comes back, once.
        String won = event("evt_6", "charge.dispute.funds_reinstated", "{\"id\": \"dp_1\", \"object\": \"dispute\","
                + " \"amount\": 800, \"charge\": \"ch_1\", \"currency\": \"usd\", \"metadata\": {},"
                + " \"payment_intent\": \"" + intent.paymentId() + "\", \"reason\": \"fraudulent\","
                + " \"status\": \"won\"}");
        assertThat(webhooks.handle(signed(won)).bodyText()).isEqualTo("credited");
        webhooks.handle(signed(won));
        assertThat(acme.credit().balance().balance()).isEqualTo(new BigDecimal("8.00"));
        assertThat(acme.credit().entries(PageRequest.first()).items()).extracting(CreditEntry::kind)
                .endsWith(EntryKind.DISPUTE, EntryKind.ADJUSTMENT);

        // A refund of a charge with no PaymentIntent, or of a payment IRISX did not ask for, is not the tenant's.
        assertThat(webhooks.handle(signed(event("evt_5", "charge.refunded", charge("ch_2", "pi_3NotAskedByIrisx",
                100)))).bodyText()).isEqualTo("ignored");
        assertThat(acme.credit().balance().balance()).isEqualTo(new BigDecimal("8.00"));
    }

    private void execute(String sql) {
        database.withConnection(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }

    private static String paymentIntent(String id, long amount, String currency, String tenant) {
        return "{\"id\": \"" + id + "\", \"object\": \"payment_intent\", \"amount\": " + amount + ","
                + " \"amount_received\": " + amount + ", \"currency\": \"" + currency + "\", \"latest_charge\":"
                + " \"ch_1\", \"livemode\": false, \"metadata\": " + (tenant.isEmpty() ? "{}"
                        : "{\"irisx_tenant\": \"" + tenant + "\"}") + ", \"status\": \"succeeded\"}";
    }

    private static String charge(String id, String paymentIntent, long amountRefunded) {
        return "{\"id\": \"" + id + "\", \"object\": \"charge\", \"amount\": 2000, \"amount_captured\": 2000,"
                + " \"amount_refunded\": " + amountRefunded + ", \"captured\": true, \"currency\": \"usd\","
                + " \"metadata\": {}, \"paid\": true, \"payment_intent\": \"" + paymentIntent + "\", \"refunded\": "
                + (amountRefunded == 2000) + ", \"status\": \"succeeded\"}";
    }

    private String event(String id, String type, String object) {
        return "{\n  \"id\": \"" + id + "\",\n  \"object\": \"event\",\n  \"api_version\": \"2026-07-29.dahlia\",\n"
                + "  \"created\": " + clock.instant().getEpochSecond() + ",\n  \"data\": {\n    \"object\": " + object
                + "\n  },\n  \"livemode\": false,\n  \"pending_webhooks\": 1,\n  \"request\": {\"id\": null,"
                + " \"idempotency_key\": null},\n  \"type\": \"" + type + "\"\n}";
    }

    private CallbackRequest signed(String payload) {
        return post(payload, sign(payload, clock.instant().getEpochSecond(), SIGNING_SECRET));
    }

    private static CallbackRequest post(String payload, String signature) {
        Map<String, List<String>> headers = signature.isEmpty() ? Map.of("Content-Type", List.of("application/json"))
                : Map.of("Content-Type", List.of("application/json"), "Stripe-Signature", List.of(signature));
        return new CallbackRequest("POST", "/hooks/stripe", "", headers, payload.getBytes(StandardCharsets.UTF_8),
                "127.0.0.1");
    }

    /** Stripe's scheme, computed here: {@code t=<t>,v1=<hex HMAC-SHA256("<t>.<payload>")>} keyed with the secret. */
    private static String sign(String payload, long timestamp, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

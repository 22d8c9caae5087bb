package io.irisx.core.credit.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.ConflictException;
import io.irisx.core.Irisx;
import io.irisx.core.TenantId;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.credit.EntryKind;
import io.irisx.core.credit.internal.CreditStore;
import io.irisx.core.credit.internal.PaymentSdk;
import io.irisx.core.internal.Json;
import io.irisx.core.internal.ThrottledLog;
import io.irisx.core.secret.Secret;
import io.irisx.core.store.Database;
import io.irisx.core.store.StoreException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of the host's Stripe webhook endpoint, free of any web framework: the host mounts {@link #handle} at
 * the endpoint's URL, passing each request in and writing the response out; thread-safe. One handler serves every
 * tenant of the runtime: each event is matched to the tenant whose top-up it concerns.
 *
 * <p>Each request's {@code Stripe-Signature} header ({@code t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">}, keyed with the endpoint's signing secret {@code whsec_…}) is checked by stripe-java's
 * {@code Webhook.constructEvent}, its timestamp no older than the tolerance (five minutes unless configured) by the
 * runtime's clock. Another method is answered 405; a missing, forged or stale signature, or a body that is not an event, 400.
 * None of them changes anything, and each is counted ({@link #refused}) and logged (WARN at most a few times a
 * minute, never the body nor the secret).
 *
 * <p>The events:
 * <ul>
 *   <li>{@code payment_intent.succeeded}: credits the {@code amount_received} (in the currency's minor units) to the
 *       ledger of the tenant that {@linkplain io.irisx.core.credit.CreditLedger#requestTopUp asked} for that
 *       PaymentIntent, as a {@code TOP_UP} keyed by the PaymentIntent's id — so once, however often Stripe sends it.
 *   <li>{@code charge.refunded}: debits a {@code REFUND} of what the charge's {@code amount_refunded} (Stripe's total
 *       refunded so far, as the charge carries since API version 2022-11-15 no list of its refunds) exceeds the refunds
 *       already debited for its PaymentIntent, keyed by the charge id and that total — so each refund once, and an
 *       older event arriving late debits nothing.
 *   <li>{@code charge.dispute.created}: debits a {@code DISPUTE} of the dispute's {@code amount}, keyed by the
 *       dispute's id.
 *   <li>{@code charge.dispute.funds_reinstated} (the dispute was won): credits the dispute's {@code amount} back as
 *       an {@code ADJUSTMENT} keyed {@code dispute-won:} and the dispute's id — once.
 * </ul>
 * An event's tenant is the one recorded with its PaymentIntent; when the object's metadata names a tenant
 * ({@value StripePayments#TENANT_METADATA}), it must be the same, and the currency must be the ledger's. An event
 * that fails these checks credits nothing and is logged at ERROR with its ids; an event of a PaymentIntent IRISX did
 * not ask for (the host's other payments on the same account) and every other type are acknowledged and ignored. A
 * request that passes the signature check is answered 200, so that Stripe does not retry it; a database failure is
 * answered 500, so that it does.
 */
public final class StripeWebhooks {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhooks.class);

    private final Database database;
    private final Clock clock;
    private final Secret signingSecret;
    private final Duration tolerance;
    private final ThrottledLog throttled = ThrottledLog.of(log, 6);
    private final AtomicLong refused = new AtomicLong();

    private StripeWebhooks(Builder builder) {
        this.database = builder.irisx.database();
        this.clock = builder.irisx.clock();
        this.signingSecret = builder.signingSecret;
        this.tolerance = builder.tolerance;
    }

    /**
     * A builder for the handler of {@code irisx}'s tenants' top-ups, checking signatures with the endpoint's signing
     * secret ({@code whsec_…}, as Stripe shows it).
     *
     * @throws IllegalArgumentException when the secret does not start {@code whsec_} (it is not shown)
     * @throws IllegalStateException when stripe-java is not on the class path, naming the artifact to add
     */
    public static Builder builder(Irisx irisx, String signingSecret) {
        PaymentSdk.require(StripePayments.NAME, "stripe-java", StripePayments.SDK_CLASSES);
        return new Builder(irisx, signingSecret);
    }

    /** Handles one request of Stripe's webhook: checks it and applies its event to the tenant's credit ledger. */
    public CallbackResponse handle(CallbackRequest request) {
        Objects.requireNonNull(request, "request");
        if (!request.is("POST")) {
            return refuse(request, 405, "only POST is accepted");
        }
        StripeSignatures.Verified event;
        try {
            event = StripeSignatures.verify(new String(request.body(), StandardCharsets.UTF_8),
                    request.header("Stripe-Signature"), signingSecret, tolerance, clock);
        } catch (StripeSignatures.Refused e) {
            return refuse(request, 400, e.getMessage() + " (" + tolerance.toSeconds() + " s tolerance)");
        }
        JsonNode object;
        try {
            object = Json.read(event.object());
        } catch (RuntimeException e) {
            return refuse(request, 400, "event " + event.id() + " has a data.object that is not JSON");
        }
        String outcome;
        try {
            outcome = switch (event.type()) {
                case "payment_intent.succeeded" -> succeeded(event.id(), object);
                case "charge.refunded" -> refunded(event.id(), object);
                case "charge.dispute.created" -> disputed(event.id(), object);
                case "charge.dispute.funds_reinstated" -> reinstated(event.id(), object);
                default -> "ignored";
            };
        } catch (Malformed e) {
            return refuse(request, 400, "event " + event.id() + " (" + event.type() + "): " + e.getMessage());
        } catch (StoreException e) {
            log.error("irisx: Stripe event {} ({}) could not be applied, answered 500 for Stripe to retry it: {}",
                    event.id(), event.type(), e.getMessage());
            return CallbackResponse.text(500, "the event could not be applied now; retry it");
        }
        return CallbackResponse.text(200, outcome);
    }

    /** How many requests this handler refused. */
    public long refused() {
        return refused.get();
    }

    private String succeeded(String eventId, JsonNode intent) throws Malformed {
        String paymentId = text(intent, "id");
        Currency currency = currency(intent);
        long received = intent.hasNonNull("amount_received") ? number(intent, "amount_received")
                : number(intent, "amount");
        return apply(eventId, paymentId, metadataTenant(intent), currency, (connection, payment) -> {
            BigDecimal amount = BigDecimal.valueOf(received, currency.getDefaultFractionDigits());
            if (amount.signum() <= 0) {
                return "nothing received";
            }
            if (amount.compareTo(payment.amount()) != 0) {
                log.warn("irisx: Stripe PaymentIntent {} of tenant {} received {} {}, not the {} asked; crediting what"
                        + " was received", paymentId, payment.tenant(), amount.toPlainString(), currency,
                        payment.amount().toPlainString());
            }
            CreditStore.post(connection, payment.tenant(), EntryKind.TOP_UP, amount, paymentId,
                    Optional.of("stripe " + eventId), Optional.of(paymentId), clock.instant());
            return "credited";
        });
    }

    private String refunded(String eventId, JsonNode charge) throws Malformed {
        String chargeId = text(charge, "id");
        Optional<String> paymentId = optionalText(charge, "payment_intent");
        if (paymentId.isEmpty()) {
            return "ignored";
        }
        Currency currency = currency(charge);
        long total = number(charge, "amount_refunded");
        return apply(eventId, paymentId.get(), metadataTenant(charge), currency, (connection, payment) -> {
            BigDecimal refunded = BigDecimal.valueOf(total, currency.getDefaultFractionDigits());
            BigDecimal owed = refunded.subtract(CreditStore.taken(connection, payment.tenant(), EntryKind.REFUND,
                    payment.paymentId()));
            if (owed.signum() <= 0) {
                return "debited before";
            }
            CreditStore.post(connection, payment.tenant(), EntryKind.REFUND, owed.negate(), chargeId + ":refunded:"
                    + total, Optional.of("stripe " + eventId), Optional.of(payment.paymentId()), clock.instant());
            return "debited";
        });
    }

    /** A dispute opened: its amount is debited, keyed by the dispute's id. */
    private String disputed(String eventId, JsonNode dispute) throws Malformed {
        return disputeEntry(eventId, dispute, EntryKind.DISPUTE, -1, "", "", "debited");
    }

    /** A dispute won: its amount is credited back, keyed by the dispute's id. */
    private String reinstated(String eventId, JsonNode dispute) throws Malformed {
        return disputeEntry(eventId, dispute, EntryKind.ADJUSTMENT, 1, "dispute-won:",
                ": dispute won, funds reinstated", "credited");
    }

    /**
     * Posts the {@code kind} entry of a dispute's {@code amount}, with {@code sign}, under {@code prefix} and the
     * dispute's id, to the tenant of its PaymentIntent; "ignored" when the dispute names no PaymentIntent.
     */
    private String disputeEntry(String eventId, JsonNode dispute, EntryKind kind, int sign, String prefix,
            String note, String done) throws Malformed {
        String disputeId = text(dispute, "id");
        Optional<String> paymentId = optionalText(dispute, "payment_intent");
        if (paymentId.isEmpty()) {
            return "ignored";
        }
        Currency currency = currency(dispute);
        long amount = number(dispute, "amount");
        return apply(eventId, paymentId.get(), metadataTenant(dispute), currency, (connection, payment) -> {
            BigDecimal value = BigDecimal.valueOf(sign * amount, currency.getDefaultFractionDigits());
            CreditStore.post(connection, payment.tenant(), kind, value, prefix + disputeId,
                    Optional.of("stripe " + eventId + note), Optional.of(payment.paymentId()), clock.instant());
            return done;
        });
    }

    private interface Change {
        String apply(Connection connection, CreditStore.Payment payment) throws SQLException;
    }

    /** Finds the payment's tenant, checks the event against it, and applies {@code change} under its account lock. */
    private String apply(String eventId, String paymentId, Optional<String> metadataTenant, Currency currency,
            Change change) {
        return database.inTransaction(connection -> {
            Optional<CreditStore.Payment> found = CreditStore.payment(connection, StripePayments.NAME, paymentId);
            if (found.isEmpty()) {
                if (metadataTenant.isPresent()) {
                    log.warn("irisx: Stripe event {} names tenant {} but PaymentIntent {} is not a top-up IRISX"
                            + " asked for; nothing changed", eventId, metadataTenant.get(), paymentId);
                } else {
                    log.debug("irisx: Stripe event {} is of PaymentIntent {}, not a top-up; ignored", eventId,
                            paymentId);
                }
                return "ignored";
            }
            CreditStore.Payment payment = found.get();
            TenantId tenant = payment.tenant();
            if (metadataTenant.isPresent() && !metadataTenant.get().equals(tenant.value())) {
                log.error("irisx: Stripe event {} names tenant {} in its metadata, but PaymentIntent {} is a top-up of"
                        + " tenant {}; nothing changed", eventId, metadataTenant.get(), paymentId, tenant);
                return "tenant mismatch";
            }
            CreditStore.Account account = CreditStore.lockAccount(connection, tenant, clock.instant());
            if (!currency.equals(payment.currency()) || !currency.equals(account.currency())) {
                log.error("irisx: Stripe event {} of PaymentIntent {} is in {}, but the top-up of tenant {} was asked"
                        + " in {} and its ledger is in {}; nothing changed", eventId, paymentId, currency, tenant,
                        payment.currency(), account.currency());
                return "currency mismatch";
            }
            try {
                String outcome = change.apply(connection, payment);
                log.info("irisx: Stripe event {} of PaymentIntent {}: tenant {} {}", eventId, paymentId, tenant,
                        outcome);
                return outcome;
            } catch (ConflictException e) {
                log.error("irisx: Stripe event {} of PaymentIntent {} conflicts with tenant {}'s ledger; nothing"
                        + " changed: {}", eventId, paymentId, tenant, e.getMessage());
                return "conflict";
            }
        });
    }

    private CallbackResponse refuse(CallbackRequest request, int status, String reason) {
        long total = refused.incrementAndGet();
        throttled.warn("refused", "irisx: Stripe webhook refused a {} request from {} with {}: {} ({} refused in all)",
                request.method(), request.remoteAddress().isEmpty() ? "an unknown address" : request.remoteAddress(),
                status, reason, total);
        return status == 405 ? new CallbackResponse(405, Map.of("Allow", "POST"), new byte[0])
                : CallbackResponse.text(status, reason);
    }

    /** A field the event must have is missing or of the wrong type. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private static String text(JsonNode object, String field) throws Malformed {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new Malformed("data.object." + field + " is missing or not text");
        }
        return value.asText();
    }

    private static Optional<String> optionalText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText())
                : Optional.empty();
    }

    private static long number(JsonNode object, String field) throws Malformed {
        JsonNode value = object.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new Malformed("data.object." + field + " is missing or not a count of minor units");
        }
        return value.asLong();
    }

    private static Currency currency(JsonNode object) throws Malformed {
        String code = text(object, "currency");
        try {
            Currency currency = Currency.getInstance(code.toUpperCase(Locale.ROOT));
            if (currency.getDefaultFractionDigits() < 0) {
                throw new Malformed("data.object.currency '" + code + "' has no minor units");
            }
            return currency;
        } catch (IllegalArgumentException e) {
            throw new Malformed("data.object.currency '" + code + "' is not an ISO 4217 code");
        }
    }

    private static Optional<String> metadataTenant(JsonNode object) {
        JsonNode metadata = object.get("metadata");
        return metadata == null || !metadata.isObject() ? Optional.empty()
                : optionalText(metadata, StripePayments.TENANT_METADATA);
    }

    @Override
    public String toString() {
        return "StripeWebhooks[tolerance=" + tolerance + "]";
    }

    /** Builds {@link StripeWebhooks}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Irisx irisx;
        private final Secret signingSecret;
        private Duration tolerance = Duration.ofMinutes(5);

        private Builder(Irisx irisx, String signingSecret) {
            this.irisx = Objects.requireNonNull(irisx, "irisx");
            Objects.requireNonNull(signingSecret, "signingSecret");
            if (!signingSecret.startsWith("whsec_") || signingSecret.length() < 10) {
                throw new IllegalArgumentException("signingSecret must be the endpoint's signing secret, whsec_…;"
                        + " was a value of " + signingSecret.length() + " characters (not shown)");
            }
            this.signingSecret = Secret.of(signingSecret);
        }

        /** How old the signed timestamp may be by the runtime's clock: 1 second to 1 day (default 5 minutes). */
        public Builder tolerance(Duration tolerance) {
            Objects.requireNonNull(tolerance, "tolerance");
            if (tolerance.compareTo(Duration.ofSeconds(1)) < 0 || tolerance.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("tolerance must be between 1 second and 1 day, was " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /** The handler; the builder may be used again. */
        public StripeWebhooks build() {
            return new StripeWebhooks(this);
        }
    }
}

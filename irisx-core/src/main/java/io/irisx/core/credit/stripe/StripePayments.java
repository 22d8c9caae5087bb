package io.irisx.core.credit.stripe;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.credit.TopUpIntent;
import io.irisx.core.credit.internal.Amounts;
import io.irisx.core.credit.internal.PaymentSdk;
import io.irisx.core.credit.spi.PaymentProvider;
import io.irisx.core.secret.Secret;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Top-ups through Stripe, with stripe-java (an optional dependency: {@code com.stripe:stripe-java}); thread-safe,
 * built once and shared. Given to {@link io.irisx.core.credit.CreditLedger#requestTopUp}, it creates a PaymentIntent
 * ({@code POST /v1/payment_intents}) for the amount in the currency's minor units (cents), with automatic payment
 * methods, the tenant's id in its metadata ({@value #TENANT_METADATA}) and the request's idempotency key (its SHA-256
 * when longer than Stripe's 255 characters), and returns its client secret for the payer's browser. Stripe's answer
 * to a failure becomes a {@link ProviderException} with its status and request id, retryable for no answer, 409, 429
 * and 5xx. {@link StripeWebhooks} credits the ledger when the payment succeeds.
 *
 * <p>Amounts are in the ISO 4217 minor units of the currency, which is what Stripe expects for all but a few
 * currencies (its "special cases", such as HUF and ISK): give those ledgers another currency.
 */
public final class StripePayments implements PaymentProvider {

    /** This provider's name, as stored beside its payments. */
    public static final String NAME = "stripe";
    /** The PaymentIntent metadata key that holds the tenant's id. */
    public static final String TENANT_METADATA = "irisx_tenant";
    static final String DEFAULT_API_BASE = "https://api.stripe.com";
    /** What the provider loads from stripe-java and the jar it brings (Gson). */
    static final List<String> SDK_CLASSES = List.of("com.stripe.StripeClient", "com.stripe.net.Webhook",
            "com.google.gson.JsonParser");
    private static final Logger log = LoggerFactory.getLogger(StripePayments.class);
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final String apiBase;
    private final Duration timeout;
    private final StripeCalls calls;

    private StripePayments(Builder builder) {
        this.apiBase = builder.apiBase;
        this.timeout = builder.timeout;
        this.calls = new StripeCalls(builder.secretKey, builder.apiBase, builder.timeout, builder.maxNetworkRetries);
    }

    /**
     * A builder for a provider that calls Stripe with {@code secretKey} (a secret key {@code sk_…} or a restricted
     * key {@code rk_…} that may write PaymentIntents).
     *
     * @throws IllegalArgumentException when the key does not start {@code sk_} or {@code rk_} (it is not shown)
     * @throws IllegalStateException when stripe-java is not on the class path, naming the artifact to add
     */
    public static Builder builder(String secretKey) {
        PaymentSdk.require(NAME, "stripe-java", SDK_CLASSES);
        return new Builder(secretKey);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Creates a PaymentIntent for a top-up of {@code amount} {@code currency} of {@code tenant}'s credit.
     *
     * @throws IrisxValidationException when the amount is not positive or has more digits than the currency's
     *     minor units
     * @throws ProviderException when Stripe refuses or cannot be reached
     */
    @Override
    public TopUpIntent createTopUp(TenantId tenant, BigDecimal amount, Currency currency, String idempotencyKey) {
        Objects.requireNonNull(tenant, "tenant");
        Amounts.currency(currency);
        Amounts.money("amount", amount, currency, false);
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        long minorUnits = amount.movePointRight(currency.getDefaultFractionDigits()).longValueExact();
        try {
            TopUpIntent intent = calls.createPaymentIntent(tenant, minorUnits, currency, key(idempotencyKey));
            log.info("irisx: Stripe PaymentIntent {} created for a top-up of tenant {}", intent.paymentId(), tenant);
            return intent;
        } catch (ProviderException e) {
            log.warn("irisx: Stripe refused a top-up of tenant {} (status {}, request {}): {}", tenant,
                    e.statusCode(), e.requestId().orElse("none"), e.getMessage());
            throw e;
        }
    }

    private static String key(String idempotencyKey) {
        if (idempotencyKey.length() <= MAX_IDEMPOTENCY_KEY) {
            return idempotencyKey;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(idempotencyKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "StripePayments[apiBase=" + apiBase + ", timeout=" + timeout + "]";
    }

    /** Builds {@link StripePayments}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Secret secretKey;
        private String apiBase = DEFAULT_API_BASE;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxNetworkRetries;

        private Builder(String secretKey) {
            Objects.requireNonNull(secretKey, "secretKey");
            if (!(secretKey.startsWith("sk_") || secretKey.startsWith("rk_")) || secretKey.length() < 8) {
                throw new IllegalArgumentException("secretKey must be a Stripe secret key (sk_…) or restricted key"
                        + " (rk_…); was a value of " + secretKey.length() + " characters (not shown)");
            }
            this.secretKey = Secret.of(secretKey);
        }

        /** Where Stripe's API is (default {@code https://api.stripe.com}): an http or https URL with no path. */
        public Builder apiBase(String apiBase) {
            Objects.requireNonNull(apiBase, "apiBase");
            URI uri;
            try {
                uri = URI.create(apiBase);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("apiBase must be an http or https URL, was '" + apiBase + "'", e);
            }
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()))
                    || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("apiBase must be an http or https URL with no path, was '"
                        + apiBase + "'");
            }
            this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
            return this;
        }

        /** How long to wait to connect, and then for the answer: 1 second to 2 minutes (default 30 seconds). */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(2)) > 0) {
                throw new IllegalArgumentException("timeout must be between 1 second and 2 minutes, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * How many times stripe-java retries a request that got no answer, a 409 or a 5xx, with the same idempotency
         * key, 0 to 5 (default 0: the caller retries, with the same request key).
         */
        public Builder maxNetworkRetries(int maxNetworkRetries) {
            if (maxNetworkRetries < 0 || maxNetworkRetries > 5) {
                throw new IllegalArgumentException("maxNetworkRetries must be between 0 and 5, was "
                        + maxNetworkRetries);
            }
            this.maxNetworkRetries = maxNetworkRetries;
            return this;
        }

        /** The provider; the builder may be used again. */
        public StripePayments build() {
            return new StripePayments(this);
        }
    }
}

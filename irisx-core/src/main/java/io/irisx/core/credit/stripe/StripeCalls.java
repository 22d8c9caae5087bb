package io.irisx.core.credit.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.credit.TopUpIntent;
import io.irisx.core.secret.Secret;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.Locale;

/**
 * The calls {@link StripePayments} makes through stripe-java, kept apart so that the public class names no SDK type
 * and loads without the SDK (its builder then says which jar to add); thread-safe, as the SDK's client is.
 */
final class StripeCalls {

    private final StripeClient client;

    StripeCalls(Secret secretKey, String apiBase, Duration timeout, int maxNetworkRetries) {
        this.client = StripeClient.builder().setApiKey(secretKey.reveal()).setApiBase(apiBase)
                .setConnectTimeout((int) timeout.toMillis()).setReadTimeout((int) timeout.toMillis())
                .setMaxNetworkRetries(maxNetworkRetries).build();
    }

    /** Creates the PaymentIntent of a top-up: {@code POST /v1/payment_intents}, form-encoded, with the key. */
    TopUpIntent createPaymentIntent(TenantId tenant, long minorUnits, Currency currency, String idempotencyKey) {
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(minorUnits)
                .setCurrency(currency.getCurrencyCode().toLowerCase(Locale.ROOT))
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                        .setEnabled(true).build())
                .setDescription("Credit top-up of " + tenant)
                .putMetadata(StripePayments.TENANT_METADATA, tenant.value())
                .build();
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
        PaymentIntent intent;
        try {
            intent = client.v1().paymentIntents().create(params, options);
        } catch (StripeException e) {
            throw failure(e);
        }
        if (intent.getId() == null || intent.getClientSecret() == null || intent.getAmount() == null
                || intent.getCurrency() == null) {
            throw new ProviderException(StripePayments.NAME, 200, intent.getLastResponse() == null ? null
                    : intent.getLastResponse().requestId(), false, "the PaymentIntent answered lacks its id, client"
                    + " secret, amount or currency");
        }
        Currency answered = Currency.getInstance(intent.getCurrency().toUpperCase(Locale.ROOT));
        return new TopUpIntent(StripePayments.NAME, intent.getId(), Secret.of(intent.getClientSecret()),
                BigDecimal.valueOf(intent.getAmount(), answered.getDefaultFractionDigits()), answered);
    }

    private static ProviderException failure(StripeException e) {
        Integer status = e.getStatusCode();
        int code = status == null || e instanceof ApiConnectionException ? 0 : status;
        // Stripe's advice: retry on no answer, 409 (a concurrent request with the key), 429 and 5xx.
        boolean retryable = code == 0 || code == 409 || code == 429 || code >= 500;
        String message = e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getType() + ": " + e.getStripeError().getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new ProviderException(StripePayments.NAME, code, e.getRequestId(), retryable, message, e);
    }
}

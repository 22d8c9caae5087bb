package io.irisx.core.credit;

import io.irisx.core.secret.Secret;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * A top-up a payment provider is ready to take: the payer completes it in the provider's page or widget (Stripe's
 * Payment Element, given the client secret), and the provider's webhook credits the tenant's ledger once it is paid;
 * immutable.
 *
 * @param provider the provider's name, e.g. {@code stripe}
 * @param paymentId the provider's payment id (a Stripe PaymentIntent's {@code pi_…})
 * @param clientSecret what the payer's browser needs to pay it; shown to that payer only, never logged
 * @param amount what it will credit
 * @param currency the ledger's currency
 */
public record TopUpIntent(String provider, String paymentId, Secret clientSecret, BigDecimal amount,
        Currency currency) {

    /** Checks that nothing is missing. */
    public TopUpIntent {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }
}

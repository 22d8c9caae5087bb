package io.irisx.core.credit.spi;

import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.credit.TopUpIntent;
import java.math.BigDecimal;
import java.util.Currency;

/**
 * A payment provider that takes tenants' top-ups (Stripe: {@link io.irisx.core.credit.stripe.StripePayments}); an
 * implementation is thread-safe. IRISX calls it from {@link io.irisx.core.credit.CreditLedger#requestTopUp}, which
 * checks the amount first and records the returned payment as the tenant's; the provider's webhook later credits the
 * ledger once the payment succeeds.
 */
public interface PaymentProvider {

    /** The provider's name, as stored beside each payment: lowercase, e.g. {@code stripe}. */
    String name();

    /**
     * Asks the provider for a payment of {@code amount} {@code currency} that tops {@code tenant}'s credit up, tagged
     * with the tenant so that its webhook can be matched to it.
     *
     * @param tenant whose credit the payment buys
     * @param amount the amount, positive, at most the currency's minor-unit digits
     * @param currency the tenant's ledger currency
     * @param idempotencyKey the same for a retry of the same request, so the provider makes one payment of both
     * @return the payment, with what the payer needs to complete it
     * @throws ProviderException when the provider refuses or cannot be reached
     */
    TopUpIntent createTopUp(TenantId tenant, BigDecimal amount, Currency currency, String idempotencyKey);
}

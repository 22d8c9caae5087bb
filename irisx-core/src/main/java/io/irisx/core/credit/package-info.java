/**
 * Prepaid credit: each tenant's {@link io.irisx.core.credit.BillingMode billing mode} and append-only
 * {@link io.irisx.core.credit.CreditLedger credit ledger} ({@code tenant.credit()}), whose balance is derived from
 * its entries; the reservations a channel takes in its send transaction ({@link io.irisx.core.credit.SendCredit});
 * and top-ups through a {@link io.irisx.core.credit.spi.PaymentProvider payment provider} such as
 * {@link io.irisx.core.credit.stripe.StripePayments Stripe}.
 */
package io.irisx.core.credit;

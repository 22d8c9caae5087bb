/**
 * Prepaid top-ups through Stripe, with the optional {@code com.stripe:stripe-java} SDK:
 * {@link io.irisx.core.credit.stripe.StripePayments} creates a PaymentIntent for a top-up, and
 * {@link io.irisx.core.credit.stripe.StripeWebhooks} credits the tenant's ledger once it succeeds, and debits refunds
 * and disputes.
 */
package io.irisx.core.credit.stripe;

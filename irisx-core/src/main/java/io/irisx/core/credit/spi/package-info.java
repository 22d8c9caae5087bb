/**
 * The contract of a payment provider that takes tenants' top-ups: {@link io.irisx.core.credit.spi.PaymentProvider}.
 */
package io.irisx.core.credit.spi;

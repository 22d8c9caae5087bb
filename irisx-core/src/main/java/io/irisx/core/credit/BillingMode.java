package io.irisx.core.credit;

/** How a tenant pays for what it sends. */
public enum BillingMode {
    /**
     * It pays ahead: each send reserves its price from the tenant's credit and is refused with
     * {@link io.irisx.core.InsufficientCreditException} when the available credit does not cover it.
     */
    PREPAID,
    /** It is billed after the fact, from its metered usage; its sends reserve nothing. The default. */
    POSTPAID
}

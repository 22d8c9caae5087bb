package io.irisx.core.credit;

/** What a {@link CreditEntry} records. */
public enum EntryKind {
    /** Credit paid in (a payment provider's top-up, or one the host records): adds to the balance. */
    TOP_UP,
    /** A send's price held back: adds to the reserved credit, leaves the balance. */
    RESERVATION,
    /** A charge: a settled reservation (which it also un-holds) or a direct debit; takes from the balance. */
    DEBIT,
    /** A reservation given back unspent (the send failed): takes from the reserved credit, leaves the balance. */
    RELEASE,
    /** Paid-in credit returned to the payer: takes from the balance. */
    REFUND,
    /** Paid-in credit the payer disputed with their bank (a chargeback): takes from the balance. */
    DISPUTE,
    /** A correction by the host, either way. */
    ADJUSTMENT
}

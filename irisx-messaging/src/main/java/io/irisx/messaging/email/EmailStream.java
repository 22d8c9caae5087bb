package io.irisx.messaging.email;

/**
 * The stream an email belongs to. Each stream has its own suppression list: a recipient who unsubscribed from
 * marketing still gets its receipts and password resets; one who bounced hard or complained is suppressed on both.
 */
public enum EmailStream {
    /** Mail the recipient's own action asks for: receipts, password resets, notifications. The default. */
    TRANSACTIONAL,
    /** Mail sent to a list: newsletters, campaigns. It carries one-click unsubscribe headers. */
    MARKETING
}

package io.irisx.messaging.email;

import java.time.Instant;
import java.util.Objects;

/**
 * An address on a tenant's suppression list for one stream: no email of that stream is sent to it; immutable.
 *
 * @param address the address, in lower case
 * @param stream the stream it is suppressed on
 * @param reason why
 * @param source what put it there: the provider and its event id, the unsubscribe link, an import; empty when added
 *     by hand
 * @param detail the bounce's diagnostic, the complaint, or the tenant's note
 * @param createdAt since when
 */
public record Suppression(String address, EmailStream stream, Reason reason, String source, String detail,
        Instant createdAt) {

    /** Why an address is suppressed. */
    public enum Reason {
        /** A provider reported a hard bounce: the mailbox does not exist. Suppressed on both streams. */
        HARD_BOUNCE,
        /** The recipient marked an email as spam. Suppressed on both streams. */
        COMPLAINT,
        /** The recipient unsubscribed, by the email's link or through the provider. Suppressed on that stream. */
        UNSUBSCRIBE,
        /** The tenant added it, by hand or by import. */
        MANUAL
    }

    /** Checks that nothing is missing. */
    public Suppression {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}

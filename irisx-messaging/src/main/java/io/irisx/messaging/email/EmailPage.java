package io.irisx.messaging.email;

import io.irisx.core.id.MessageId;
import java.util.List;
import java.util.Optional;

/**
 * One page of a tenant's emails, newest first; immutable.
 *
 * @param items the emails
 * @param next the cursor for the next page, when there is one
 */
public record EmailPage(List<Email> items, Optional<MessageId> next) {

    /** Copies the list. */
    public EmailPage {
        items = List.copyOf(items);
    }
}

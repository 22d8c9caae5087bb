package io.irisx.messaging.email;

import io.irisx.core.SuppressedRecipientException;
import io.irisx.core.TenantId;
import java.util.Optional;

/**
 * Decides, before an email is stored, whether a recipient may be sent to (a suppression list, an unsubscribe list);
 * implementations are thread-safe. A recipient refused makes {@link EmailClient#send} throw
 * {@link SuppressedRecipientException}, and nothing is stored or sent.
 */
@FunctionalInterface
public interface RecipientFilter {

    /** Why {@code recipient} may not be sent {@code tenant}'s emails, or empty when it may. */
    Optional<String> refusal(TenantId tenant, EmailAddress recipient);

    /** A filter that refuses no one. */
    static RecipientFilter none() {
        return (tenant, recipient) -> Optional.empty();
    }
}

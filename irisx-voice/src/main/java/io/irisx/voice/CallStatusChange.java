package io.irisx.voice;

import io.irisx.core.id.EventId;
import java.time.Instant;
import java.util.Optional;

/**
 * A status a call reached, as its history keeps it; immutable. A call reaches each status once.
 *
 * @param id the id of the {@code call.*} event emitted for it
 * @param status the status reached
 * @param providerStatus the provider's own status word that moved it there, when a provider's report did
 * @param detail what happened, in words
 * @param occurredAt when
 */
public record CallStatusChange(EventId id, CallStatus status, Optional<String> providerStatus, String detail,
        Instant occurredAt) {
}

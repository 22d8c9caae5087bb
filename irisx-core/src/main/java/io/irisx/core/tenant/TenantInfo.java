package io.irisx.core.tenant;

import io.irisx.core.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant the host registered, as stored; immutable.
 *
 * @param id its id
 * @param name its name, for people
 * @param status whether it may send
 * @param suspendedReason why it is suspended, while it is
 * @param metadata the host's own labels (a plan, an account number)
 * @param createdAt when it was registered
 * @param updatedAt when it last changed
 */
public record TenantInfo(TenantId id, String name, TenantStatus status, Optional<String> suspendedReason,
        Map<String, String> metadata, Instant createdAt, Instant updatedAt) {

    /** Copies the metadata; checks that nothing is missing. */
    public TenantInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(suspendedReason, "suspendedReason");
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}

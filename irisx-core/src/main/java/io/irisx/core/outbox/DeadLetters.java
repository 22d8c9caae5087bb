package io.irisx.core.outbox;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import java.util.List;
import java.util.Optional;

/** The dead letters of an {@link Outbox}, tenant by tenant: list, look up, replay and purge; thread-safe. */
public interface DeadLetters {

    /**
     * Up to {@code limit} (1 to 1000) of the tenant's dead letters on {@code channel}, oldest message first (in
     * message id order, which is creation order), after the message {@code after} when given: pass the last id of a
     * page to get the next.
     */
    List<DeadLetter> list(TenantId tenant, Channel channel, int limit, Optional<MessageId> after);

    /** The tenant's dead letter for {@code id}, if there is one. */
    Optional<DeadLetter> find(TenantId tenant, MessageId id);

    /** Queues the dead letter's envelope again, with its tries reset; false when the tenant has no such dead letter. */
    boolean replay(TenantId tenant, MessageId id);

    /** Deletes the dead letter for good; false when the tenant has no such dead letter. */
    boolean purge(TenantId tenant, MessageId id);
}

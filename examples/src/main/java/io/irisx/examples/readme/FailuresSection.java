package io.irisx.examples.readme;

import io.irisx.core.Channel;
import io.irisx.core.Irisx;
import io.irisx.core.health.Health;
import io.irisx.core.outbox.Backlog;
import org.slf4j.Logger;

/** The README's "When something fails"; stateless and thread-safe. */
public final class FailuresSection {

    private FailuresSection() {
    }

    /** What the block read: the runtime's health and the EMAIL channel's backlog. */
    public record Observed(Health health, Backlog.ChannelBacklog email) {
    }

    /** Reads {@code irisx}'s health and EMAIL backlog, and logs to {@code log} the work held longest by a worker. */
    public static Observed healthAndBacklog(Irisx irisx, Logger log) {
        // README:begin health-and-backlog
        Health health = irisx.health();                 // e.g. DEGRADED: backlog.email: 120 pending (most overdue 95 s), …
        Backlog.ChannelBacklog email = irisx.backlog().of(Channel.EMAIL);
        email.longestInFlight().forEach(work -> log.info("{} held by {} since {}: {}", work.envelope(), work.owner(),
                work.claimedAt(), work.lastError().orElse("first attempt")));
        // README:end
        return new Observed(health, email);
    }
}

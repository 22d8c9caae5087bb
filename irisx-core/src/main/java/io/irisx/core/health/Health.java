package io.irisx.core.health;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The runtime's health at one moment: each check's status and what it found, and the worst of them. Immutable and
 * thread-safe. A host serves {@link #status()} as readiness: {@link Status#DOWN} means IRISX cannot do its work
 * (the database or the broker is unreachable), {@link Status#DEGRADED} that it works but falls behind or fails over
 * (work overdue, a relay lagging, a provider's circuit open).
 *
 * @param status the worst status of the checks ({@link Status#UP} when there are none)
 * @param checks every check, in the order they were made
 */
public record Health(Status status, List<Check> checks) {

    /** Checks every field. */
    public Health {
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
    }

    /** The health made of {@code checks}: their worst status. */
    public static Health of(List<Check> checks) {
        Status worst = checks.stream().map(Check::status).max(Comparator.naturalOrder()).orElse(Status.UP);
        return new Health(worst, checks);
    }

    /** How a part is, from best to worst. */
    public enum Status {
        /** Working. */
        UP,
        /** Working, but behind or failing over: worth an alert, not taking the process out of service. */
        DEGRADED,
        /** Not working. */
        DOWN
    }

    /**
     * What one check found.
     *
     * @param name the check's name, e.g. {@code database}, {@code backlog.email}
     * @param status its status
     * @param detail what it found, for a person (never a secret)
     */
    public record Check(String name, Status status, String detail) {

        /** Checks every field. */
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }

        /** A check that found its part working. */
        public static Check up(String name, String detail) {
            return new Check(name, Status.UP, detail);
        }
    }
}

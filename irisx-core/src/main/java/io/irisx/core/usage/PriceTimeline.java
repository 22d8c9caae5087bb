package io.irisx.core.usage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The prices of one unit for one tenant over time: the tenant's own latest version on each day, else the latest
 * default version, else the price list's. Immutable.
 */
final class PriceTimeline {

    /** The days {@code from} to {@code to} (included) over which one price applies. */
    record Span(LocalDate from, LocalDate to, PriceVersion price) {
    }

    private final PriceVersion listed;
    private final List<PriceVersion> defaults;
    private final List<PriceVersion> tenant;

    /** The timeline of {@code listed}, then the {@code defaults} and {@code tenant} versions, each oldest first. */
    PriceTimeline(PriceVersion listed, List<PriceVersion> defaults, List<PriceVersion> tenant) {
        this.listed = listed;
        this.defaults = List.copyOf(defaults);
        this.tenant = List.copyOf(tenant);
    }

    /** The price that applies on {@code day}. */
    PriceVersion on(LocalDate day) {
        return latest(tenant, day).or(() -> latest(defaults, day)).orElse(listed);
    }

    /** The days {@code from} to {@code to} (included), split where the price changes, in order. */
    List<Span> spans(LocalDate from, LocalDate to) {
        TreeSet<LocalDate> starts = new TreeSet<>();
        starts.add(from);
        for (List<PriceVersion> versions : List.of(defaults, tenant)) {
            for (PriceVersion version : versions) {
                if (version.effectiveFrom().isAfter(from) && !version.effectiveFrom().isAfter(to)) {
                    starts.add(version.effectiveFrom());
                }
            }
        }
        List<Span> spans = new ArrayList<>();
        for (LocalDate start : starts) {
            LocalDate next = starts.higher(start);
            LocalDate end = next == null ? to : next.minusDays(1);
            PriceVersion price = on(start);
            if (!spans.isEmpty() && spans.get(spans.size() - 1).price().equals(price)) {
                // A default changed while the tenant's own price held: one span still.
                Span last = spans.remove(spans.size() - 1);
                spans.add(new Span(last.from(), end, price));
            } else {
                spans.add(new Span(start, end, price));
            }
        }
        return spans;
    }

    private static Optional<PriceVersion> latest(List<PriceVersion> versions, LocalDate day) {
        PriceVersion found = null;
        for (PriceVersion version : versions) {
            if (!version.effectiveFrom().isAfter(day)) {
                found = version;
            }
        }
        return Optional.ofNullable(found);
    }
}

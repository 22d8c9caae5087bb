package io.irisx.reference;

import io.irisx.core.PageRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Objects;

/**
 * The query parameters the routes share: {@code cursor} and {@code limit} of a listing (IRISX's {@link PageRequest};
 * a page answers {@code {"items": […], "nextCursor": "…"}}), and the parsing of times, days and enum values, each
 * refused with an {@link InvalidValueException} naming the parameter or member (its {@code field}).
 */
final class Paging {

    static final int DEFAULT_LIMIT = 50;
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z");

    private Paging() {
    }

    static PageRequest page(String cursor, Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > PageRequest.MAX_LIMIT) {
            throw new InvalidValueException("limit", Integer.toString(size), "limit must be between 1 and "
                    + PageRequest.MAX_LIMIT + ", was " + size);
        }
        return cursor == null || cursor.isBlank() ? PageRequest.first(size) : PageRequest.after(cursor, size);
    }

    static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(name, value, name
                    + " must be an ISO-8601 instant such as 2030-01-31T12:00:00Z, was " + value);
        }
    }

    /**
     * A listing's creation window from its {@code createdFrom} (inclusive) and {@code createdTo} (exclusive)
     * parameters, an open end reaching the epoch or the year 9999; empty when neither is given.
     */
    static Optional<Window> created(String createdFrom, String createdTo) {
        if (createdFrom == null && createdTo == null) {
            return Optional.empty();
        }
        Instant from = createdFrom == null ? Instant.EPOCH : instant("createdFrom", createdFrom);
        Instant to = createdTo == null ? END_OF_TIME : instant("createdTo", createdTo);
        if (!from.isBefore(to)) {
            throw new InvalidValueException("createdTo", createdTo, "createdTo must be after createdFrom ("
                    + from + "), was " + to);
        }
        return Optional.of(new Window(from, to));
    }

    /** From (inclusive) to (exclusive). */
    record Window(Instant from, Instant to) {
    }

    /** The values of a repeated enum parameter (as {@link #enumValue}), in order; empty when none is given. */
    static <E extends Enum<E>> List<E> enumValues(Class<E> type, String name, List<String> values) {
        return values == null ? List.of() : values.stream().map(value -> enumValue(type, name, value)).toList();
    }

    static LocalDate day(String name, String value) {
        try {
            return LocalDate.parse(Objects.requireNonNull(value, name));
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(name, value, name + " must be a day such as 2030-01-31, was " + value);
        }
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String name, String value) {
        if (value == null) {
            throw new InvalidValueException(name, null, name + " is required");
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(name, value, name + " must be one of " + java.util.Arrays.toString(
                    type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", was " + value);
        }
    }

    static <T> T required(T value, String name) {
        if (value == null || value instanceof String text && text.isBlank()) {
            throw new InvalidValueException(name, null, name + " is required");
        }
        return value;
    }
}

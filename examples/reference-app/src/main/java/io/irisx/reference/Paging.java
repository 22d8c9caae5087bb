package io.irisx.reference;

import io.irisx.core.PageRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * The query parameters the routes share: {@code cursor} and {@code limit} of a listing (IRISX's {@link PageRequest};
 * a page answers {@code {"items": […], "nextCursor": "…"}}), and the parsing of times, days and enum values, each
 * refused with an {@link IllegalArgumentException} naming the parameter.
 */
final class Paging {

    static final int DEFAULT_LIMIT = 50;

    private Paging() {
    }

    static PageRequest page(String cursor, Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > PageRequest.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + PageRequest.MAX_LIMIT + ", was " + size);
        }
        return cursor == null || cursor.isBlank() ? PageRequest.first(size) : PageRequest.after(cursor, size);
    }

    static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2030-01-31T12:00:00Z, was "
                    + value);
        }
    }

    static LocalDate day(String name, String value) {
        try {
            return LocalDate.parse(Objects.requireNonNull(value, name));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a day such as 2030-01-31, was " + value);
        }
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be one of " + java.util.Arrays.toString(
                    type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", was " + value);
        }
    }

    static <T> T required(T value, String name) {
        if (value == null || value instanceof String text && text.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}

package io.irisx.core;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which page of a listing to return: at most {@code limit} items, after the cursor of the previous page; immutable.
 *
 * @param after the previous page's {@link Page#nextCursor()}, or empty for the first page
 * @param limit the most items on the page, 1 to {@value #MAX_LIMIT}
 */
public record PageRequest(Optional<String> after, int limit) {

    /** The largest page. */
    public static final int MAX_LIMIT = 500;
    /** The page size of {@link #first()}. */
    public static final int DEFAULT_LIMIT = 50;

    /** Checks the limit. */
    public PageRequest {
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** The first page, of {@value #DEFAULT_LIMIT} items. */
    public static PageRequest first() {
        return first(DEFAULT_LIMIT);
    }

    /** The first page, of at most {@code limit} items. */
    public static PageRequest first(int limit) {
        return new PageRequest(Optional.empty(), limit);
    }

    /** The page after {@code cursor} (a previous page's {@link Page#nextCursor()}), of at most {@code limit} items. */
    public static PageRequest after(String cursor, int limit) {
        return new PageRequest(Optional.of(Objects.requireNonNull(cursor, "cursor")), limit);
    }

    /**
     * The cursor read by {@code parse} (such as {@code MessageId::parse}); empty for a first page.
     *
     * @throws IrisxValidationException naming {@code after} when the cursor is not one of this listing's
     */
    public <I> Optional<I> cursor(Function<String, I> parse) {
        if (after.isEmpty()) {
            return Optional.empty();
        }
        String cursor = after.get();
        try {
            return Optional.of(parse.apply(cursor));
        } catch (IrisxValidationException e) {
            throw new IrisxValidationException("after", cursor, "is not a cursor of this listing; pass a previous "
                    + "page's nextCursor");
        }
    }
}

package io.irisx.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a listing, the one shape every IRISX listing returns; immutable.
 *
 * @param items the items, in the listing's order
 * @param nextCursor the cursor for {@link PageRequest#after(String, int)} that gives the next page; empty on the
 *     last page
 * @param <T> the items' type
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {

    /** Checks every field and keeps an immutable copy of the items. */
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }

    /**
     * The page {@code request} asked for, from {@code fetched}: a listing reads one item more than the page holds,
     * so that a page of exactly {@code limit} items knows whether more follow. The cursor is the last item's
     * {@code cursor}.
     */
    public static <T> Page<T> of(List<T> fetched, PageRequest request, Function<T, String> cursor) {
        if (fetched.size() <= request.limit()) {
            return new Page<>(fetched, Optional.empty());
        }
        List<T> items = fetched.subList(0, request.limit());
        return new Page<>(items, Optional.of(cursor.apply(items.get(items.size() - 1))));
    }

    /** Whether another page follows. */
    public boolean hasMore() {
        return nextCursor.isPresent();
    }
}

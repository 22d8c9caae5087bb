package io.irisx.webhooks.endpoint;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing; immutable.
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

    /** Whether another page follows. */
    public boolean hasMore() {
        return nextCursor.isPresent();
    }
}

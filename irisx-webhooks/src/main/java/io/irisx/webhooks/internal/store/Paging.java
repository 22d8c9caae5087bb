package io.irisx.webhooks.internal.store;

import io.irisx.core.IrisxValidationException;
import io.irisx.webhooks.endpoint.Page;
import io.irisx.webhooks.endpoint.PageRequest;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Cursor paging over id-ordered listings: read one item more than the page holds, to know whether more follow. */
public final class Paging {

    private Paging() {
    }

    /** The id after which {@code page} starts, read by {@code parse}; empty for a first page. */
    public static <I> Optional<I> cursor(PageRequest page, Function<String, I> parse) {
        if (page.after().isEmpty()) {
            return Optional.empty();
        }
        String cursor = page.after().get();
        try {
            return Optional.of(parse.apply(cursor));
        } catch (IrisxValidationException e) {
            throw new IrisxValidationException("after", cursor, "is not a cursor of this listing; pass a previous "
                    + "page's nextCursor");
        }
    }

    /** The page of the first {@code page.limit()} of {@code fetched} (which holds one more when more follow). */
    public static <T> Page<T> page(List<T> fetched, PageRequest page, Function<T, String> id) {
        if (fetched.size() <= page.limit()) {
            return new Page<>(fetched, Optional.empty());
        }
        List<T> items = fetched.subList(0, page.limit());
        return new Page<>(items, Optional.of(id.apply(items.get(items.size() - 1))));
    }
}

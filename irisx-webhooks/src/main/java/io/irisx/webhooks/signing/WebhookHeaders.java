package io.irisx.webhooks.signing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The three Standard Webhooks headers of one signed webhook; immutable and thread-safe.
 *
 * @param id the {@code webhook-id}
 * @param timestamp the {@code webhook-timestamp}, unix seconds
 * @param signature the {@code webhook-signature}: one {@code v1,…} or {@code v1a,…} signature per key, separated by
 *        spaces
 */
public record WebhookHeaders(String id, long timestamp, String signature) {

    /** The name of the id header. */
    public static final String ID = "webhook-id";
    /** The name of the timestamp header. */
    public static final String TIMESTAMP = "webhook-timestamp";
    /** The name of the signature header. */
    public static final String SIGNATURE = "webhook-signature";

    public WebhookHeaders {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(signature, "signature");
    }

    /** The headers by name, in the order id, timestamp, signature; unmodifiable. */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put(ID, List.of(id));
        map.put(TIMESTAMP, List.of(Long.toString(timestamp)));
        map.put(SIGNATURE, List.of(signature));
        return Collections.unmodifiableMap(map);
    }
}

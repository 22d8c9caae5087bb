package io.irisx.examples.readme;

import java.util.List;
import java.util.Map;

/**
 * A webhook as the customer's receiver got it, from whatever HTTP server it runs: the request's headers and its raw
 * body, the two things a {@code WebhookVerifier} checks. Implementations must be thread-safe.
 */
public interface ReceivedWebhook {

    /** The request's headers, by name. */
    Map<String, List<String>> headers();

    /** The request's body, byte for byte as it arrived. */
    byte[] body();
}

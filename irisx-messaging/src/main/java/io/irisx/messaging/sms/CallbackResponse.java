package io.irisx.messaging.sms;

import java.util.Map;
import java.util.Objects;

/**
 * What the host answers a provider's callback with: status, headers and body; immutable.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body, empty for none
 */
public record CallbackResponse(int status, Map<String, String> headers, String body) {

    /** Copies the headers. */
    public CallbackResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A response of {@code status} with a plain-text reason. */
    public static CallbackResponse text(int status, String reason) {
        return new CallbackResponse(status, Map.of("Content-Type", "text/plain; charset=utf-8"), reason);
    }
}

package io.irisx.core.callback;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What the host answers a provider's or a recipient's request with: status, headers and body; immutable.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body, empty for none
 */
public record CallbackResponse(int status, Map<String, String> headers, byte[] body) {

    /** Copies the headers and the body. */
    public CallbackResponse {
        headers = Map.copyOf(headers);
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** A response of {@code status} with {@code body} as UTF-8 text of {@code contentType}. */
    public static CallbackResponse of(int status, String contentType, String body) {
        return new CallbackResponse(status, Map.of("Content-Type", contentType),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A response of {@code status} with a plain-text reason. */
    public static CallbackResponse text(int status, String reason) {
        return of(status, "text/plain; charset=utf-8", reason);
    }

    /** A response of {@code status} with no body. */
    public static CallbackResponse empty(int status) {
        return new CallbackResponse(status, Map.of(), new byte[0]);
    }

    /** A 302 redirect to {@code location}, not to be cached. */
    public static CallbackResponse redirect(String location) {
        return new CallbackResponse(302, Map.of("Location", location, "Cache-Control", "no-store"), new byte[0]);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CallbackResponse[" + status + ", " + body.length + " bytes]";
    }
}

package io.irisx.messaging.sms;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An HTTP request from a provider, as the host's web framework received it: method, headers and the raw body;
 * immutable. The host builds one in its controller and hands it to a callback handler.
 *
 * @param method the HTTP method
 * @param headers the request headers (names in any case)
 * @param body the raw body
 */
public record CallbackRequest(String method, Map<String, List<String>> headers, byte[] body) {

    /** Copies the headers, with case-insensitive names, and the body. */
    public CallbackRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body.clone();
    }

    /** A POST with a form body, as providers send their callbacks. */
    public static CallbackRequest post(Map<String, List<String>> headers, String formBody) {
        return new CallbackRequest("POST", headers, formBody.getBytes(StandardCharsets.UTF_8));
    }

    /** The first value of header {@code name}, or empty text. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /** Whether the method is {@code method}, in any case. */
    public boolean is(String method) {
        return this.method.toUpperCase(Locale.ROOT).equals(method);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}

package io.irisx.core.callback;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request from a provider or a recipient, as the host's web framework received it; immutable. The host
 * builds one in its controller and hands it to a handler.
 *
 * @param method the HTTP method
 * @param path the request's path, as received (not decoded), e.g. {@code /hooks/email/postmark}
 * @param query the raw query string, without the {@code ?}; empty when none
 * @param headers the request headers (names in any case)
 * @param body the raw body
 * @param remoteAddress the address the request came from (the client's, where the host sits behind a proxy it
 *     trusts); empty when unknown
 */
public record CallbackRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
        String remoteAddress) {

    /** Copies the headers, with case-insensitive names, and the body. */
    public CallbackRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        body = body.clone();
    }

    /** A request with no query and an unknown remote address. */
    public CallbackRequest(String method, String path, Map<String, List<String>> headers, byte[] body) {
        this(method, path, "", headers, body, "");
    }

    /** A POST to {@code /} with a form body, as providers send their callbacks. */
    public static CallbackRequest post(Map<String, List<String>> headers, String formBody) {
        return new CallbackRequest("POST", "/", headers, formBody.getBytes(StandardCharsets.UTF_8));
    }

    /** The first value of header {@code name}, or empty text. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /** Whether the method is {@code method}, in any case. */
    public boolean is(String method) {
        return this.method.toUpperCase(Locale.ROOT).equals(method.toUpperCase(Locale.ROOT));
    }

    /** The query's parameters, URL-decoded as UTF-8, in order. */
    public Map<String, List<String>> queryParameters() {
        return form(query);
    }

    /** The first value of query parameter {@code name}, URL-decoded. */
    public Optional<String> queryParameter(String name) {
        List<String> values = queryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The parameters of {@code encoded}, an {@code application/x-www-form-urlencoded} text (a form body or a query
     * string), URL-decoded as UTF-8, in order.
     *
     * @throws IllegalArgumentException when a parameter is not valid URL encoding
     */
    public static Map<String, List<String>> form(String encoded) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (encoded.isEmpty()) {
            return parameters;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        // Never the body nor the headers: they carry recipients' data and credentials.
        return "CallbackRequest[" + method + " " + path + ", " + body.length + " bytes]";
    }
}

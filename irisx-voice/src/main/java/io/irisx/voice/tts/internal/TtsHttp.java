package io.irisx.voice.tts.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.ProviderException;
import io.irisx.core.secret.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The JDK {@link HttpClient} calls of the HTTP text-to-speech providers: a JSON body posted, the audio read back,
 * and any failure turned into a {@link ProviderException} (timeouts, lost connections, 408, 429 and 5xx retryable;
 * other statuses permanent unless the provider's error says otherwise). Thread-safe. Not API.
 */
public final class TtsHttp implements AutoCloseable {

    /** The longest provider error text kept in an exception. */
    private static final int MAX_ERROR_TEXT = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String provider;
    private final HttpClient client;
    private final Duration timeout;

    /** Calls of {@code provider}, each allowed {@code timeout}, connecting included. */
    public TtsHttp(String provider, Duration timeout) {
        this.provider = provider;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * A provider's error answer, read.
     *
     * @param text what it said, for the exception
     * @param retryable whether a retry can help, as far as the body tells
     */
    public record ErrorBody(String text, boolean retryable) {
    }

    /** Checks a timeout setting of a provider's builder. */
    public static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("timeout must be between 1 second and 5 minutes, was " + timeout);
        }
        return timeout;
    }

    /** Checks a base URL setting of a provider's builder: http(s), a host, no user, no query. */
    public static URI checkBaseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl must be a URL, was '" + Redaction.url(baseUrl) + "'", e);
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host, and no user nor query,"
                    + " was '" + Redaction.url(baseUrl) + "'");
        }
        return URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    }

    /** Checks an API key setting: 8 to 512 visible characters; the value is never shown. */
    public static String checkKey(String field, String key) {
        Objects.requireNonNull(key, field);
        if (key.length() < 8 || key.length() > 512 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException(field + " must be 8-512 visible ASCII characters, was a value of "
                    + key.length() + " characters (not shown)");
        }
        return key;
    }

    /**
     * Posts {@code json} with {@code request}'s headers and returns the response when it is 2xx.
     *
     * @param errors reads a provider's error body
     * @param requestIdHeader the response header that carries the provider's request id
     * @throws ProviderException for any failure
     */
    public HttpResponse<byte[]> post(HttpRequest.Builder request, Object json, String requestIdHeader,
            Function<JsonNode, ErrorBody> errors) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("could not write a " + provider + " request", e);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ProviderException(provider, 0, null, true, "no answer within " + timeout, e);
        } catch (IOException e) {
            throw new ProviderException(provider, 0, null, true, "connection failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(provider, 0, null, true, "interrupted", e);
        }
        int status = response.statusCode();
        String requestId = response.headers().firstValue(requestIdHeader).orElse(null);
        if (status >= 200 && status < 300) {
            if (response.body().length == 0) {
                throw new ProviderException(provider, status, requestId, true, "answered with no audio");
            }
            return response;
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        ErrorBody error = new ErrorBody("HTTP " + status, retryable);
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node != null && node.isObject()) {
                error = errors.apply(node);
            }
        } catch (IOException | RuntimeException notJson) {
            // Not the provider's JSON (a proxy's page): the status alone tells.
        }
        String text = error.text().length() <= MAX_ERROR_TEXT ? error.text()
                : error.text().substring(0, MAX_ERROR_TEXT) + "…";
        throw new ProviderException(provider, status, requestId, error.retryable(), text);
    }

    /** Whether the JSON text value {@code node} is present and not blank. */
    public static boolean present(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank();
    }

    @Override
    public void close() {
        // The JDK client of Java 17 has no close; its threads end when it is unreachable.
    }
}

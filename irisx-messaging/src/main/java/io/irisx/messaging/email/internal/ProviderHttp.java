package io.irisx.messaging.email.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.ProviderException;
import io.irisx.core.secret.Redaction;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * How the REST email providers call their APIs: one OkHttp call, its answer read as JSON, every failure turned into
 * a {@link ProviderException} that says whether a retry can help. Not API.
 */
public final class ProviderHttp {

    /** The JSON mapper the REST providers share; thread-safe. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final int MAX_ERROR_TEXT = 2000;

    private ProviderHttp() {
    }

    /** Reads a provider's successful answer. */
    @FunctionalInterface
    public interface SuccessReader<T> {
        /** @throws ProviderException when the answer lacks what it must hold */
        T read(Response response, String body);
    }

    /** Finds the provider's own error text in an error answer's body; {@code null} when it has none. */
    @FunctionalInterface
    public interface ErrorText {
        String find(JsonNode body);
    }

    /**
     * An OkHttp client for a provider: {@code timeout} to connect and {@code timeout} for the whole call, no
     * redirects, no silent retries (a retry is the outbox's decision, made with the idempotency key).
     */
    public static OkHttpClient client(Duration timeout) {
        checkTimeout(timeout);
        return new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .callTimeout(timeout)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
    }

    /**
     * Checks a provider credential: printable ASCII without spaces. The exception names {@code field} and the
     * credential's length, never the credential.
     */
    public static String checkKey(String field, String what, String key) {
        Objects.requireNonNull(key, field);
        if (key.isBlank() || key.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException(field + " must be " + what + " (printable ASCII, no spaces), was a value of "
                    + key.length() + " characters (not shown)");
        }
        return key;
    }

    /**
     * Parses a provider API's base URL: http or https, without user, query or fragment; a trailing slash is dropped,
     * so that paths are added to it.
     */
    public static HttpUrl baseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        HttpUrl url = HttpUrl.parse(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        if (url == null || url.query() != null || url.fragment() != null || !url.username().isEmpty()) {
            throw new IllegalArgumentException(
                    "baseUrl must be an http or https URL without user, query or fragment, was "
                            + Redaction.url(baseUrl));
        }
        return url;
    }

    /** Releases a client made by {@link #client}: stops its dispatcher's threads and closes its idle connections. */
    public static void release(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    /** Checks a provider timeout setting: positive, at most ten minutes. */
    public static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("timeout must be positive and at most 10 minutes, was " + timeout);
        }
        return timeout;
    }

    /**
     * Runs {@code request} and reads its 2xx answer with {@code success}. A 408, 429 or 5xx answer, a timeout or a
     * dropped connection is a retryable {@link ProviderException}; any other answer is a permanent one, with the
     * provider's own text as {@code errorText} finds it in the body.
     *
     * @param provider the provider's name
     * @param requestIdHeader the header in which the provider names its request id, or {@code null}
     */
    public static <T> T call(String provider, OkHttpClient client, Request request, String requestIdHeader,
            SuccessReader<T> success, ErrorText errorText) {
        try (Response response = client.newCall(request).execute()) {
            String body = readBody(response);
            String requestId = requestIdHeader == null ? null : response.header(requestIdHeader);
            int code = response.code();
            if (code >= 200 && code < 300) {
                return success.read(response, body);
            }
            boolean retryable = code == 408 || code == 429 || code >= 500;
            throw new ProviderException(provider, code, requestId, retryable, errorText(body, errorText));
        } catch (InterruptedIOException e) {
            throw new ProviderException(provider, 0, null, true, "no answer within the timeout: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProviderException(provider, 0, null, true, "connection failed: " + e, e);
        }
    }

    /** The JSON body of a provider's answer, or a permanent {@link ProviderException} when it is not JSON. */
    public static JsonNode json(String provider, Response response, String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ProviderException(provider, response.code(), null, false,
                    "answered " + response.code() + " with a body that is not JSON: " + truncate(body));
        }
    }

    /**
     * The text at {@code field} of a successful answer, or a permanent {@link ProviderException}: the provider took
     * the email but gave no id, so sending again could deliver it twice.
     */
    public static String requiredText(String provider, Response response, JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new ProviderException(provider, response.code(), null, false,
                    "accepted the request but its answer has no '" + field + "': " + truncate(body.toString()));
        }
        return value.asText();
    }

    private static String readBody(Response response) throws IOException {
        ResponseBody body = response.body();
        return body == null ? "" : body.string();
    }

    private static String errorText(String body, ErrorText errorText) {
        if (body.isBlank()) {
            return "(empty body)";
        }
        try {
            String text = errorText.find(JSON.readTree(body));
            if (text != null && !text.isBlank()) {
                return truncate(text);
            }
        } catch (IOException | RuntimeException notJson) {
            // Not the provider's JSON (a proxy's HTML page, say): the body itself is the best text there is.
        }
        return truncate(body);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
    }
}

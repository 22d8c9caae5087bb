package io.irisx.messaging.email.resend;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.ProviderException;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The Resend email provider, sending each email with one {@code POST /emails} call to Resend's REST API; thread-safe,
 * built once with {@link #builder(String)} and shared.
 *
 * <p>Every send carries the email's {@link OutgoingEmail#idempotencyKey() idempotency key} in Resend's
 * {@code Idempotency-Key} header: Resend answers a repeated key within 24 hours with its first answer instead of
 * sending again, so a retry after an unknown outcome cannot deliver twice. Resend accepts keys of 1-256 characters;
 * a longer key is sent as its SHA-256 (hex), the same on every try.
 *
 * <p>Tags and metadata become Resend tags, whose names and values may hold only ASCII letters, digits, {@code _} and
 * {@code -} (at most 256 characters): each other character is replaced by {@code _} and longer text is cut. A tag is
 * a Resend tag with a name and no value; a metadata entry is a Resend tag with that name and value, and wins over a
 * tag of the same name.
 *
 * <p>Errors: Resend's answers {@code {"statusCode", "name", "message"}} become a {@link ProviderException} with the
 * message and name; rate limits ({@code 429}), server errors ({@code 5xx}), timeouts and
 * {@code concurrent_idempotent_requests} (the first try with the same key is still running) are retryable, and every
 * other refusal (validation, unverified domain, bad API key) is permanent.
 */
public final class ResendProvider implements EmailProvider {

    static final String NAME = "resend";
    static final String DEFAULT_BASE_URL = "https://api.resend.com";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String CONCURRENT_IDEMPOTENT_REQUESTS = "concurrent_idempotent_requests";

    private final String apiKey;
    private final HttpUrl baseUrl;
    private final HttpUrl endpoint;
    private final Duration timeout;
    private final OkHttpClient client;

    private ResendProvider(Builder builder) {
        this.apiKey = builder.apiKey;
        this.baseUrl = builder.baseUrl;
        this.endpoint = builder.baseUrl.newBuilder().addPathSegment("emails").build();
        this.timeout = builder.timeout;
        this.client = ProviderHttp.client(timeout);
    }

    /**
     * A builder for a provider that authenticates with {@code apiKey} (a Resend API key, {@code re_…}, with at least
     * sending access).
     *
     * @throws IllegalArgumentException when the key is blank or holds spaces or non-ASCII characters
     */
    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EmailReceipt send(OutgoingEmail email) {
        Objects.requireNonNull(email, "email");
        Request request = new Request.Builder()
                .url(endpoint)
                .header("Authorization", "Bearer " + apiKey)
                .header("Idempotency-Key", ResendMessage.idempotencyKey(email))
                .post(RequestBody.create(ResendMessage.json(email), JSON))
                .build();
        AtomicReference<JsonNode> error = new AtomicReference<>();
        try {
            return ProviderHttp.call(NAME, client, request, null,
                    (response, body) -> new EmailReceipt(ProviderHttp.requiredText(NAME, response,
                            ProviderHttp.json(NAME, response, body), "id")),
                    body -> {
                        error.set(body);
                        return ResendMessage.errorText(body);
                    });
        } catch (ProviderException e) {
            JsonNode body = error.get();
            if (e.statusCode() == 409 && body != null
                    && CONCURRENT_IDEMPOTENT_REQUESTS.equals(body.path("name").asText())) {
                // Resend is still running the first try with this key: trying again later returns its answer.
                throw new ProviderException(NAME, 409, e.requestId().orElse(null), true,
                        ResendMessage.errorText(body), e);
            }
            throw e;
        }
    }

    @Override
    public boolean acceptsIdempotencyKey() {
        return true;
    }

    @Override
    public void close() {
        ProviderHttp.release(client);
    }

    @Override
    public String toString() {
        return "ResendProvider[baseUrl=" + baseUrl + ", timeout=" + timeout + "]";
    }

    /** Builds a {@link ResendProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {

        private final String apiKey;
        private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL);
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String apiKey) {
            this.apiKey = ProviderHttp.checkKey("apiKey", "a Resend API key", apiKey);
        }

        /**
         * The API's base URL, {@code https://api.resend.com} by default; the provider posts to {@code <baseUrl>/emails}.
         *
         * @throws IllegalArgumentException when it is not an http(s) URL without query or fragment
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = ProviderHttp.baseUrl(baseUrl);
            return this;
        }

        /**
         * How long one send may take, connecting included; 30 seconds by default.
         *
         * @throws IllegalArgumentException when it is not positive or longer than ten minutes
         */
        public Builder timeout(Duration timeout) {
            this.timeout = ProviderHttp.checkTimeout(timeout);
            return this;
        }

        /** A provider with these settings; the builder may be used again. */
        public ResendProvider build() {
            return new ResendProvider(this);
        }

    }
}

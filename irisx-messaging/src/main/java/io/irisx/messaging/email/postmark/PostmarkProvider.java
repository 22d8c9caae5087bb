package io.irisx.messaging.email.postmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.ProviderException;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Postmark email provider, sending each email with one {@code POST /email} call to Postmark's REST API through a
 * server's message stream; thread-safe, built once with {@link #builder(String)} and shared.
 *
 * <p>Postmark takes one {@code Tag} per email: the email's first tag is sent, the others are left out (a warning is
 * logged once per provider). Metadata goes in {@code Metadata}, extra headers in {@code Headers}, inline attachments
 * keep their content id as {@code ContentID: "cid:<id>"}. Postmark documents no idempotency key, so
 * {@link #acceptsIdempotencyKey()} is false.
 *
 * <p>Errors: Postmark answers {@code {"ErrorCode", "Message"}}, with HTTP 422 for refused emails (e.g. ErrorCode 400,
 * sender signature not found; 406, inactive recipient) and 401 for a bad server token (ErrorCode 10); these are
 * permanent. HTTP 429 and 5xx, timeouts, and ErrorCode 100 (maintenance) or 429 (rate limit) under any status are
 * retryable. An HTTP 200 whose ErrorCode is not 0 is a permanent failure too.
 */
public final class PostmarkProvider implements EmailProvider {

    static final String NAME = "postmark";
    static final String DEFAULT_BASE_URL = "https://api.postmarkapp.com";
    static final String DEFAULT_MESSAGE_STREAM = "outbound";
    private static final Logger LOG = LoggerFactory.getLogger(PostmarkProvider.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Postmark's API error codes for a passing condition: 100 maintenance, 429 rate limit exceeded. */
    private static final int MAINTENANCE = 100;
    private static final int RATE_LIMIT_EXCEEDED = 429;

    private final String serverToken;
    private final HttpUrl baseUrl;
    private final HttpUrl endpoint;
    private final String messageStream;
    private final Duration timeout;
    private final OkHttpClient client;
    private final AtomicBoolean warnedAboutTags = new AtomicBoolean();

    private PostmarkProvider(Builder builder) {
        this.serverToken = builder.serverToken;
        this.baseUrl = builder.baseUrl;
        this.endpoint = builder.baseUrl.newBuilder().addPathSegment("email").build();
        this.messageStream = builder.messageStream;
        this.timeout = builder.timeout;
        this.client = ProviderHttp.client(timeout);
    }

    /**
     * A builder for a provider that authenticates with {@code serverToken}, the API token of a Postmark server.
     *
     * @throws IllegalArgumentException when the token is blank or holds spaces or non-ASCII characters
     */
    public static Builder builder(String serverToken) {
        return new Builder(serverToken);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EmailReceipt send(OutgoingEmail email) {
        Objects.requireNonNull(email, "email");
        if (email.tags().size() > 1 && warnedAboutTags.compareAndSet(false, true)) {
            LOG.warn("Postmark takes one tag per email: only the first tag of each email is sent (first seen on {})",
                    email.id());
        }
        Request request = new Request.Builder()
                .url(endpoint)
                .header("X-Postmark-Server-Token", serverToken)
                .header("Accept", "application/json")
                .post(RequestBody.create(PostmarkMessage.json(email, messageStream), JSON))
                .build();
        AtomicReference<JsonNode> error = new AtomicReference<>();
        try {
            return ProviderHttp.call(NAME, client, request, null, this::receipt, body -> {
                error.set(body);
                return PostmarkMessage.errorText(body);
            });
        } catch (ProviderException e) {
            JsonNode body = error.get();
            if (!e.isRetryable() && body != null && passing(body.path("ErrorCode").asInt(-1))) {
                throw new ProviderException(NAME, e.statusCode(), e.requestId().orElse(null), true,
                        PostmarkMessage.errorText(body), e);
            }
            throw e;
        }
    }

    private EmailReceipt receipt(Response response, String body) {
        JsonNode answer = ProviderHttp.json(NAME, response, body);
        int errorCode = answer.path("ErrorCode").asInt(0);
        if (errorCode != 0) {
            throw new ProviderException(NAME, response.code(), null, passing(errorCode),
                    PostmarkMessage.errorText(answer));
        }
        return new EmailReceipt(ProviderHttp.requiredText(NAME, response, answer, "MessageID"));
    }

    private static boolean passing(int errorCode) {
        return errorCode == MAINTENANCE || errorCode == RATE_LIMIT_EXCEEDED;
    }

    @Override
    public void close() {
        ProviderHttp.release(client);
    }

    @Override
    public String toString() {
        return "PostmarkProvider[baseUrl=" + baseUrl + ", messageStream=" + messageStream + ", timeout=" + timeout
                + "]";
    }

    /** Builds a {@link PostmarkProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {

        private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

        private final String serverToken;
        private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL);
        private String messageStream = DEFAULT_MESSAGE_STREAM;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String serverToken) {
            this.serverToken = ProviderHttp.checkKey("serverToken", "a Postmark server API token", serverToken);
        }

        /**
         * The API's base URL, {@code https://api.postmarkapp.com} by default; the provider posts to
         * {@code <baseUrl>/email}.
         *
         * @throws IllegalArgumentException when it is not an http(s) URL without query or fragment
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = ProviderHttp.baseUrl(baseUrl);
            return this;
        }

        /**
         * The message stream the emails go through, {@code outbound} (the server's default transactional stream) by
         * default.
         *
         * @throws IllegalArgumentException when it is not a stream id: 1-100 letters, digits, {@code _ . -}
         */
        public Builder messageStream(String messageStream) {
            Objects.requireNonNull(messageStream, "messageStream");
            if (!STREAM.matcher(messageStream).matches()) {
                throw new IllegalArgumentException("messageStream must be a Postmark message stream id "
                        + "(1-100 letters, digits, '_', '.', '-'), was '" + messageStream + "'");
            }
            this.messageStream = messageStream;
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
        public PostmarkProvider build() {
            return new PostmarkProvider(this);
        }
    }
}

package io.irisx.messaging.email.elasticemail;

import io.irisx.core.ProviderException;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Elastic Email provider, sending each email with one {@code POST /v4/emails/transactional} call to Elastic Email's
 * REST API v4; thread-safe, built once with {@link #builder(String)} and shared.
 *
 * <p>The receipt's id is Elastic Email's {@code TransactionID}: the id of the whole send, which every recipient's
 * delivery notification carries ({@code transaction}) and {@code GET /v4/emails/{transactionid}/status} looks up;
 * the answer's {@code MessageID} names a single recipient's copy.
 *
 * <p>What Elastic Email's transactional send can and cannot carry:
 * <ul>
 *   <li>extra headers go in {@code Content.Headers};</li>
 *   <li>metadata goes in {@code Content.Postback}, the one value Elastic Email returns in its notifications, as
 *       {@code application/x-www-form-urlencoded} UTF-8 text ({@code order=A-1042&tier=gold});</li>
 *   <li>the email's first tag becomes {@code Options.ChannelName}, the name Elastic Email's reports and notifications
 *       group sends by; the others are left out (a warning is logged once per provider);</li>
 *   <li>attachments have no content id in the v4 API, so an inline attachment is sent as an ordinary attachment
 *       (a warning is logged once per provider): its {@code cid:} reference in the HTML does not resolve;</li>
 *   <li>{@code Content.ReplyTo} holds one address: an email with more than one Reply-To address is refused with a
 *       permanent {@link ProviderException} before anything is sent;</li>
 *   <li>Elastic Email documents no idempotency key: {@link #acceptsIdempotencyKey()} is false.</li>
 * </ul>
 *
 * <p>Errors: Elastic Email answers {@code {"Error": "…"}}; 408, 429 and 5xx answers, timeouts and dropped connections
 * are retryable, every other refusal (bad request, unverified sender, bad API key) is permanent.
 */
public final class ElasticEmailProvider implements EmailProvider {

    static final String NAME = "elasticemail";
    static final String DEFAULT_BASE_URL = "https://api.elasticemail.com/v4";
    private static final Logger LOG = LoggerFactory.getLogger(ElasticEmailProvider.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final String apiKey;
    private final HttpUrl baseUrl;
    private final HttpUrl endpoint;
    private final Duration timeout;
    private final OkHttpClient client;
    private final AtomicBoolean warnedAboutTags = new AtomicBoolean();
    private final AtomicBoolean warnedAboutInline = new AtomicBoolean();

    private ElasticEmailProvider(Builder builder) {
        this.apiKey = builder.apiKey;
        this.baseUrl = builder.baseUrl;
        this.endpoint = builder.baseUrl.newBuilder().addPathSegment("emails").addPathSegment("transactional").build();
        this.timeout = builder.timeout;
        this.client = ProviderHttp.client(timeout);
    }

    /**
     * A builder for a provider that authenticates with {@code apiKey}, an Elastic Email API key with the
     * {@code SendHttp} access level.
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
        if (email.replyTo().size() > 1) {
            throw new ProviderException(NAME, 0, null, false, "Elastic Email's ReplyTo takes one address, and email "
                    + email.id() + " has " + email.replyTo().size() + ": send it with one Reply-To address or "
                    + "through another provider");
        }
        warnOnce(email);
        Request request = new Request.Builder()
                .url(endpoint)
                .header("X-ElasticEmail-ApiKey", apiKey)
                .header("Accept", "application/json")
                .post(RequestBody.create(ElasticEmailMessage.json(email), JSON))
                .build();
        return ProviderHttp.call(NAME, client, request, null,
                (response, body) -> new EmailReceipt(ProviderHttp.requiredText(NAME, response,
                        ProviderHttp.json(NAME, response, body), "TransactionID")),
                ElasticEmailMessage::errorText);
    }

    private void warnOnce(OutgoingEmail email) {
        if (email.tags().size() > 1 && warnedAboutTags.compareAndSet(false, true)) {
            LOG.warn("Elastic Email takes one channel name per email: only the first tag of each email is sent "
                    + "(first seen on {})", email.id());
        }
        if (email.attachments().stream().anyMatch(a -> a.isInline()) && warnedAboutInline.compareAndSet(false, true)) {
            LOG.warn("Elastic Email's API v4 has no content ids: inline attachments are sent as ordinary attachments "
                    + "(first seen on {})", email.id());
        }
    }

    @Override
    public void close() {
        ProviderHttp.release(client);
    }

    @Override
    public String toString() {
        return "ElasticEmailProvider[baseUrl=" + baseUrl + ", timeout=" + timeout + "]";
    }

    /** Builds an {@link ElasticEmailProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {

        private final String apiKey;
        private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL);
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String apiKey) {
            this.apiKey = ProviderHttp.checkKey("apiKey", "an Elastic Email API key", apiKey);
        }

        /**
         * The API's base URL, {@code https://api.elasticemail.com/v4} by default; the provider posts to
         * {@code <baseUrl>/emails/transactional}.
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
        public ElasticEmailProvider build() {
            return new ElasticEmailProvider(this);
        }
    }
}

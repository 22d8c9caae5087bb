package io.irisx.messaging.email.mailgun;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mailgun email provider: sends each email with one call to Mailgun's messages API ({@code POST
 * /v3/{domain}/messages}, multipart form data, HTTP basic auth as {@code api}); thread-safe, built once with an API
 * key and a sending domain and shared.
 *
 * <p>Extra headers go as {@code h:} parameters, tags as {@code o:tag}, metadata as {@code v:} user variables (which
 * Mailgun returns in its events, and also puts in the delivered email's {@code X-Mailgun-Variables} header, where a
 * recipient can read them). Inline attachments are sent under their content id as file name, since Mailgun names an
 * inline part's {@code cid:} after its file name. The receipt holds Mailgun's message id without its angle brackets,
 * as Mailgun's events name it. Mailgun takes no idempotency key, so a send retried after an unknown outcome may be
 * delivered twice.
 *
 * <pre>{@code
 * EmailProvider mailgun = MailgunProvider.builder(System.getenv("MAILGUN_API_KEY"), "mg.acme.example")
 *         .region(MailgunProvider.Region.EU)
 *         .build();
 * }</pre>
 */
public final class MailgunProvider implements EmailProvider {

    /** The provider's name in failover chains, statuses and errors. */
    public static final String NAME = "mailgun";

    /** The Mailgun region whose API serves the sending domain. */
    public enum Region {
        /** {@code https://api.mailgun.net}, the default. */
        US("https://api.mailgun.net"),
        /** {@code https://api.eu.mailgun.net}, for domains created in the EU region. */
        EU("https://api.eu.mailgun.net");

        private final HttpUrl baseUrl;

        Region(String baseUrl) {
            this.baseUrl = HttpUrl.get(baseUrl);
        }
    }

    static final String REQUEST_ID_HEADER = "X-Mailgun-Request-Id";
    private static final Logger LOG = LoggerFactory.getLogger(MailgunProvider.class);
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})");

    private final String domain;
    private final HttpUrl messagesUrl;
    private final Duration timeout;
    private final String authorization;
    private final OkHttpClient client;

    private MailgunProvider(Builder builder) {
        this.domain = builder.domain;
        HttpUrl base = builder.baseUrl != null ? builder.baseUrl : builder.region.baseUrl;
        this.messagesUrl = base.newBuilder().addPathSegment("v3").addPathSegment(domain).addPathSegment("messages")
                .build();
        this.timeout = builder.timeout;
        this.authorization = Credentials.basic("api", builder.apiKey);
        this.client = ProviderHttp.client(timeout);
    }

    /**
     * A builder for a provider that authenticates with {@code apiKey} (a Mailgun private API key or a domain sending
     * key) and sends from {@code domain}, a domain set up in Mailgun, e.g. {@code mg.acme.example}.
     */
    public static Builder builder(String apiKey, String domain) {
        return new Builder(apiKey, domain);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EmailReceipt send(OutgoingEmail email) {
        Objects.requireNonNull(email, "email");
        Request request = new Request.Builder()
                .url(messagesUrl)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .post(MailgunForm.of(email))
                .build();
        EmailReceipt receipt = ProviderHttp.call(NAME, client, request, REQUEST_ID_HEADER, (response, body) -> {
            JsonNode json = ProviderHttp.json(NAME, response, body);
            return new EmailReceipt(stripAngleBrackets(ProviderHttp.requiredText(NAME, response, json, "id")));
        }, body -> body.path("message").isTextual() ? body.path("message").asText() : null);
        LOG.debug("mailgun accepted {} as {}", email.id(), receipt.providerMessageId());
        return receipt;
    }

    private static String stripAngleBrackets(String id) {
        return id.length() > 2 && id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
    }

    /** Mailgun takes no idempotency key. */
    @Override
    public boolean acceptsIdempotencyKey() {
        return false;
    }

    /** Releases the HTTP connections. */
    @Override
    public void close() {
        ProviderHttp.release(client);
    }

    @Override
    public String toString() {
        return "MailgunProvider[domain=" + domain + ", url=" + messagesUrl + ", timeout=" + timeout + "]";
    }

    /** Settings for a {@link MailgunProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {

        private final String apiKey;
        private final String domain;
        private Region region = Region.US;
        private HttpUrl baseUrl;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String apiKey, String domain) {
            ProviderHttp.checkKey("apiKey", "a Mailgun API key", apiKey);
            Objects.requireNonNull(domain, "domain");
            String lower = domain.toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(lower).matches()) {
                throw new IllegalArgumentException("domain must be a Mailgun sending domain such as mg.example.com "
                        + "(letters, digits and hyphens, at least two labels), was " + domain);
            }
            this.apiKey = apiKey;
            this.domain = lower;
        }

        /** The region whose API serves the domain: {@link Region#US} by default. */
        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * Overrides the region's API URL, e.g. with a local server in tests: scheme, host, port and at most a path
         * prefix, to which {@code /v3/{domain}/messages} is added.
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = ProviderHttp.baseUrl(baseUrl);
            return this;
        }

        /** How long to wait to connect, and for the whole call; default 30 s, at most 10 minutes. */
        public Builder timeout(Duration timeout) {
            this.timeout = ProviderHttp.checkTimeout(timeout);
            return this;
        }

        /** A new provider with these settings; the builder can go on being used. */
        public MailgunProvider build() {
            return new MailgunProvider(this);
        }
    }
}

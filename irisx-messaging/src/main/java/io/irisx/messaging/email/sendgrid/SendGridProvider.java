package io.irisx.messaging.email.sendgrid;

import com.sendgrid.Client;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import io.irisx.core.ProviderException;
import io.irisx.core.secret.Redaction;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.messaging.internal.ProviderSdk;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SendGrid email provider: sends each email with one call to SendGrid's v3 Mail Send API ({@code POST
 * /v3/mail/send}) through the official {@code sendgrid-java} SDK; thread-safe, built once with an API key and shared.
 *
 * <p>Tags become SendGrid categories and metadata its {@code custom_args}, which SendGrid returns in its event
 * webhooks; the receipt holds the {@code X-Message-Id} SendGrid answers with. SendGrid takes no idempotency key, so a
 * send retried after an unknown outcome may be delivered twice. The SDK is an optional dependency of this module: a
 * host that registers this provider adds {@code com.sendgrid:sendgrid-java}.
 *
 * <pre>{@code
 * EmailProvider sendGrid = SendGridProvider.builder(System.getenv("SENDGRID_API_KEY"))
 *         .timeout(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 */
public final class SendGridProvider implements EmailProvider {

    /** The provider's name in failover chains, statuses and errors. */
    public static final String NAME = "sendgrid";

    private static final Logger LOG = LoggerFactory.getLogger(SendGridProvider.class);
    /** What this provider loads from sendgrid-java and the jars it brings: its HTTP client, Apache HttpClient 4. */
    private static final List<String> SDK_CLASSES = List.of("com.sendgrid.SendGrid", "com.sendgrid.Client",
            "org.apache.http.HttpHost", "org.apache.http.client.config.RequestConfig",
            "org.apache.http.impl.client.HttpClients", "org.apache.commons.logging.LogFactory");
    private static final String GLOBAL_BASE_URL = "https://api.sendgrid.com";
    /** Concurrent sends one provider may have in flight; Apache HttpClient's default of 2 per host would queue them. */
    private static final int MAX_CONNECTIONS = 64;

    private final URI baseUrl;
    private final Duration timeout;
    private final CloseableHttpClient http;
    private final SendGrid sendGrid;

    private SendGridProvider(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.timeout = builder.timeout;
        this.http = httpClient(timeout);
        // The SDK builds "scheme://host/v3/<endpoint>" itself: its "test" flag is the only way to choose plain http
        // (a local server), and its host may carry a port.
        boolean plainHttp = "http".equals(baseUrl.getScheme());
        this.sendGrid = new SendGrid(builder.apiKey, new Client(http, plainHttp));
        sendGrid.setHost(baseUrl.getPort() == -1 ? baseUrl.getHost() : baseUrl.getHost() + ":" + baseUrl.getPort());
    }

    /**
     * A builder for a provider that authenticates with {@code apiKey}, a SendGrid API key with the Mail Send
     * permission.
     */
    public static Builder builder(String apiKey) {
        ProviderSdk.require(NAME, "sendgrid-java", SDK_CLASSES);
        return new Builder(apiKey);
    }

    /**
     * Apache HttpClient with the timeout on connecting, on each read and on waiting for a pooled connection (the
     * SDK's default client has none, so a silent server would hold a worker forever), no redirects and no silent
     * retries: a retry is the outbox's decision.
     */
    private static CloseableHttpClient httpClient(Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        RequestConfig config = RequestConfig.custom()
                .setConnectTimeout(millis)
                .setSocketTimeout(millis)
                .setConnectionRequestTimeout(millis)
                .setRedirectsEnabled(false)
                .build();
        return HttpClients.custom()
                .setDefaultRequestConfig(config)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setMaxConnTotal(MAX_CONNECTIONS)
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EmailReceipt send(OutgoingEmail email) {
        Objects.requireNonNull(email, "email");
        Request request = new Request();
        request.setMethod(Method.POST);
        request.setEndpoint("mail/send");
        request.setBody(body(email));
        Response response;
        try {
            response = sendGrid.api(request);
        } catch (InterruptedIOException e) {
            throw new ProviderException(NAME, 0, null, true,
                    "no answer within the timeout (" + timeout + "): " + e.getMessage(), e);
        } catch (IOException e) {
            // The SDK's client (java-http-client 4.5) returns every HTTP answer, 4xx and 5xx included, as a
            // Response; an IOException is a failure to reach SendGrid or to read its answer.
            throw new ProviderException(NAME, 0, null, true, "connection failed: " + e, e);
        }
        EmailReceipt receipt = SendGridAnswer.read(response);
        LOG.debug("sendgrid accepted {} as {}", email.id(), receipt.providerMessageId());
        return receipt;
    }

    private static String body(OutgoingEmail email) {
        try {
            return SendGridMail.of(email).build();
        } catch (IOException e) {
            // Serialising strings and lists cannot fail; if the SDK's mapper ever does, the email cannot be sent.
            throw new ProviderException(NAME, 0, null, false, "could not write the Mail Send request: " + e, e);
        }
    }

    /** SendGrid takes no idempotency key. */
    @Override
    public boolean acceptsIdempotencyKey() {
        return false;
    }

    /** Closes the HTTP connections. */
    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the SendGrid HTTP client", e);
        }
    }

    @Override
    public String toString() {
        return "SendGridProvider[baseUrl=" + baseUrl + ", timeout=" + timeout + "]";
    }

    /** Settings for a {@link SendGridProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {

        private final String apiKey;
        private URI baseUrl = URI.create(GLOBAL_BASE_URL);
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String apiKey) {
            this.apiKey = ProviderHttp.checkKey("apiKey", "a SendGrid API key", apiKey);
        }

        /**
         * Where SendGrid's API is: {@code https://api.sendgrid.com} by default, {@code https://api.eu.sendgrid.com}
         * for EU regional subusers, or a local server in tests. Scheme, host and port only: the SDK adds
         * {@code /v3/mail/send}.
         */
        public Builder baseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            URI uri;
            try {
                uri = new URI(baseUrl);
            } catch (URISyntaxException e) {
                // The parser's own message repeats the whole text, password included: only its reason is kept.
                throw new IllegalArgumentException("baseUrl must be a URL, was " + Redaction.url(baseUrl) + " ("
                        + e.getReason() + ")");
            }
            boolean schemeOk = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            boolean pathOk = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
            if (!schemeOk || uri.getHost() == null || !pathOk || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(
                        "baseUrl must be http(s)://host[:port] with no path, query or user, was " + Redaction.url(baseUrl));
            }
            this.baseUrl = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
            return this;
        }

        /** How long to wait to connect, and then for each read of the answer; default 30 s, at most 10 minutes. */
        public Builder timeout(Duration timeout) {
            this.timeout = ProviderHttp.checkTimeout(timeout);
            return this;
        }

        /** A new provider with these settings; the builder can go on being used. */
        public SendGridProvider build() {
            return new SendGridProvider(this);
        }
    }
}

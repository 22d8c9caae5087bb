package io.irisx.messaging.email.ses;

import io.irisx.core.secret.Redaction;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.messaging.internal.ProviderSdk;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Sends email through AWS SES v2's {@code SendEmail} with raw MIME content, so that attachments, inline parts and
 * extra headers all travel; thread-safe, built once and shared. It uses the AWS SDK's {@code sesv2} client over the
 * JDK's {@code URLConnection} (the SDK's Netty and Apache clients are not needed), signs with SigV4, and leaves
 * retries to IRISX: the SDK's own are off.
 *
 * <p>Tags and metadata become SES message tags ({@code EmailTags}), which SES returns in its sending events: each
 * metadata entry as its key and value, each tag as a tag named for it with the value {@code true}. SES allows only
 * ASCII letters, digits, {@code _} and {@code -} (1-256 of them) in a tag's name and value, so any other character
 * is replaced by {@code _} and longer text is cut at 256 characters; when a tag's name is already a metadata key
 * the metadata entry wins. SES does not take an idempotency key.
 *
 * <pre>{@code
 * SesProvider ses = SesProvider.builder("eu-west-1")
 *         .credentials(accessKeyId, secretAccessKey)
 *         .configurationSet("transactional")
 *         .build();
 * }</pre>
 */
public final class SesProvider implements EmailProvider {

    static final String NAME = "ses";
    /** What this provider loads from the AWS SDK: the SES v2 client, and the JDK's URLConnection HTTP client. */
    private static final List<String> SES_CLASSES = List.of("software.amazon.awssdk.services.sesv2.SesV2Client",
            "software.amazon.awssdk.regions.Region", "software.amazon.awssdk.awscore.retry.AwsRetryStrategy",
            "software.amazon.awssdk.auth.credentials.StaticCredentialsProvider");
    private static final List<String> HTTP_CLIENT_CLASSES =
            List.of("software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient");
    /** The raw MIME message is written with Jakarta Mail, whose stream provider is Angus Mail's. */
    private static final List<String> MIME_CLASSES = List.of("jakarta.mail.Session", "jakarta.activation.DataHandler",
            "org.eclipse.angus.mail.util.MailStreamProvider");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern CONFIGURATION_SET = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String region;
    private final String credentialsDescription;
    private final String configurationSet;
    private final URI endpoint;
    private final Duration timeout;
    private final SesClient client;

    private SesProvider(Builder builder) {
        this.region = builder.region;
        this.credentialsDescription = builder.credentialsDescription;
        this.configurationSet = builder.configurationSet;
        this.endpoint = builder.endpoint;
        this.timeout = builder.timeout;
        this.client = new SesClient(region, builder.credentials, configurationSet, endpoint, timeout, builder.clock);
    }

    /** A builder for a provider sending through SES in {@code region}, e.g. {@code eu-west-1}. */
    public static Builder builder(String region) {
        ProviderSdk.require(NAME, "sesv2", SES_CLASSES);
        ProviderSdk.require(NAME, "url-connection-client", HTTP_CLIENT_CLASSES);
        ProviderSdk.require(NAME, "angus-mail", MIME_CLASSES);
        return new Builder(region);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EmailReceipt send(OutgoingEmail email) {
        Objects.requireNonNull(email, "email");
        return client.send(email);
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "SesProvider[region=" + region + " credentials=" + credentialsDescription
                + (configurationSet == null ? "" : " configurationSet=" + configurationSet)
                + (endpoint == null ? "" : " endpoint=" + endpoint) + " timeout=" + timeout + "]";
    }

    /** Settings for a {@link SesProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String region;
        private AwsCredentialsProvider credentials;
        private String credentialsDescription;
        private String configurationSet;
        private URI endpoint;
        private Duration timeout = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder(String region) {
            Objects.requireNonNull(region, "region");
            if (!REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("region must be an AWS region such as eu-west-1, was '" + region + "'");
            }
            this.region = region;
        }

        /** Signs with a long-lived access key. */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.credentials = StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(checkKeyId(accessKeyId), checkSecret("secretAccessKey", secretAccessKey)));
            this.credentialsDescription = "static";
            return this;
        }

        /** Signs with temporary credentials: an access key and its session token. */
        public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
            this.credentials = StaticCredentialsProvider.create(AwsSessionCredentials.create(checkKeyId(accessKeyId),
                    checkSecret("secretAccessKey", secretAccessKey), checkSecret("sessionToken", sessionToken)));
            this.credentialsDescription = "session";
            return this;
        }

        /**
         * Signs with the credentials {@code provider} gives at each call, e.g. the SDK's
         * {@code DefaultCredentialsProvider} for an instance role.
         */
        public Builder credentials(AwsCredentialsProvider provider) {
            this.credentials = Objects.requireNonNull(provider, "provider");
            this.credentialsDescription = provider.getClass().getSimpleName();
            return this;
        }

        /** The configuration set whose event destinations receive the emails' events; none by default. */
        public Builder configurationSet(String name) {
            Objects.requireNonNull(name, "name");
            if (!CONFIGURATION_SET.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "configurationSet must be 1-64 letters, digits, '_' and '-', was '" + name + "'");
            }
            this.configurationSet = name;
            return this;
        }

        /** Where the SES API is, instead of the region's own endpoint: for tests and VPC endpoints. */
        public Builder endpoint(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            String scheme = endpoint.getScheme();
            if (!("https".equals(scheme) || "http".equals(scheme)) || endpoint.getHost() == null
                    || endpoint.getRawUserInfo() != null) {
                throw new IllegalArgumentException("endpoint must be an http(s) URL with a host and no user, was '"
                        + Redaction.url(endpoint.toString()) + "'");
            }
            this.endpoint = endpoint;
            return this;
        }

        /** How long one call may take, connecting included; 30 seconds by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = ProviderHttp.checkTimeout(timeout);
            return this;
        }

        /** The clock that dates the messages; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * A provider with these settings and its own SDK client.
         *
         * @throws IllegalStateException when no credentials were given
         */
        public SesProvider build() {
            if (credentials == null) {
                throw new IllegalStateException("credentials must be set: credentials(accessKeyId, secretAccessKey)"
                        + " or credentials(AwsCredentialsProvider), e.g. DefaultCredentialsProvider.builder().build()");
            }
            return new SesProvider(this);
        }

        private static String checkKeyId(String accessKeyId) {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            if (!accessKeyId.matches("[A-Z0-9]{16,128}")) {
                throw new IllegalArgumentException(
                        "accessKeyId must be 16-128 upper-case letters and digits, was '" + accessKeyId + "'");
            }
            return accessKeyId;
        }

        private static String checkSecret(String field, String secret) {
            Objects.requireNonNull(secret, field);
            if (secret.isBlank() || secret.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(field + " must be non-blank without spaces (value not shown)");
            }
            return secret;
        }
    }
}

package io.irisx.messaging.email.ses;

import io.irisx.core.ProviderException;
import io.irisx.core.secret.Redaction;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.internal.MimeEmails;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.RawMessage;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendEmailResponse;

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

    private static final Logger LOG = LoggerFactory.getLogger(SesProvider.class);
    private static final String NAME = "ses";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern CONFIGURATION_SET = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NOT_TAG_CHARACTER = Pattern.compile("[^A-Za-z0-9_-]");
    private static final int MAX_TAG_LENGTH = 256;
    private static final int MAX_ERROR_TEXT = 2000;

    private final String region;
    private final String credentialsDescription;
    private final String configurationSet;
    private final URI endpoint;
    private final Duration timeout;
    private final Clock clock;
    private final Session session;
    private final SesV2Client client;

    private SesProvider(Builder builder) {
        this.region = builder.region;
        this.credentialsDescription = builder.credentialsDescription;
        this.configurationSet = builder.configurationSet;
        this.endpoint = builder.endpoint;
        this.timeout = builder.timeout;
        this.clock = builder.clock;
        this.session = Session.getInstance(new Properties());
        SesV2ClientBuilder client = SesV2Client.builder()
                .region(Region.of(region))
                .credentialsProvider(builder.credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeout)
                        .socketTimeout(timeout)
                        .build())
                .overrideConfiguration(o -> o
                        .apiCallTimeout(timeout)
                        .apiCallAttemptTimeout(timeout)
                        // A retry is IRISX's decision, taken with the outbox's backoff and failover.
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (endpoint != null) {
            client.endpointOverride(endpoint);
        }
        this.client = client.build();
    }

    /** A builder for a provider sending through SES in {@code region}, e.g. {@code eu-west-1}. */
    public static Builder builder(String region) {
        return new Builder(region);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EmailReceipt send(OutgoingEmail email) {
        Objects.requireNonNull(email, "email");
        SendEmailRequest request = request(email);
        SendEmailResponse response;
        try {
            response = client.sendEmail(request);
        } catch (SdkException e) {
            throw failure(e);
        }
        String messageId = response.messageId();
        if (messageId == null || messageId.isBlank()) {
            throw new ProviderException(NAME, response.sdkHttpResponse().statusCode(),
                    response.responseMetadata().requestId(), false,
                    "accepted the request but its answer has no 'MessageId'");
        }
        LOG.debug("SES accepted {} as {}", email.id(), messageId);
        return new EmailReceipt(messageId);
    }

    private SendEmailRequest request(OutgoingEmail email) {
        byte[] mime;
        try {
            mime = MimeEmails.bytes(MimeEmails.message(session, email, clock.instant()));
        } catch (MessagingException | IllegalArgumentException e) {
            throw new ProviderException(NAME, 0, null, false, "cannot build the MIME message: " + e.getMessage(), e);
        }
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .fromEmailAddress(email.from().address())
                .destination(Destination.builder()
                        .toAddresses(plain(email.to()))
                        .ccAddresses(plain(email.cc()))
                        .bccAddresses(plain(email.bcc()))
                        .build())
                .content(EmailContent.builder().raw(RawMessage.builder().data(SdkBytes.fromByteArrayUnsafe(mime)).build())
                        .build());
        if (!email.replyTo().isEmpty()) {
            request.replyToAddresses(plain(email.replyTo()));
        }
        List<MessageTag> tags = tags(email);
        if (!tags.isEmpty()) {
            request.emailTags(tags);
        }
        if (configurationSet != null) {
            request.configurationSetName(configurationSet);
        }
        return request.build();
    }

    private static List<String> plain(List<EmailAddress> addresses) {
        // The envelope takes bare addresses; the display names travel in the MIME headers, encoded.
        return addresses.stream().map(EmailAddress::address).toList();
    }

    /** The email's metadata, then its tags, as SES message tags (see the class comment). */
    static List<MessageTag> tags(OutgoingEmail email) {
        Map<String, String> tags = new LinkedHashMap<>();
        email.metadata().forEach((key, value) -> tags.putIfAbsent(tagText(key), tagText(value)));
        email.tags().forEach(tag -> tags.putIfAbsent(tagText(tag), "true"));
        return tags.entrySet().stream()
                .map(tag -> MessageTag.builder().name(tag.getKey()).value(tag.getValue()).build())
                .toList();
    }

    private static String tagText(String text) {
        String fitted = NOT_TAG_CHARACTER.matcher(text).replaceAll("_");
        if (fitted.isEmpty()) {
            return "_";
        }
        return fitted.length() <= MAX_TAG_LENGTH ? fitted : fitted.substring(0, MAX_TAG_LENGTH);
    }

    /** The SDK's failure as IRISX sees it: SES's status, request id and own words, and whether a retry can help. */
    static ProviderException failure(SdkException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            boolean retryable = status == 408 || status == 429 || status >= 500 || service.isThrottlingException();
            return new ProviderException(NAME, status, service.requestId(), retryable, serviceText(service), e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || hasCause(e, InterruptedIOException.class)) {
            return new ProviderException(NAME, 0, null, true, "no answer within the timeout: " + e.getMessage(), e);
        }
        if (hasCause(e, IOException.class)) {
            return new ProviderException(NAME, 0, null, true, "connection failed: " + e.getMessage(), e);
        }
        if (hasCause(e, InterruptedException.class)) {
            Thread.currentThread().interrupt();
            return new ProviderException(NAME, 0, null, true, "interrupted: " + e.getMessage(), e);
        }
        // Missing credentials, an answer the SDK could not read, …: the same request will fail the same way.
        return new ProviderException(NAME, 0, null, false, e.getMessage(), e);
    }

    private static String serviceText(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        String text = (code == null ? "" : code + ": ") + (message == null ? e.getMessage() : message);
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
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

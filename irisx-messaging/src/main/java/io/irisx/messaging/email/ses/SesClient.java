package io.irisx.messaging.email.ses;

import io.irisx.core.ProviderException;
import io.irisx.messaging.email.EmailAddress;
import io.irisx.messaging.email.internal.MimeEmails;
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
import java.util.Properties;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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
 * The AWS SDK's side of {@link SesProvider}: the SES v2 client over the JDK's {@code URLConnection}, the raw MIME
 * message, and SES's answers and failures; thread-safe. Kept apart from {@link SesProvider} so that the provider's
 * own class loads without the SDK, and its builder can say which artifact a host lacks.
 */
final class SesClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SesProvider.class);
    private static final String NAME = SesProvider.NAME;
    private static final Pattern NOT_TAG_CHARACTER = Pattern.compile("[^A-Za-z0-9_-]");
    private static final int MAX_TAG_LENGTH = 256;
    private static final int MAX_ERROR_TEXT = 2000;

    private final String configurationSet;
    private final Clock clock;
    private final Session session;
    private final SesV2Client client;

    SesClient(String region, AwsCredentialsProvider credentials, String configurationSet, URI endpoint,
            Duration timeout, Clock clock) {
        this.configurationSet = configurationSet;
        this.clock = clock;
        this.session = Session.getInstance(new Properties());
        SesV2ClientBuilder client = SesV2Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
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

    /** Sends {@code email} as one raw MIME message. */
    EmailReceipt send(OutgoingEmail email) {
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
}

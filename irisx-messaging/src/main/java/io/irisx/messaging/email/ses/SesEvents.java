package io.irisx.messaging.email.ses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.email.internal.ProviderHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's handler of the AWS SES events that Amazon SNS posts to an https subscription, free of any web
 * framework: the host mounts {@link #handle} at the subscription's endpoint, passing each request in and writing the
 * response out; thread-safe.
 *
 * <p>SES publishes an email's events (through the SNS event destination of the
 * {@link SesProvider.Builder#configurationSet configuration set}, or as an identity's feedback notifications) to an
 * SNS topic, which posts each as JSON. Every message is checked as Amazon SNS documents ("Verifying the signatures
 * of Amazon SNS messages"): its {@code TopicArn} must be one configured here; its {@code SigningCertURL} must be an
 * https URL on an SNS host, {@code sns.<region>.amazonaws.com} or {@code sns.<region>.amazonaws.com.cn}, whose
 * certificate (fetched with the {@link Fetcher}, kept per URL, at most 32) must be valid now; and its
 * {@code Signature} must be that certificate's RSA signature — SHA1withRSA for {@code SignatureVersion} 1,
 * SHA256withRSA for 2 — of the documented fields of its {@code Type}. A message that fails is answered 403 (503
 * when the certificate could not be fetched, which SNS retries), a malformed one 400; neither changes anything. Raw
 * message delivery must be off on the subscription: a raw message carries no signature.
 *
 * <p>A message whose {@code Timestamp} is older than the {@link Builder#tolerance tolerance} changes nothing, and
 * is logged at WARN. A notification's SES event — {@code Delivery}, {@code Bounce} ({@code Permanent} a hard bounce,
 * {@code Transient} and {@code Undetermined} soft), {@code Complaint}, {@code DeliveryDelay}, {@code Open},
 * {@code Click}, {@code Reject} and {@code Rendering Failure} (dropped), {@code Subscription} (an unsubscribe, when
 * the recipient opted out) — becomes one {@link ProviderEvent} per recipient, recorded with
 * {@link EmailClient#record} on the tenant's email SES gave that {@code MessageId}. Bounces and complaints off SES's
 * account-level suppression list are dropped, a {@code not-spam} report and a {@code Send} record nothing. An event
 * is recorded once: a replayed message, or the same bounce or complaint through another topic, changes nothing. The
 * answer is 200 with how many events were recorded; an event of an email the tenant does not have is not.
 *
 * <p>A {@code SubscriptionConfirmation} is confirmed, by fetching its {@code SubscribeURL} with the fetcher, only
 * when {@link Builder#confirmSubscriptions} is on and that URL is on an SNS host; otherwise it is logged at WARN
 * with its topic (confirm it in the AWS console) and answered 200.
 *
 * <pre>{@code
 * SesEvents events = SesEvents.builder(irisx.tenant("acme"))
 *         .topicArn("arn:aws:sns:eu-west-1:123456789012:ses-events")
 *         .confirmSubscriptions(true)
 *         .build();
 * CallbackResponse response = events.handle(request);
 * }</pre>
 */
public final class SesEvents {

    private static final Logger LOG = LoggerFactory.getLogger(SesEvents.class);
    private static final Pattern TOPIC_ARN =
            Pattern.compile("arn:aws(?:-cn|-us-gov)?:sns:[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}:[0-9]{12}"
                    + ":[A-Za-z0-9_-]{1,256}");

    private final EmailClient email;
    private final TenantId tenant;
    private final Set<String> topicArns;
    private final boolean confirmSubscriptions;
    private final Duration tolerance;
    private final Fetcher fetcher;
    private final SnsCertificates certificates;

    /**
     * Fetches the bytes at an https URL: SNS's signing certificates, and the {@code SubscribeURL} that confirms a
     * subscription. {@link SesEvents} hands it only URLs on SNS hosts. Implementations must be thread-safe.
     */
    @FunctionalInterface
    public interface Fetcher {

        /**
         * The body of a successful GET of {@code url}.
         *
         * @throws IOException when there is none: no connection, a timeout, a status other than 2xx
         */
        byte[] fetch(URI url) throws IOException;

        /**
         * The default: the JDK's {@link java.net.http.HttpClient}, checking the server's certificate against the
         * JVM's trust store, following no redirect, reading at most 64 KiB, each fetch within {@code timeout}.
         */
        static Fetcher http(Duration timeout) {
            return new HttpFetcher(checkDuration("timeout", timeout, Duration.ofMinutes(5)));
        }
    }

    private SesEvents(Builder b, Fetcher fetcher) {
        this.email = b.email;
        this.tenant = b.tenant;
        this.topicArns = Set.copyOf(b.topicArns);
        this.confirmSubscriptions = b.confirmSubscriptions;
        this.tolerance = b.tolerance;
        this.fetcher = fetcher;
        this.certificates = new SnsCertificates(fetcher);
    }

    /**
     * A builder of {@code tenant}'s handler; the runtime's {@link io.irisx.messaging.email.EmailModule} keeps the
     * emails.
     */
    public static Builder builder(Tenant tenant) {
        return new Builder(tenant);
    }

    /** Handles one message SNS posted: checks it, and records, confirms or logs what it says. */
    public CallbackResponse handle(CallbackRequest request) {
        Objects.requireNonNull(request, "request");
        if (!request.is("POST")) {
            return CallbackResponse.text(405, "Amazon SNS posts its messages");
        }
        SnsMessage sns;
        try {
            sns = SnsMessage.parse(request.bodyText());
        } catch (IllegalArgumentException malformed) {
            return CallbackResponse.text(400, "not an Amazon SNS message: " + malformed.getMessage());
        }
        if (!topicArns.contains(sns.topicArn())) {
            LOG.debug("refused SNS message {} of topic {} for tenant {}: not a configured topic", sns.messageId(),
                    sns.topicArn(), tenant);
            return CallbackResponse.text(403, "TopicArn " + SnsMessage.shorten(sns.topicArn())
                    + " is not a topic this endpoint accepts");
        }
        CallbackResponse refused = verify(sns);
        if (refused != null) {
            return refused;
        }
        Instant now = email.clock().instant();
        if (sns.sentAt().isBefore(now.minus(tolerance))) {
            LOG.warn("ignored SNS message {} of topic {} for tenant {}: sent at {}, more than {} ago (a replay, or a"
                    + " retry too late; is this host's clock right?)", sns.messageId(), sns.topicArn(), tenant,
                    sns.timestamp(), tolerance);
            return CallbackResponse.text(200, "ignored: the message is older than " + tolerance);
        }
        return switch (sns.type()) {
            case SnsMessage.NOTIFICATION -> notification(sns);
            case SnsMessage.SUBSCRIPTION_CONFIRMATION -> confirmation(sns);
            default -> {
                LOG.warn("topic {} unsubscribed this endpoint of tenant {} (SNS message {}): SES events of that topic"
                        + " no longer arrive", sns.topicArn(), tenant, sns.messageId());
                yield CallbackResponse.text(200, "unsubscribed");
            }
        };
    }

    /** The answer refusing {@code sns}, or {@code null} when SNS signed it. */
    private CallbackResponse verify(SnsMessage sns) {
        String algorithm = switch (sns.signatureVersion()) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> null;
        };
        if (algorithm == null) {
            return CallbackResponse.text(403, "SignatureVersion must be 1 or 2, was '"
                    + SnsMessage.shorten(sns.signatureVersion()) + "'");
        }
        URI certificateUrl = uri(sns.signingCertUrl());
        if (certificateUrl == null || !SnsCertificates.isSnsUrl(certificateUrl)) {
            LOG.debug("refused SNS message {} for tenant {}: SigningCertURL is not on an SNS host", sns.messageId(),
                    tenant);
            return CallbackResponse.text(403, "SigningCertURL must be an https URL on sns.<region>.amazonaws.com,"
                    + " was '" + SnsMessage.shorten(sns.signingCertUrl()) + "'");
        }
        X509Certificate certificate;
        try {
            certificate = certificates.get(certificateUrl, email.clock().instant());
        } catch (IOException e) {
            LOG.warn("could not fetch the SNS signing certificate {} for message {} of topic {} (tenant {}): {}",
                    certificateUrl, sns.messageId(), sns.topicArn(), tenant, e.toString());
            return CallbackResponse.text(503, "the signing certificate could not be fetched; try again later");
        } catch (CertificateException e) {
            LOG.warn("refused SNS message {} of topic {} (tenant {}): the certificate at {} is unusable: {}",
                    sns.messageId(), sns.topicArn(), tenant, certificateUrl, e.getMessage());
            return CallbackResponse.text(403, "the certificate at SigningCertURL is not a valid certificate");
        }
        if (!signed(sns, algorithm, certificate)) {
            LOG.debug("refused SNS message {} for tenant {}: the signature does not match", sns.messageId(), tenant);
            return CallbackResponse.text(403, "the Signature does not match the message");
        }
        return null;
    }

    private static boolean signed(SnsMessage sns, String algorithm, X509Certificate certificate) {
        try {
            byte[] signature = Base64.getDecoder().decode(sns.signature());
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate);
            verifier.update(sns.stringToSign().getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // Not Base64, a key that is not RSA, a signature of the wrong length: not SNS's.
            return false;
        }
    }

    private CallbackResponse notification(SnsMessage sns) {
        List<ProviderEvent> events;
        try {
            JsonNode event = ProviderHttp.JSON.readTree(sns.message());
            if (event == null || !event.isObject()) {
                throw new IllegalArgumentException("the Message is not a JSON object");
            }
            events = SesEventReader.events(sns.messageId(), sns.sentAt(), event);
        } catch (JsonProcessingException e) {
            return CallbackResponse.text(400, "the Message is not an SES event: " + e.getOriginalMessage());
        } catch (IllegalArgumentException | IrisxValidationException e) {
            return CallbackResponse.text(400, "the Message is not an SES event IRISX can read: " + e.getMessage());
        }
        int recorded = 0;
        for (ProviderEvent event : events) {
            if (email.record(event)) {
                recorded++;
            } else {
                LOG.debug("SES event {} of SES message {} changed nothing for tenant {} (seen before, or not its"
                        + " email)", event.eventId(), event.providerMessageId(), tenant);
            }
        }
        return CallbackResponse.text(200, "recorded " + recorded + " of " + events.size() + " events");
    }

    private CallbackResponse confirmation(SnsMessage sns) {
        if (!confirmSubscriptions) {
            LOG.warn("SNS asks to confirm the subscription of tenant {}'s endpoint to topic {} (message {}):"
                    + " confirming is off, so confirm it in the AWS console or with ConfirmSubscription",
                    tenant, sns.topicArn(), sns.messageId());
            return CallbackResponse.text(200, "not confirmed: this endpoint does not confirm subscriptions");
        }
        URI subscribe = uri(sns.subscribeUrl());
        if (subscribe == null || !SnsCertificates.isSnsUrl(subscribe)) {
            LOG.warn("did not confirm the subscription of tenant {}'s endpoint to topic {} (message {}): its"
                    + " SubscribeURL is not an https URL on an SNS host", tenant, sns.topicArn(), sns.messageId());
            return CallbackResponse.text(200, "not confirmed: the SubscribeURL is not on an SNS host");
        }
        try {
            fetcher.fetch(subscribe);
        } catch (IOException e) {
            LOG.warn("could not confirm the subscription of tenant {}'s endpoint to topic {} (message {}): {}",
                    tenant, sns.topicArn(), sns.messageId(), e.toString());
            return CallbackResponse.text(503, "the subscription could not be confirmed; try again later");
        }
        LOG.info("confirmed the subscription of tenant {}'s endpoint to topic {}", tenant, sns.topicArn());
        return CallbackResponse.text(200, "subscription confirmed");
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Duration checkDuration(String field, Duration duration, Duration max) {
        Objects.requireNonNull(duration, field);
        if (duration.isNegative() || duration.isZero() || duration.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be positive and at most " + max + ", was " + duration);
        }
        return duration;
    }

    @Override
    public String toString() {
        return "SesEvents[" + tenant + " topics=" + topicArns + " confirmSubscriptions=" + confirmSubscriptions
                + " tolerance=" + tolerance + "]";
    }

    /** Builds {@link SesEvents}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final EmailClient email;
        private final TenantId tenant;
        private final Set<String> topicArns = new LinkedHashSet<>();
        private boolean confirmSubscriptions;
        private Duration tolerance = Duration.ofHours(1);
        private Fetcher fetcher;

        private Builder(Tenant tenant) {
            this.email = EmailClient.of(Objects.requireNonNull(tenant, "tenant"));
            this.tenant = tenant.id();
        }

        /**
         * Accepts the messages of topic {@code arn}, e.g. {@code arn:aws:sns:eu-west-1:123456789012:ses-events}; call
         * it once per topic. At least one is required.
         */
        public Builder topicArn(String arn) {
            Objects.requireNonNull(arn, "arn");
            if (!TOPIC_ARN.matcher(arn).matches()) {
                throw new IllegalArgumentException("topicArn must be an SNS topic ARN such as"
                        + " arn:aws:sns:eu-west-1:123456789012:ses-events, was '" + SnsMessage.shorten(arn) + "'");
            }
            topicArns.add(arn);
            return this;
        }

        /**
         * Whether a {@code SubscriptionConfirmation} is confirmed by fetching its {@code SubscribeURL}; off by
         * default, so that subscribing this endpoint to a topic takes a step in AWS.
         */
        public Builder confirmSubscriptions(boolean confirmSubscriptions) {
            this.confirmSubscriptions = confirmSubscriptions;
            return this;
        }

        /**
         * How old a message may be, by its {@code Timestamp}, and still count: up to 7 days; 1 hour by default.
         * SNS stamps a message when it first sends it, so this must outlast the subscription's retries.
         */
        public Builder tolerance(Duration tolerance) {
            this.tolerance = checkDuration("tolerance", tolerance, Duration.ofDays(7));
            return this;
        }

        /** What fetches certificates and confirms subscriptions; {@link Fetcher#http} with 10 seconds by default. */
        public Builder fetcher(Fetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        /**
         * The handler; the builder may be used again.
         *
         * @throws IllegalStateException when no topic ARN was given
         */
        public SesEvents build() {
            if (topicArns.isEmpty()) {
                throw new IllegalStateException("set the ARN of the SNS topic SES publishes to: topicArn(arn)");
            }
            return new SesEvents(this, fetcher != null ? fetcher : Fetcher.http(Duration.ofSeconds(10)));
        }
    }
}

package io.irisx.messaging.email.smtp;

import io.irisx.core.IrisxValidationException;
import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.internal.ProviderSdk;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's reader of the bounces that come back for the email {@link SmtpProvider} sent: the host feeds each
 * message of its bounce mailbox (the envelope sender's) to {@link #record}, which reads it as an RFC 3464 delivery
 * status notification and records what it reports; thread-safe, meant to be shared.
 *
 * <p>A DSN is a {@code multipart/report} (RFC 6522) of {@code report-type=delivery-status}: a human-readable part, a
 * {@code message/delivery-status} part with the per-message fields and a group of fields per recipient, and the
 * original message ({@code message/rfc822}) or its headers ({@code text/rfc822-headers}). The email is the one whose
 * {@code Message-ID} — the provider message id {@link SmtpProvider} stores — the original's headers give. Each
 * recipient's {@code Action} and {@code Status} (RFC 3464 sections 2.3.3 and 2.3.4) become one
 * {@link ProviderEvent}: {@code delivered}, {@code relayed} and {@code expanded} a delivery; {@code delayed} a
 * deferral; {@code failed} with a 5.x.x status a hard bounce (which suppresses the recipient), with any other a soft
 * one. The recipient is the {@code Original-Recipient} when the DSN gives an rfc822 one, else the
 * {@code Final-Recipient}; the detail is the action, the status and the {@code Diagnostic-Code}; the time is the
 * {@code Last-Attempt-Date}, else the DSN's {@code Date}. An event is recorded once: the same DSN fed again changes
 * nothing, and another tenant's email of the same {@code Message-ID} is never touched.
 *
 * <pre>{@code
 * SmtpBounces bounces = SmtpBounces.of(irisx.tenant("acme"));
 * SmtpBounces.Result result = bounces.record(rawMessage);   // bytes of one message of the bounce mailbox
 * }</pre>
 */
public final class SmtpBounces {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpBounces.class);
    /** What reading a DSN loads from angus-mail and the jars it brings: Jakarta Mail, implemented. */
    private static final List<String> SDK_CLASSES = List.of("jakarta.mail.Session",
            "jakarta.mail.internet.MimeMultipart", "org.eclipse.angus.mail.util.MailStreamProvider");

    private final EmailClient email;
    private final TenantId tenant;
    private final DsnReader reader;

    private SmtpBounces(Tenant tenant) {
        this.email = EmailClient.of(tenant);
        this.tenant = tenant.id();
        this.reader = new DsnReader();
    }

    /**
     * {@code tenant}'s reader; the runtime's {@link io.irisx.messaging.email.EmailModule} keeps the emails.
     *
     * @throws IllegalStateException when Angus Mail is not on the class path, naming the artifact to add
     */
    public static SmtpBounces of(Tenant tenant) {
        ProviderSdk.require(SmtpProvider.NAME, "angus-mail", SDK_CLASSES);
        return new SmtpBounces(Objects.requireNonNull(tenant, "tenant"));
    }

    /**
     * What a DSN reported, and what of it was recorded; immutable.
     *
     * @param messageId the original email's {@code Message-ID}, with its angle brackets
     * @param events every event the DSN reports, one per recipient, in its order
     * @param recorded those recorded now: the others were recorded before, or name no email of the tenant
     */
    public record Result(String messageId, List<ProviderEvent> events, List<ProviderEvent> recorded) {

        /** Copies the lists. */
        public Result {
            Objects.requireNonNull(messageId, "messageId");
            events = List.copyOf(events);
            recorded = List.copyOf(recorded);
        }
    }

    /**
     * Reads {@code message}, the raw bytes of one message of the bounce mailbox, as a DSN, and records each
     * recipient's event on the tenant's email it names.
     *
     * @throws IrisxValidationException naming the problem when {@code message} is not a delivery status
     *     notification (not {@code multipart/report}, another report type, no {@code message/delivery-status} part,
     *     a recipient without its required fields), or returns no original {@code Message-ID}; nothing is recorded
     */
    public Result record(byte[] message) {
        Objects.requireNonNull(message, "message");
        DsnReader.Read read = reader.read(message, email.clock().instant());
        List<ProviderEvent> recorded = new ArrayList<>();
        for (ProviderEvent event : read.events()) {
            if (email.record(event)) {
                recorded.add(event);
            }
        }
        LOG.debug("DSN for {} recorded {} of {} events for tenant {}", read.messageId(), recorded.size(),
                read.events().size(), tenant);
        return new Result(read.messageId(), read.events(), recorded);
    }

    @Override
    public String toString() {
        return "SmtpBounces[" + tenant + "]";
    }
}

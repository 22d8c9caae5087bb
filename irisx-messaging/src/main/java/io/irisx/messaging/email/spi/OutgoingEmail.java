package io.irisx.messaging.email.spi;

import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.messaging.email.Attachment;
import io.irisx.messaging.email.EmailAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One email as a provider is asked to send it: checked, its template already rendered; immutable.
 *
 * @param id the IRISX message id
 * @param tenant whose email it is
 * @param idempotencyKey the caller's idempotency key, else the message id: the same on every try, for providers
 *     that accept one
 * @param from the sender
 * @param to the To recipients
 * @param cc the Cc recipients
 * @param bcc the Bcc recipients
 * @param replyTo the Reply-To addresses, often empty
 * @param subject the subject line
 * @param text the plain-text body, empty when the email has none
 * @param html the HTML body, empty when the email has none
 * @param attachments the attachments, inline ones included, in order
 * @param headers extra headers, by name, in order
 * @param tags short labels for the provider's reports
 * @param metadata key-value pairs the provider stores with the email and returns in its events
 */
public record OutgoingEmail(MessageId id, TenantId tenant, String idempotencyKey, EmailAddress from,
        List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> bcc, List<EmailAddress> replyTo,
        String subject, String text, String html, List<Attachment> attachments, Map<String, String> headers,
        List<String> tags, Map<String, String> metadata) {

    /** Copies every list and map. */
    public OutgoingEmail {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(from, "from");
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        replyTo = List.copyOf(replyTo);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        attachments = List.copyOf(attachments);
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        tags = List.copyOf(tags);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Whether it has a plain-text body. */
    public boolean hasText() {
        return !text.isEmpty();
    }

    /** Whether it has an HTML body. */
    public boolean hasHtml() {
        return !html.isEmpty();
    }

    @Override
    public String toString() {
        // Addresses and bodies are personal data: never logged.
        return "OutgoingEmail[" + id + " tenant=" + tenant + " recipients=" + (to.size() + cc.size() + bcc.size())
                + " attachments=" + attachments.size() + "]";
    }
}

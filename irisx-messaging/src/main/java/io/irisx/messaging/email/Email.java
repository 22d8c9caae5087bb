package io.irisx.messaging.email;

import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An email as IRISX stored it, with where it stands; immutable. Its attachments are read separately
 * ({@link EmailClient#attachments(MessageId)}), its status changes too ({@link EmailClient#history(MessageId)}).
 *
 * @param id its message id
 * @param tenant whose it is
 * @param idempotencyKey the caller's key, else the message id
 * @param status where it stands
 * @param stream the stream it belongs to
 * @param from the sender
 * @param to the To recipients
 * @param cc the Cc recipients
 * @param bcc the Bcc recipients
 * @param replyTo the Reply-To addresses
 * @param subject the subject, rendered
 * @param text the plain-text body, rendered; empty when none
 * @param html the HTML body, rendered; empty when none
 * @param headers extra headers
 * @param tags tags
 * @param metadata metadata
 * @param template the template and version it was rendered from, if any
 * @param attachmentCount how many attachments it has
 * @param attempts tries that ended with an answer from a provider, or with none from every provider
 * @param provider the provider that accepted it, once one has
 * @param providerMessageId that provider's id for it
 * @param possibleDuplicate whether it was sent again after a try with an unknown outcome through a provider that
 *     honours no idempotency key, so that the recipient may have it twice
 * @param lastError the last failure, if any
 * @param createdAt when it was queued
 * @param updatedAt when it last changed
 * @param sentAt when a provider accepted it
 * @param test whether it was sent in test mode ({@link io.irisx.core.Tenant#isTest()}): only through the module's test
 *     providers, never a real one, and neither metered nor billed
 */
public record Email(MessageId id, TenantId tenant, String idempotencyKey, EmailStatus status, EmailStream stream,
        EmailAddress from,
        List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> bcc, List<EmailAddress> replyTo,
        String subject, String text, String html, Map<String, String> headers, List<String> tags,
        Map<String, String> metadata, Optional<TemplateRef> template, int attachmentCount, int attempts,
        Optional<String> provider, Optional<String> providerMessageId, boolean possibleDuplicate,
        Optional<String> lastError, Instant createdAt, Instant updatedAt, Optional<Instant> sentAt, boolean test) {

    /**
     * The template version an email was rendered from.
     *
     * @param id the template's id
     * @param version its version
     */
    public record TemplateRef(String id, int version) {
    }

    /** This email with only these recipients. */
    public Email withRecipients(List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> bcc) {
        return new Email(id, tenant, idempotencyKey, status, stream, from, to, cc, bcc, replyTo, subject, text, html,
                headers, tags, metadata, template, attachmentCount, attempts, provider, providerMessageId,
                possibleDuplicate, lastError, createdAt, updatedAt, sentAt, test);
    }

    @Override
    public String toString() {
        // Addresses and bodies are personal data: never logged.
        return "Email[" + id + " tenant=" + tenant + " " + status + provider.map(p -> " via " + p).orElse("")
                + (test ? " test" : "") + "]";
    }
}

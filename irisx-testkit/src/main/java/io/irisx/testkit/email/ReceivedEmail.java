package io.irisx.testkit.email;

import io.irisx.messaging.email.EmailAddress;
import java.util.List;
import java.util.Map;

/**
 * An email as a provider's local test server read it off the wire, in the provider's own format, for the
 * {@link EmailProviderContractKit} to compare with what was sent; a value, made by the provider's test. Absent text
 * is empty; absent lists and maps are empty.
 *
 * @param from the sender
 * @param to the To recipients
 * @param cc the Cc recipients
 * @param bcc the Bcc recipients
 * @param replyTo the Reply-To addresses
 * @param subject the subject
 * @param text the plain-text body
 * @param html the HTML body
 * @param attachments the attachments, inline ones included, in order
 * @param headers the extra headers the provider was asked to add
 * @param tags the tags
 * @param metadata the metadata
 * @param idempotencyKey the idempotency key the provider was given, empty when none
 */
public record ReceivedEmail(EmailAddress from, List<EmailAddress> to, List<EmailAddress> cc, List<EmailAddress> bcc,
        List<EmailAddress> replyTo, String subject, String text, String html, List<Received> attachments,
        Map<String, String> headers, List<String> tags, Map<String, String> metadata, String idempotencyKey) {

    /**
     * One attachment as received.
     *
     * @param filename its file name
     * @param contentType its MIME type
     * @param content its bytes, decoded
     * @param contentId its content id when inline, else empty
     */
    public record Received(String filename, String contentType, byte[] content, String contentId) {
    }
}

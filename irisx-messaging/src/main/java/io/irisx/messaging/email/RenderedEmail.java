package io.irisx.messaging.email;

/**
 * A template rendered with its variables: what an email sent with it would carry; immutable.
 *
 * @param templateId the template
 * @param version the version rendered
 * @param subject the subject
 * @param text the plain-text body, empty when the template has none
 * @param html the HTML body, empty when the template has none
 */
public record RenderedEmail(String templateId, int version, String subject, String text, String html) {
}

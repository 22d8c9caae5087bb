package io.irisx.messaging.email;

import java.time.Instant;

/**
 * One version of a tenant's email template: subject, text and HTML, each a Mustache template naming its
 * variables as {@code {{variable}}}; immutable. In the HTML, variables are HTML-escaped
 * ({@code {{{variable}}}} inserts them as they are); in the subject and text they are not.
 *
 * @param id the template's id, chosen by the tenant, e.g. {@code welcome}
 * @param version its version, from 1, one more at each save
 * @param subject the subject template
 * @param text the plain-text template, empty when none
 * @param html the HTML template, empty when none
 * @param createdAt when this version was saved
 */
public record EmailTemplate(String id, int version, String subject, String text, String html, Instant createdAt) {
}

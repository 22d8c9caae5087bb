/**
 * Email through Postmark's REST API: {@link io.irisx.messaging.email.postmark.PostmarkProvider} sends it, and
 * {@link io.irisx.messaging.email.postmark.PostmarkEvents} applies the events of Postmark's webhooks, behind basic
 * authentication or an IP allowlist, to the emails sent.
 */
package io.irisx.messaging.email.postmark;

/**
 * Mailgun: {@link io.irisx.messaging.email.mailgun.MailgunProvider} sends email through Mailgun's messages API as
 * multipart form data; {@link io.irisx.messaging.email.mailgun.MailgunEvents} applies the signed events of its
 * webhooks to the emails sent.
 */
package io.irisx.messaging.email.mailgun;

/**
 * Mailgun: {@link io.irisx.messaging.email.mailgun.MailgunProvider} sends email through Mailgun's messages API as
 * multipart form data.
 */
package io.irisx.messaging.email.mailgun;

/** Any SMTP server as an email provider: {@link io.irisx.messaging.email.smtp.SmtpProvider}. */
package io.irisx.messaging.email.smtp;

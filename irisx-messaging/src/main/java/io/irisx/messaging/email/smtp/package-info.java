/**
 * Any SMTP server as an email provider ({@link io.irisx.messaging.email.smtp.SmtpProvider}), signing with DKIM when
 * given {@link io.irisx.messaging.email.smtp.Dkim} settings and a {@link io.irisx.messaging.email.smtp.DkimKey}, and
 * the reader of the delivery status notifications that come back to its bounce mailbox
 * ({@link io.irisx.messaging.email.smtp.SmtpBounces}).
 */
package io.irisx.messaging.email.smtp;

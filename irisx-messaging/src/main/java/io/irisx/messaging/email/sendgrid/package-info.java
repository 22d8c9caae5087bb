/**
 * SendGrid: {@link io.irisx.messaging.email.sendgrid.SendGridProvider} sends email through SendGrid's v3 Mail Send API
 * with the official {@code sendgrid-java} SDK; {@link io.irisx.messaging.email.sendgrid.SendGridEvents} applies the
 * signed events of its Event Webhook to the emails sent.
 */
package io.irisx.messaging.email.sendgrid;

/**
 * SendGrid: {@link io.irisx.messaging.email.sendgrid.SendGridProvider} sends email through SendGrid's v3 Mail Send API
 * with the official {@code sendgrid-java} SDK.
 */
package io.irisx.messaging.email.sendgrid;

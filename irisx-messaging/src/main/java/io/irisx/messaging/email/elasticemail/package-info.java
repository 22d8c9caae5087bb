/**
 * Email through Elastic Email's REST API v4: {@link io.irisx.messaging.email.elasticemail.ElasticEmailProvider} sends
 * it, and {@link io.irisx.messaging.email.elasticemail.ElasticEmailEvents} applies Elastic Email's HTTP Web
 * Notifications, which carry a secret of the notification URL, to the emails sent.
 */
package io.irisx.messaging.email.elasticemail;

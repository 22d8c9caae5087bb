/**
 * Webhook endpoints, the messages fanned out to them, and their delivery attempts.
 *
 * <p>A host obtains a {@link io.irisx.webhooks.endpoint.WebhookEndpoints} for one tenant to let that tenant's
 * customers register, change, test and inspect their endpoints. The {@link io.irisx.webhooks.endpoint.WebhooksModule}
 * turns each event a channel emits into one {@link io.irisx.webhooks.endpoint.WebhookMessage} per subscribed
 * endpoint, queued on the outbox's {@code WEBHOOKS} channel in the emitter's transaction, and delivers it, recording
 * each {@link io.irisx.webhooks.endpoint.WebhookAttempt}.
 *
 * <p>The outbox envelope of a webhook message carries the message id as its payload. Its idempotency key is the
 * message id at the first publication, and {@code <message id>.retry-<n>} at the n-th re-publication (a retry on
 * request, a recovery).
 */
package io.irisx.webhooks.endpoint;

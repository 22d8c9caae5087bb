/**
 * The HTTP side of webhook delivery: the {@link io.irisx.webhooks.delivery.WebhookDispatcher} that signs and POSTs one
 * {@link io.irisx.webhooks.delivery.WebhookRequest} and classifies what happened as an
 * {@link io.irisx.webhooks.delivery.AttemptResult}. The {@link io.irisx.webhooks.endpoint.WebhooksModule} delivers
 * with one, adding the retry schedule and each endpoint's concurrency and rate limits; a host may also use a
 * dispatcher alone, to send a webhook of its own outside the module.
 */
package io.irisx.webhooks.delivery;

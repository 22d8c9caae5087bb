/**
 * The HTTP side of webhook delivery: the {@link io.irisx.webhooks.delivery.WebhookDispatcher} that signs and POSTs one
 * {@link io.irisx.webhooks.delivery.WebhookRequest} and classifies what happened as an
 * {@link io.irisx.webhooks.delivery.AttemptResult}, the {@link io.irisx.webhooks.delivery.DeliverySchedule} that says
 * when to try again, and the {@link io.irisx.webhooks.delivery.EndpointThrottle} that keeps each endpoint within its
 * concurrency and rate limits.
 */
package io.irisx.webhooks.delivery;

/**
 * What the webhook endpoints are stored with, not API: the store and the rows of the webhook tables, the checks
 * endpoint settings pass, the event sink that fans events out, and the publisher that queues messages on the outbox.
 */
package io.irisx.webhooks.internal.store;

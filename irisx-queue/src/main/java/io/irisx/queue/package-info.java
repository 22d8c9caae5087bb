/**
 * The production {@link io.irisx.core.outbox.Outbox}: NATS JetStream streams fed by a relay from the outbox table,
 * and durable pull consumers shared by every worker process.
 */
package io.irisx.queue;

/**
 * The durable queue between sends and workers: the {@link io.irisx.core.outbox.Outbox} SPI, its envelopes, handlers,
 * outcomes and dead letters, and the embedded implementation {@link io.irisx.core.outbox.JdbcOutbox}.
 */
package io.irisx.core.outbox;

/**
 * The SPI an {@link io.irisx.core.outbox.Outbox} implementation builds on, over the outbox table of irisx-core: the
 * embedded {@link io.irisx.core.outbox.JdbcOutbox} does, and so does a broker outbox such as irisx-queue's JetStream
 * outbox. Not for hosts, which use the {@link io.irisx.core.outbox} package only.
 *
 * <ul>
 *   <li>{@link io.irisx.core.outbox.spi.OutboxTable}: the table, queueing in the caller's transaction, lookups,
 *       retention and the backlog;</li>
 *   <li>{@link io.irisx.core.outbox.spi.OutboxClaims}: workers claiming records, from the table or as the broker
 *       delivers them;</li>
 *   <li>{@link io.irisx.core.outbox.spi.ClaimAhead}: how far a worker may claim records ahead of its handlers;</li>
 *   <li>{@link io.irisx.core.outbox.spi.OutboxOutcomes}: running the handler on a claimed record, recording its
 *       outcome, and the dead letters;</li>
 *   <li>{@link io.irisx.core.outbox.spi.OutboxRelayStore}: a broker outbox's relay of committed records to the
 *       broker;</li>
 *   <li>{@link io.irisx.core.outbox.spi.BrokerStreams}: putting back on the broker what its streams lost.</li>
 * </ul>
 *
 * <p>Dependencies run one way: the claims use the outcomes (a lapsed claim on a last try is a dead letter), the
 * outcomes the dead letters, and everything the table.
 */
package io.irisx.core.outbox.spi;

/**
 * The outbox contract kit: {@link io.irisx.testkit.outbox.OutboxContractKit}, which every
 * {@link io.irisx.core.outbox.Outbox} passes, and the {@link io.irisx.testkit.outbox.RecordingHandler} its tests
 * consume with.
 */
package io.irisx.testkit.outbox;

/**
 * The {@code outbox} suite: the JetStream relay beside raw jnats, the send transaction beside a bare insert, and
 * end-to-end throughput and latency of each outbox beside the raw broker or database path.
 */
package io.irisx.benchmarks.outbox;

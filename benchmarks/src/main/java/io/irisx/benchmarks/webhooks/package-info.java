/**
 * The {@code webhooks} suite: Standard Webhooks signing and verification of irisx-webhooks, beside the raw JDK
 * HMAC-SHA256 and Base64 over the same bytes (JMH), and end-to-end deliveries from an event to a local receiver
 * through the JetStream outbox on PostgreSQL, beside the same signed POSTs sent by a plain OkHttp client (a program,
 * {@link io.irisx.benchmarks.webhooks.DeliveryBenchmark}).
 */
package io.irisx.benchmarks.webhooks;

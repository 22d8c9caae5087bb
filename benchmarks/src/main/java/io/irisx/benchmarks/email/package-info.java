/**
 * The {@code email} suite: template rendering of irisx-messaging as a send renders, beside JMustache with the
 * template compiled once (JMH, {@link io.irisx.benchmarks.email.TemplateRenderBenchmark}), and end-to-end sends from
 * {@code EmailClient.send} to SENT through a local server speaking Postmark's API, on the JetStream outbox with
 * PostgreSQL and on the embedded defaults, beside the Postmark provider called directly against the same server (a
 * program, {@link io.irisx.benchmarks.email.SendBenchmark}).
 */
package io.irisx.benchmarks.email;

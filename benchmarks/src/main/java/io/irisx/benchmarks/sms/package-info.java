/**
 * The {@code sms} suite: end-to-end sends from {@code SmsClient.send} to SENT through a local server speaking
 * Twilio's Messages API, on the JetStream outbox with PostgreSQL and on the embedded defaults, beside the Twilio SDK
 * called directly against the same server (a program, {@link io.irisx.benchmarks.sms.SendBenchmark}).
 */
package io.irisx.benchmarks.sms;

/**
 * The {@code peers} part of the outbox suite: IRISX's outboxes beside the JVM's job and outbox libraries a host would
 * otherwise send through (transaction-outbox, db-scheduler, JobRunr), doing the same work on the same PostgreSQL in
 * the same run.
 */
package io.irisx.benchmarks.outbox.peers;

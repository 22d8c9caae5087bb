/**
 * Email: {@link io.irisx.messaging.email.EmailClient} queues a tenant's emails through the outbox, and the
 * {@link io.irisx.messaging.email.EmailModule} sends them through an ordered chain of providers with circuit
 * breakers, recording every status change and emitting it as an {@code email.*} event.
 */
package io.irisx.messaging.email;

/**
 * SMS and MMS: {@link io.irisx.messaging.sms.SmsClient} queues a tenant's messages through the outbox, with their
 * numbers in E.164 and their segments counted, applies status reports, stores inbound messages and keeps the
 * tenant's opt-out list, emitting every change as an {@code sms.*} event; the
 * {@link io.irisx.messaging.sms.SmsModule} sends the messages through the registered providers.
 */
package io.irisx.messaging.sms;

/**
 * SMS and MMS: {@link io.irisx.messaging.sms.SmsClient} queues a tenant's messages through the outbox, with their
 * numbers in E.164 and their segments counted; {@link io.irisx.messaging.sms.SmsSender} sends them through the
 * registered providers; {@link io.irisx.messaging.sms.SmsStore} applies status reports, stores inbound messages and
 * keeps each tenant's opt-out list, emitting every change as an {@code sms.*} event.
 */
package io.irisx.messaging.sms;

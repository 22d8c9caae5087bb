/**
 * The SMS kits: {@link io.irisx.testkit.sms.SmsProviderContractKit}, which every
 * {@link io.irisx.messaging.sms.spi.SmsProvider} passes against a local server of its API, and
 * {@link io.irisx.testkit.sms.SmsSenderContractKit}, the SMS channel end to end on an outbox under test, through a
 * {@link io.irisx.testkit.sms.LocalTwilio}.
 */
package io.irisx.testkit.sms;

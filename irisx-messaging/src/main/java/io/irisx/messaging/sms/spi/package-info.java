/**
 * The contract an SMS/MMS provider implements: {@link io.irisx.messaging.sms.spi.SmsProvider}, which sends an
 * {@link io.irisx.messaging.sms.spi.OutgoingSms} and answers with an {@link io.irisx.messaging.sms.spi.SmsReceipt}
 * or a {@link io.irisx.core.ProviderException}.
 */
package io.irisx.messaging.sms.spi;

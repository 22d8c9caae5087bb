/**
 * The contract an email provider implements: {@link io.irisx.messaging.email.spi.EmailProvider}, which sends an
 * {@link io.irisx.messaging.email.spi.OutgoingEmail} and answers with an
 * {@link io.irisx.messaging.email.spi.EmailReceipt} or a {@link io.irisx.core.ProviderException}.
 */
package io.irisx.messaging.email.spi;

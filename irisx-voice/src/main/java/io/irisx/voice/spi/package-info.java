/**
 * The contract a voice provider implements: {@link io.irisx.voice.spi.VoiceProvider}, which places an
 * {@link io.irisx.voice.spi.OutgoingCall}, hangs up and redirects a {@link io.irisx.voice.spi.ProviderCall}, and
 * answers with a {@link io.irisx.voice.spi.CallReceipt} or a {@link io.irisx.core.ProviderException}.
 */
package io.irisx.voice.spi;

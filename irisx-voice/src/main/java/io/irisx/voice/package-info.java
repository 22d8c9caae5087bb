/**
 * The voice channel: {@link io.irisx.voice.VoiceModule}, installed into the runtime, and each tenant's
 * {@link io.irisx.voice.Voice}, which places {@linkplain io.irisx.voice.CallRequest calls} (stored and queued on the
 * outbox's VOICE channel), looks them up, hangs them up and redirects them; their statuses move forward only, each
 * stored once with its {@code call.*} event.
 */
package io.irisx.voice;

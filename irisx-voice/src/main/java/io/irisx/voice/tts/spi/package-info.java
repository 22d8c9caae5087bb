/**
 * The contracts of text-to-speech: {@link io.irisx.voice.tts.spi.TtsProvider}, which a provider implements, and
 * {@link io.irisx.voice.tts.spi.TtsCache}, where synthesized audio is kept (on disk by default).
 */
package io.irisx.voice.tts.spi;

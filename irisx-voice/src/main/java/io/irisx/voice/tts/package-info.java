/**
 * Text-to-speech for calls: {@link io.irisx.voice.tts.AudioFormat} and {@link io.irisx.voice.tts.TtsAudio}, what the
 * providers of {@link io.irisx.voice.tts.spi} synthesize.
 */
package io.irisx.voice.tts;

/** ElevenLabs' text-to-speech as a provider: {@link io.irisx.voice.tts.elevenlabs.ElevenLabsTtsProvider}. */
package io.irisx.voice.tts.elevenlabs;

/** OpenAI's text-to-speech as a provider: {@link io.irisx.voice.tts.openai.OpenAiTtsProvider}. */
package io.irisx.voice.tts.openai;

package io.irisx.voice.tts.spi;

import io.irisx.core.ProviderException;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.TtsAudio;
import java.util.Optional;

/**
 * A text-to-speech service: turns at most {@link #maxCharacters()} characters into audio in one request.
 * Implementations are thread-safe, built once and shared, and registered explicitly on
 * {@link io.irisx.voice.tts.TextToSpeech.Builder#provider}; longer text is split before it reaches them.
 */
public interface TtsProvider extends AutoCloseable {

    /** The provider's name, unique among the registered ones: {@code openai}, {@code elevenlabs}, {@code polly}. */
    String name();

    /**
     * What else than the voice shapes this provider's audio, such as its model ({@code tts-1}) or engine
     * ({@code neural}): part of the cache key, so that audio made with other settings is not served; empty by
     * default.
     */
    default String settings() {
        return "";
    }

    /** The most characters one request may hold (OpenAI 4,096; Polly 3,000 billed characters). */
    int maxCharacters();

    /**
     * Synthesizes {@code text} in {@code voice}.
     *
     * @param text 1 to {@link #maxCharacters()} characters
     * @param voice the provider's voice: {@code alloy} (OpenAI), a voice id (ElevenLabs), {@code Joanna} (Polly)
     * @param language a BCP 47 tag such as {@code en-GB}, for providers that take one; empty for the voice's own
     * @param format the audio wanted
     * @return the audio, of {@code format}
     * @throws ProviderException when the provider fails or refuses: {@linkplain ProviderException#isRetryable()
     *     retryable} for a timeout, a lost connection, a rate limit or a server error, permanent for a refusal that
     *     the same request would meet again (an unknown voice, a bad key)
     * @throws IllegalArgumentException when the text is blank or longer than {@link #maxCharacters()}
     */
    TtsAudio synthesize(String text, String voice, Optional<String> language, AudioFormat format);

    /** Releases the provider's connections; nothing by default. */
    @Override
    default void close() {
    }
}

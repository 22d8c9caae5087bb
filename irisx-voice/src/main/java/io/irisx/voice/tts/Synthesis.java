package io.irisx.voice.tts;

import java.util.Objects;

/**
 * Text made into cached audio by a {@link TextToSpeech}; immutable.
 *
 * @param key the audio's content address, {@code <64 hex digits>.<extension>}: the same text, voice, language,
 *     format and provider always give the same key, which cannot be guessed without the hash key
 * @param url where the audio is served: the configured audio URL followed by the key
 * @param provider the provider whose audio it is
 * @param billedCharacters the characters the provider billed for it now: 0 when the audio was in the cache already
 */
public record Synthesis(String key, String url, String provider, int billedCharacters) {

    /** Checks the fields. */
    public Synthesis {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(provider, "provider");
        if (billedCharacters < 0) {
            throw new IllegalArgumentException("billedCharacters must be 0 or more, was " + billedCharacters);
        }
    }

    /** Whether a provider synthesized the audio now (and billed for it), rather than the cache holding it. */
    public boolean synthesizedNow() {
        return billedCharacters > 0;
    }
}

package io.irisx.voice.tts.internal;

import io.irisx.voice.tts.AudioFormat;
import java.util.Objects;
import java.util.Optional;

/** The checks every text-to-speech provider makes of a request before sending it; stateless. Not API. */
public final class ProviderChecks {

    private ProviderChecks() {
    }

    /**
     * Checks a request's fields.
     *
     * @throws IllegalArgumentException naming the field when the text is blank or over {@code maxCharacters}, or the
     *     voice is blank
     */
    public static void request(String text, int maxCharacters, String voice, Optional<String> language,
            AudioFormat format) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(voice, "voice");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(format, "format");
        if (text.isBlank() || text.length() > maxCharacters) {
            throw new IllegalArgumentException("text must be 1 to " + maxCharacters + " characters and not blank, was "
                    + text.length() + " characters");
        }
        if (voice.isBlank() || voice.length() > 128) {
            throw new IllegalArgumentException("voice must be 1 to 128 characters, was '" + voice + "'");
        }
    }
}

package io.irisx.voice.flow;

import io.irisx.core.IrisxValidationException;
import io.irisx.voice.internal.Checks;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Something a call hears: text spoken by the provider's text-to-speech, or audio played from a URL; immutable.
 * {@link Step.Say} and {@link Step.Play} are steps of one prompt each; a {@link Step.Gather} speaks its prompts
 * while it listens.
 */
public sealed interface Prompt permits Prompt.Speech, Prompt.Audio {

    /** The longest text spoken at once: 4,096 characters, as Twilio's {@code <Say>}. */
    int MAX_TEXT = 4096;

    /**
     * {@code text} spoken in the provider's default voice and language.
     *
     * @throws IrisxValidationException naming {@code text} when it is blank, longer than 4,096 characters, or holds
     *     control characters other than line breaks and tabs
     */
    static Speech say(String text) {
        return new Speech(text, Optional.empty(), Optional.empty());
    }

    /**
     * The audio at {@code url}, an https URL the provider fetches (MP3 or WAV).
     *
     * @throws IrisxValidationException naming {@code url} when it is not an https URL of at most 2,048 characters
     */
    static Audio play(String url) {
        return new Audio(url);
    }

    /**
     * Text spoken by the provider's text-to-speech.
     *
     * @param text what is said
     * @param voice the provider's voice ({@code Polly.Amy}, {@code alice}), or its default
     * @param language the language, a BCP 47 tag ({@code en-GB}), or the voice's default
     */
    record Speech(String text, Optional<String> voice, Optional<String> language) implements Prompt {

        private static final Pattern VOICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
        private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}");

        /** Checks every field. */
        public Speech {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(voice, "voice");
            Objects.requireNonNull(language, "language");
            if (text.isBlank() || text.length() > MAX_TEXT) {
                throw new IrisxValidationException("text", text, "must be 1-" + MAX_TEXT + " characters, not blank");
            }
            if (text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
                throw new IrisxValidationException("text", text, "must hold no control characters but line breaks"
                        + " and tabs");
            }
            voice.ifPresent(v -> {
                if (!VOICE.matcher(v).matches()) {
                    throw new IrisxValidationException("voice", v, "must be a voice name such as Polly.Amy: 1-64"
                            + " letters, digits, dots, underscores or hyphens");
                }
            });
            language.ifPresent(l -> {
                if (!LANGUAGE.matcher(l).matches()) {
                    throw new IrisxValidationException("language", l, "must be a language tag such as en-GB");
                }
            });
        }

        /** This text in {@code voice}. */
        public Speech voice(String voice) {
            return new Speech(text, Optional.of(Objects.requireNonNull(voice, "voice")), language);
        }

        /** This text in {@code language}, a BCP 47 tag. */
        public Speech language(String language) {
            return new Speech(text, voice, Optional.of(Objects.requireNonNull(language, "language")));
        }
    }

    /**
     * Audio played from a URL.
     *
     * @param url the https URL of the audio
     */
    record Audio(String url) implements Prompt {

        /** Checks the URL. */
        public Audio {
            Checks.httpsUrl("url", url);
        }
    }
}

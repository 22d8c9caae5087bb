package io.irisx.voice.tts;

import java.util.Objects;

/**
 * Speech a text-to-speech provider synthesized; immutable (the bytes are copied in and out).
 *
 * @param audio the audio, a whole file of {@code format}
 * @param format its format
 * @param billedCharacters the characters the provider bills for it: its own count when it answers with one (Polly's
 *     {@code x-amzn-RequestCharacters}, ElevenLabs' {@code x-character-count}), else the characters sent
 */
public record TtsAudio(byte[] audio, AudioFormat format, int billedCharacters) {

    /** Checks and copies the fields. */
    public TtsAudio {
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(format, "format");
        if (audio.length == 0) {
            throw new IllegalArgumentException("audio must hold at least one byte, was empty");
        }
        if (billedCharacters < 0) {
            throw new IllegalArgumentException("billedCharacters must be 0 or more, was " + billedCharacters);
        }
        audio = audio.clone();
    }

    @Override
    public byte[] audio() {
        return audio.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TtsAudio that && java.util.Arrays.equals(audio, that.audio) && format == that.format
                && billedCharacters == that.billedCharacters;
    }

    @Override
    public int hashCode() {
        return Objects.hash(java.util.Arrays.hashCode(audio), format, billedCharacters);
    }

    @Override
    public String toString() {
        return "TtsAudio[" + format + ", " + audio.length + " bytes, " + billedCharacters + " characters billed]";
    }
}

package io.irisx.voice.tts;

/**
 * The audio a text-to-speech provider is asked for: MP3, or 16-bit mono PCM in a WAV (RIFF) file. Both are formats
 * Twilio's {@code <Play>} and FreeSWITCH's {@code playback} take.
 */
public enum AudioFormat {

    /** MPEG audio layer III, {@code audio/mpeg}. */
    MP3("audio/mpeg", "mp3"),

    /** Signed 16-bit little-endian mono PCM in a RIFF WAVE file, {@code audio/wav}. */
    WAV("audio/wav", "wav");

    private final String contentType;
    private final String extension;

    AudioFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    /** The media type served with audio of this format. */
    public String contentType() {
        return contentType;
    }

    /** The file name extension of audio of this format, without the dot: {@code mp3}, {@code wav}. */
    public String extension() {
        return extension;
    }
}

package io.irisx.voice.tts.spi;

import io.irisx.voice.tts.internal.DiskTtsCache;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where synthesized audio is kept, by key: a content address ({@code <64 hex digits>.<extension>}) that the
 * {@link io.irisx.voice.tts.TextToSpeech} derives from the provider, voice, language, format and text.
 * Implementations are thread-safe; a value stored under a key never changes, so a concurrent second
 * {@link #put} of the same key may keep either copy.
 */
public interface TtsCache {

    /**
     * A cache of files in {@code directory} (created when missing) holding at most {@code maxBytes} of audio, evicting
     * the least recently used files first; files are written whole (to a temporary file, then moved in place), so a
     * reader never sees part of one, and several processes may share the directory.
     *
     * @throws IllegalArgumentException when {@code maxBytes} is under 1 MiB
     * @throws java.io.UncheckedIOException when the directory cannot be created or read
     */
    static TtsCache onDisk(Path directory, long maxBytes) {
        return DiskTtsCache.open(directory, maxBytes);
    }

    /** The audio stored under {@code key}, if any; a hit counts as a use for eviction. */
    Optional<byte[]> get(String key);

    /** Stores {@code audio} under {@code key}. */
    void put(String key, byte[] audio);
}

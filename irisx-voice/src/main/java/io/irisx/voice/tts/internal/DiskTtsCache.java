package io.irisx.voice.tts.internal;

import io.irisx.voice.tts.spi.TtsCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TtsCache} of files in one directory, one per key, bounded in bytes: the least recently used files go first
 * (use is kept in memory, and in each file's modification time so that a restart keeps the order). A file is written
 * to a temporary file in the same directory and moved in place, so no reader sees part of one. Thread-safe. Not API.
 */
public final class DiskTtsCache implements TtsCache {

    private static final Logger log = LoggerFactory.getLogger(DiskTtsCache.class);
    /** The keys the TextToSpeech derives: a hash and an extension, so a key is always a plain file name. */
    public static final Pattern KEY = Pattern.compile("[0-9a-f]{64}\\.(mp3|wav)");
    private static final long MIN_BYTES = 1L << 20;

    private final Path directory;
    private final long maxBytes;
    /** Each file's size, least recently used first. */
    private final LinkedHashMap<String, Long> sizes = new LinkedHashMap<>(16, 0.75f, true);
    private long total;

    private DiskTtsCache(Path directory, long maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
    }

    /** The cache in {@code directory}, created when missing, holding at most {@code maxBytes}. */
    public static DiskTtsCache open(Path directory, long maxBytes) {
        Objects.requireNonNull(directory, "directory");
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException("maxBytes must be at least 1 MiB (1048576), was " + maxBytes);
        }
        DiskTtsCache cache = new DiskTtsCache(directory, maxBytes);
        try {
            Files.createDirectories(directory);
            List<Path> files;
            try (Stream<Path> listed = Files.list(directory)) {
                files = listed.filter(path -> KEY.matcher(path.getFileName().toString()).matches()).toList();
            }
            Map<Path, FileTime> times = new LinkedHashMap<>();
            for (Path file : files) {
                times.put(file, Files.getLastModifiedTime(file));
            }
            for (Path file : files.stream().sorted(Comparator.comparing(times::get)).toList()) {
                long size = Files.size(file);
                cache.sizes.put(file.getFileName().toString(), size);
                cache.total += size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the text-to-speech cache in " + directory, e);
        }
        synchronized (cache.sizes) {
            cache.evict(null);
        }
        return cache;
    }

    @Override
    public Optional<byte[]> get(String key) {
        checkKey(key);
        Path file = directory.resolve(key);
        byte[] audio;
        try {
            audio = Files.readAllBytes(file);
        } catch (NoSuchFileException evicted) {
            forget(key);
            return Optional.empty();
        } catch (IOException e) {
            log.warn("irisx tts: could not read cached audio {} in {}: {}", key, directory, e.toString());
            return Optional.empty();
        }
        synchronized (sizes) {
            if (sizes.get(key) == null) {
                // Written by another process sharing the directory.
                sizes.put(key, (long) audio.length);
                total += audio.length;
                evict(key);
            }
        }
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException evictedMeanwhile) {
            // The next get finds it gone.
        }
        return Optional.of(audio);
    }

    @Override
    public void put(String key, byte[] audio) {
        checkKey(key);
        Objects.requireNonNull(audio, "audio");
        Path target = directory.resolve(key);
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, ".part-", ".tmp");
            Files.write(temporary, audio);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new UncheckedIOException("could not write cached audio " + key + " in " + directory, e);
        }
        synchronized (sizes) {
            Long previous = sizes.put(key, (long) audio.length);
            total += audio.length - (previous == null ? 0 : previous);
            evict(key);
        }
    }

    /** The bytes of audio the cache holds now. */
    public long bytes() {
        synchronized (sizes) {
            return total;
        }
    }

    /** Deletes least recently used files, other than {@code keep}, until the total is within the bound. */
    private void evict(String keep) {
        Iterator<Map.Entry<String, Long>> eldest = sizes.entrySet().iterator();
        while (total > maxBytes && eldest.hasNext()) {
            Map.Entry<String, Long> entry = eldest.next();
            if (entry.getKey().equals(keep)) {
                continue;
            }
            deleteQuietly(directory.resolve(entry.getKey()));
            total -= entry.getValue();
            eldest.remove();
            log.debug("irisx tts: evicted cached audio {} ({} bytes)", entry.getKey(), entry.getValue());
        }
    }

    private void forget(String key) {
        synchronized (sizes) {
            Long size = sizes.remove(key);
            if (size != null) {
                total -= size;
            }
        }
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key must be 64 hex digits and .mp3 or .wav, was '" + key + "'");
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("irisx tts: could not delete {}: {}", file, e.toString());
        }
    }

    @Override
    public String toString() {
        return "DiskTtsCache[" + directory + ", at most " + maxBytes + " bytes]";
    }
}

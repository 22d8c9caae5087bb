package io.irisx.voice.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.irisx.voice.tts.internal.DiskTtsCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk cache of synthesized audio: whole files, a size bound, least recently used first out. */
class DiskTtsCacheTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path directory;

    private static String key(int n) {
        return String.format("%064x", n) + ".mp3";
    }

    @Test
    void storedAudioIsReadBackAndSurvivesAReopen() {
        DiskTtsCache cache = DiskTtsCache.open(directory, MIB);
        cache.put(key(1), new byte[] {1, 2, 3});

        assertThat(cache.get(key(1))).hasValueSatisfying(audio -> assertThat(audio).containsExactly(1, 2, 3));
        assertThat(cache.get(key(2))).isEmpty();
        assertThat(DiskTtsCache.open(directory, MIB).get(key(1))).isPresent();
    }

    @Test
    void theLeastRecentlyUsedAudioIsEvictedFirst() {
        DiskTtsCache cache = DiskTtsCache.open(directory, MIB);
        byte[] third = new byte[MIB / 3];
        cache.put(key(1), third);
        cache.put(key(2), third);
        cache.put(key(3), third);
        cache.get(key(1)); // used: key 2 is now the least recently used

        cache.put(key(4), third);

        assertThat(cache.get(key(2))).isEmpty();
        assertThat(Files.exists(directory.resolve(key(2)))).isFalse();
        assertThat(cache.get(key(1))).isPresent();
        assertThat(cache.get(key(3))).isPresent();
        assertThat(cache.get(key(4))).isPresent();
        assertThat(cache.bytes()).isLessThanOrEqualTo(MIB);
    }

    @Test
    void aReopenedCacheKeepsItsBound() throws Exception {
        DiskTtsCache big = DiskTtsCache.open(directory, 4L * MIB);
        for (int i = 0; i < 4; i++) {
            big.put(key(i), new byte[MIB / 2]);
        }

        DiskTtsCache small = DiskTtsCache.open(directory, MIB);

        assertThat(small.bytes()).isLessThanOrEqualTo(MIB);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.count()).isEqualTo(2);
        }
    }

    @Test
    void concurrentWritersLeaveWholeFilesAndNoTemporaryOnes() throws Exception {
        DiskTtsCache cache = DiskTtsCache.open(directory, 64L * MIB);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    byte[] audio = new byte[10_000];
                    java.util.Arrays.fill(audio, (byte) (i % 5));
                    cache.put(key(i % 5), audio);
                    cache.get(key((i + thread) % 5)).ifPresent(read -> {
                        assertThat(read).hasSize(10_000);
                        assertThat(read[0]).isEqualTo(read[9_999]);
                    });
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .allMatch(name -> DiskTtsCache.KEY.matcher(name).matches()).hasSize(5);
        }
        assertThat(cache.bytes()).isEqualTo(50_000);
    }

    @Test
    void aKeyThatIsNoContentAddressIsRefused() {
        DiskTtsCache cache = DiskTtsCache.open(directory, MIB);

        assertThatIllegalArgumentException().isThrownBy(() -> cache.get("../etc/passwd")).withMessageContaining("key");
        assertThatIllegalArgumentException().isThrownBy(() -> DiskTtsCache.open(directory, 10))
                .withMessageContaining("maxBytes");
    }
}

package io.irisx.voice.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.ProviderException;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.health.Health;
import io.irisx.core.retry.CircuitBreakerSettings;
import io.irisx.testing.MutableClock;
import io.irisx.voice.tts.internal.Mp3;
import io.irisx.voice.tts.internal.Wav;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text-to-speech through its chain of providers and its cache, and the handler that serves the audio. */
class TextToSpeechTest {

    private static final String AUDIO_URL = "https://host.example/irisx/tts/";
    private static final byte[] HASH_KEY = "0123456789abcdef0123456789abcdef".getBytes();

    @TempDir
    Path cacheDirectory;

    private final ScriptedTtsProvider first = new ScriptedTtsProvider("first", 4096);
    private final ScriptedTtsProvider second = new ScriptedTtsProvider("second", 3000);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    private TextToSpeech tts;

    private TextToSpeech.Builder builder() {
        return TextToSpeech.builder().provider(first, "alloy").provider(second, "Joanna").audioUrl(AUDIO_URL)
                .cacheDirectory(cacheDirectory, 1 << 20).hashKey(HASH_KEY).meterRegistry(registry).clock(clock);
    }

    @AfterEach
    void close() {
        if (tts != null) {
            tts.close();
        }
    }

    @Test
    void theFirstProviderSynthesizesAndTheAudioIsServedAtItsUrl() {
        tts = builder().build();

        Synthesis synthesis = tts.synthesize("Welcome to Acme.", Optional.empty());

        assertThat(synthesis.provider()).isEqualTo("first");
        assertThat(synthesis.billedCharacters()).isEqualTo(16);
        assertThat(synthesis.key()).matches("[0-9a-f]{64}\\.mp3");
        assertThat(synthesis.url()).isEqualTo(AUDIO_URL + synthesis.key());
        assertThat(second.texts()).isEmpty();
        CallbackResponse served = tts.serve(new CallbackRequest("GET", "/irisx/tts/" + synthesis.key(), Map.of(),
                new byte[0]));
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.headers()).containsEntry("Content-Type", "audio/mpeg");
        // One part is served as the provider made it: its Xing frame, then a frame per character.
        byte[] body = served.body();
        assertThat(Mp3.frames(body)).filteredOn(frame -> !Mp3.isInfoFrame(body, frame)).hasSize(16);
        assertThat(registry.get("irisx.tts.characters").tag("provider", "first").counter().count()).isEqualTo(16);
    }

    @Test
    void aCacheHitCallsNoProviderAndBillsNothing() {
        tts = builder().build();
        Synthesis synthesized = tts.synthesize("Welcome to Acme.", Optional.of("en-GB"));

        Synthesis cached = tts.synthesize("Welcome to Acme.", Optional.of("en-GB"));

        assertThat(cached.key()).isEqualTo(synthesized.key());
        assertThat(cached.billedCharacters()).isZero();
        assertThat(cached.synthesizedNow()).isFalse();
        assertThat(first.texts()).hasSize(1);
        assertThat(registry.get("irisx.tts.cache").tag("result", "hit").counter().count()).isEqualTo(1);
        assertThat(registry.get("irisx.tts.cache").tag("result", "miss").counter().count()).isEqualTo(1);
        // Another language, voice or text is other audio.
        assertThat(tts.synthesize("Welcome to Acme.", Optional.of("en-US")).key()).isNotEqualTo(cached.key());
    }

    @Test
    void theKeyNamesTheContentYetDependsOnTheHashKey() {
        tts = builder().build();
        String key = tts.synthesize("Hello.", Optional.empty()).key();
        tts.close();

        tts = builder().build();
        assertThat(tts.synthesize("Hello.", Optional.empty()).key()).isEqualTo(key);
        tts.close();

        tts = builder().hashKey("another key of at least 32 bytes!".getBytes()).build();
        assertThat(tts.synthesize("Hello.", Optional.empty()).key()).isNotEqualTo(key);
        tts.close();

        // Another model of the same provider makes other audio: the cached one is not served for it.
        ScriptedTtsProvider remodelled = new ScriptedTtsProvider("first", 4096) {
            @Override
            public String settings() {
                return "model=tts-1-hd";
            }
        };
        tts = TextToSpeech.builder().provider(remodelled, "alloy").provider(second, "Joanna").audioUrl(AUDIO_URL)
                .cacheDirectory(cacheDirectory, 1 << 20).hashKey(HASH_KEY).build();
        assertThat(tts.synthesize("Hello.", Optional.empty()).key()).isNotEqualTo(key);
        assertThat(remodelled.texts()).containsExactly("Hello.");
    }

    @Test
    void aRetryableFailureFallsBackToTheNextProvider() {
        tts = builder().build();
        first.failNextRetryably();

        Synthesis synthesis = tts.synthesize("Welcome to Acme.", Optional.empty());

        assertThat(synthesis.provider()).isEqualTo("second");
        assertThat(second.texts()).containsExactly("Welcome to Acme.");
        assertThat(registry.get("irisx.tts.calls").tag("provider", "first").tag("outcome", "failed").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("irisx.tts.calls").tag("provider", "second").tag("outcome", "synthesized").timer()
                .count()).isEqualTo(1);
    }

    @Test
    void aPermanentFailureSurfacesWithoutTryingTheNextProvider() {
        tts = builder().build();
        first.failNext(new ProviderException("first", 400, "req-1", false, "voice alloy does not exist"));

        assertThatThrownBy(() -> tts.synthesize("Welcome to Acme.", Optional.empty()))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.provider()).isEqualTo("first");
                });
        assertThat(second.texts()).isEmpty();
        assertThat(registry.get("irisx.tts.calls").tag("outcome", "refused").timer().count()).isEqualTo(1);
    }

    @Test
    void whenEveryProviderFailsTheFailureIsRetryableAndSaysWhy() {
        tts = builder().build();
        first.failNextRetryably();
        second.failNextRetryably();

        assertThatThrownBy(() -> tts.synthesize("Welcome to Acme.", Optional.empty()))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getMessage()).contains("first 503").contains("second 503");
                });
    }

    @Test
    void anOpenCircuitSkipsItsProviderUntilItHalfOpens() {
        tts = builder().circuitBreaker(CircuitBreakerSettings.defaults().withWindow(2, 2)
                .withOpenFor(Duration.ofSeconds(30))).build();
        first.failNextRetryably().failNextRetryably();
        tts.synthesize("One.", Optional.empty());
        tts.synthesize("Two.", Optional.empty());
        assertThat(tts.health().status()).isEqualTo(Health.Status.DEGRADED);

        Synthesis skipped = tts.synthesize("Three.", Optional.empty());

        assertThat(skipped.provider()).isEqualTo("second");
        assertThat(first.texts()).containsExactly("One.", "Two.");
        assertThat(registry.get("irisx.tts.calls").tag("provider", "first").tag("outcome", "circuit_open").timer()
                .count()).isEqualTo(1);
        assertThat(registry.get("irisx.tts.circuit.state").tag("provider", "first").gauge().value()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(31));
        assertThat(tts.synthesize("Four.", Optional.empty()).provider()).isEqualTo("first");
    }

    @Test
    void textOverAProvidersLimitIsSplitAtSentencesAndTheMp3Joined() {
        ScriptedTtsProvider small = new ScriptedTtsProvider("small", 20);
        tts = TextToSpeech.builder().provider(small, "v").audioUrl(AUDIO_URL).cacheDirectory(cacheDirectory, 1 << 20)
                .build();
        String text = "Your order shipped. It arrives on Monday. Thank you!";

        Synthesis synthesis = tts.synthesize(text, Optional.empty());

        assertThat(small.texts()).containsExactly("Your order shipped.", "It arrives on", "Monday. Thank you!");
        byte[] audio = tts.audio(synthesis.key()).orElseThrow();
        List<Mp3.Frame> frames = Mp3.frames(audio);
        // One frame per character of each part; the later parts' ID3 tags and Xing frames are gone.
        assertThat(frames).hasSize(19 + 13 + 18);
        assertThat(frames).noneMatch(frame -> Mp3.isInfoFrame(audio, frame));
        assertThat(synthesis.billedCharacters()).isEqualTo(19 + 13 + 18);
    }

    @Test
    void textOverAProvidersLimitIsJoinedIntoOneWav() {
        ScriptedTtsProvider small = new ScriptedTtsProvider("small", 20);
        tts = TextToSpeech.builder().provider(small, "v").audioUrl(AUDIO_URL).format(AudioFormat.WAV)
                .cacheDirectory(cacheDirectory, 1 << 20).build();

        Synthesis synthesis = tts.synthesize("Your order shipped. It arrives on Monday.", Optional.empty());

        assertThat(synthesis.key()).endsWith(".wav");
        Wav.Pcm pcm = Wav.read(tts.audio(synthesis.key()).orElseThrow());
        // "Your order shipped." (19), then the second sentence, over the limit, cut between words: 13 + 7.
        assertThat(small.texts()).containsExactly("Your order shipped.", "It arrives on", "Monday.");
        assertThat(pcm.length()).isEqualTo((19 + 13 + 7) * 10 * 2);
        CallbackResponse served = tts.serve(new CallbackRequest("HEAD", "/tts/" + synthesis.key(), Map.of(),
                new byte[0]));
        assertThat(served.headers()).containsEntry("Content-Type", "audio/wav");
        assertThat(served.body()).isEmpty();
    }

    @Test
    void theHandlerServesOnlyCachedAudio() {
        tts = builder().build();
        String unknown = "0".repeat(64) + ".mp3";

        assertThat(tts.serve(new CallbackRequest("GET", "/irisx/tts/" + unknown, Map.of(), new byte[0])).status())
                .isEqualTo(404);
        assertThat(tts.serve(new CallbackRequest("GET", "/irisx/tts/..%2F..%2Fetc", Map.of(), new byte[0])).status())
                .isEqualTo(404);
        assertThat(tts.serve(new CallbackRequest("POST", "/irisx/tts/" + unknown, Map.of(), new byte[0])).status())
                .isEqualTo(405);
    }

    @Test
    void concurrentRequestsForTheSameTextSynthesizeItOnce() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ScriptedTtsProvider slow = new ScriptedTtsProvider("slow", 4096) {
            @Override
            public TtsAudio synthesize(String text, String voice, Optional<String> language, AudioFormat format) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.synthesize(text, voice, language, format);
            }
        };
        // A cache that never hits: only waiting for the synthesis in flight keeps the followers from the provider.
        java.util.Map<String, byte[]> stored = new java.util.concurrent.ConcurrentHashMap<>();
        io.irisx.voice.tts.spi.TtsCache forgetful = new io.irisx.voice.tts.spi.TtsCache() {
            @Override
            public Optional<byte[]> get(String key) {
                return Optional.empty();
            }

            @Override
            public void put(String key, byte[] audio) {
                stored.put(key, audio);
            }
        };
        tts = TextToSpeech.builder().provider(slow, "v").audioUrl(AUDIO_URL).cache(forgetful).build();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.Future<Synthesis> leader = pool.submit(() -> tts.synthesize("Hello.",
                    Optional.empty()));
            entered.await();
            List<Thread> waiting = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<java.util.concurrent.Future<Synthesis>> followers = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                followers.add(pool.submit(() -> {
                    waiting.add(Thread.currentThread());
                    return tts.synthesize("Hello.", Optional.empty());
                }));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == 3
                    && waiting.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING));
            release.countDown();

            assertThat(leader.get().billedCharacters()).isEqualTo(6);
            for (java.util.concurrent.Future<Synthesis> follower : followers) {
                assertThat(follower.get().key()).isEqualTo(leader.get().key());
                assertThat(follower.get().billedCharacters()).isZero();
            }
            assertThat(slow.texts()).containsExactly("Hello.");
            assertThat(stored).containsOnlyKeys(leader.get().key());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingClosesTheProviders() {
        builder().build().close();

        assertThat(first.closed()).isTrue();
        assertThat(second.closed()).isTrue();
    }

    @Test
    void theBuilderNamesWhatIsMissingOrWrong() {
        assertThatIllegalStateException().isThrownBy(() -> TextToSpeech.builder().audioUrl(AUDIO_URL).build())
                .withMessageContaining("provider");
        assertThatIllegalStateException().isThrownBy(() -> TextToSpeech.builder().provider(first, "v").build())
                .withMessageContaining("audioUrl");
        assertThatIllegalArgumentException().isThrownBy(() -> TextToSpeech.builder().audioUrl("http://host/tts/"))
                .withMessageContaining("audioUrl");
        assertThatIllegalArgumentException().isThrownBy(() -> TextToSpeech.builder().provider(first, "a")
                .provider(new ScriptedTtsProvider("first", 10), "b")).withMessageContaining("'first'");
        assertThatIllegalArgumentException().isThrownBy(() -> TextToSpeech.builder().hashKey(new byte[8]))
                .withMessageContaining("hashKey");
        assertThatIllegalArgumentException().isThrownBy(() -> TextToSpeech.builder().meterRegistry("registry"))
                .withMessageContaining("meterRegistry");
    }
}

package io.irisx.voice.tts;

import io.irisx.core.ProviderException;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.health.Health;
import io.irisx.core.retry.CircuitBreakerSettings;
import io.irisx.core.secret.Redaction;
import io.irisx.voice.tts.internal.DiskTtsCache;
import io.irisx.voice.tts.internal.TtsChain;
import io.irisx.voice.tts.internal.TtsMeters;
import io.irisx.voice.tts.spi.TtsCache;
import io.irisx.voice.tts.spi.TtsProvider;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Text-to-speech through an ordered chain of providers, each in its own voice, in front of a content-addressed cache
 * of audio, and the framework-free handler that serves that audio; thread-safe, built once and shared, and
 * {@link AutoCloseable} (it closes its providers).
 *
 * <p>{@link #synthesize} walks the chain: for each provider, the cache first (audio of this provider, voice,
 * language, format and text), then the provider unless its circuit is open; a retryable failure or an open circuit
 * moves on to the next provider, a permanent failure (an unknown voice, a bad key) is thrown. Text longer than a
 * provider's limit is split at sentence boundaries (then word boundaries), each part synthesized, and the audio
 * joined: MP3 at frame boundaries, WAV by samples under one header. Failures are logged at WARN with the synthesis key
 * and the provider's request id, never the text nor a key; meters are {@code irisx.tts.*} when a
 * {@linkplain Builder#meterRegistry meter registry} is given.
 *
 * <p>Characters billed are those the providers billed for this synthesis: a cache hit bills nothing. A
 * {@link io.irisx.voice.VoiceModule} given this meters them per tenant as {@code TTS_CHARACTER}.
 *
 * <pre>{@code
 * TextToSpeech tts = TextToSpeech.builder()
 *         .provider(OpenAiTtsProvider.builder(openAiKey).build(), "alloy")
 *         .provider(PollyTtsProvider.builder("eu-west-1").credentials(keyId, secret).build(), "Joanna")
 *         .audioUrl("https://host.example/irisx/tts/")       // where the host mounts tts::serve
 *         .build();
 * }</pre>
 */
public final class TextToSpeech implements AutoCloseable {

    private final TtsChain chain;
    private final String audioUrl;
    private final AudioFormat format;

    private TextToSpeech(Builder b, TtsCache cache, byte[] hashKey) {
        this.audioUrl = b.audioUrl;
        this.format = b.format;
        this.chain = new TtsChain(b.entries, cache, b.format, hashKey, b.circuitBreaker, b.clock,
                b.meterRegistry == null ? TtsMeters.NONE : TtsMeters.of(b.meterRegistry));
    }

    /** A builder; give it at least one provider and the audio URL. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The cached audio of {@code text} spoken in {@code language} (a BCP 47 tag, or empty for each voice's own),
     * synthesized first when the cache has none.
     *
     * @throws ProviderException a provider's permanent refusal; or, retryable, when no provider could synthesize it
     * @throws IllegalArgumentException when the text is blank
     */
    public Synthesis synthesize(String text, Optional<String> language) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(language, "language");
        if (text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank");
        }
        TtsChain.Result result = chain.synthesize(text, language);
        return new Synthesis(result.key(), audioUrl + result.key(), result.provider(), result.billedCharacters());
    }

    /** The audio cached under {@code key} (a {@link Synthesis#key()}), if the cache still holds it. */
    public Optional<byte[]> audio(String key) {
        Objects.requireNonNull(key, "key");
        return DiskTtsCache.KEY.matcher(key).matches() ? chain.cached(key) : Optional.empty();
    }

    /**
     * Serves cached audio: the handler the host mounts at the {@linkplain Builder#audioUrl audio URL}, for
     * {@code GET} and {@code HEAD} of {@code <audio URL><key>}. It answers 200 with the audio and its
     * {@code Content-Type} ({@code audio/mpeg}, {@code audio/wav}), cacheable for good (a key's audio never changes);
     * 404 for a key it does not hold or a path that is no key; 405 for another method.
     */
    public CallbackResponse serve(CallbackRequest request) {
        Objects.requireNonNull(request, "request");
        if (!request.is("GET") && !request.is("HEAD")) {
            return new CallbackResponse(405, Map.of("Allow", "GET, HEAD", "Content-Type", "text/plain; charset=utf-8"),
                    "use GET".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String path = request.path();
        String key = path.substring(path.lastIndexOf('/') + 1);
        Optional<byte[]> audio = audio(key);
        if (audio.isEmpty()) {
            return CallbackResponse.text(404, "no audio at this address");
        }
        AudioFormat served = key.endsWith("." + AudioFormat.MP3.extension()) ? AudioFormat.MP3 : AudioFormat.WAV;
        byte[] body = request.is("HEAD") ? new byte[0] : audio.get();
        return new CallbackResponse(200, Map.of("Content-Type", served.contentType(),
                "Content-Length", String.valueOf(audio.get().length),
                "Cache-Control", "public, max-age=31536000, immutable"), body);
    }

    /** The health of the providers' circuits: UP, DEGRADED when some are open, DOWN when all are. */
    public Health.Check health() {
        return chain.health();
    }

    /** The format of the audio this synthesizes. */
    public AudioFormat format() {
        return format;
    }

    /** Closes every provider. */
    @Override
    public void close() {
        chain.close();
    }

    @Override
    public String toString() {
        return "TextToSpeech[" + chain.names() + ", " + format + ", at " + Redaction.url(audioUrl) + "]";
    }

    /** Builds a {@link TextToSpeech}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final List<TtsChain.Entry> entries = new ArrayList<>();
        private AudioFormat format = AudioFormat.MP3;
        private TtsCache cache;
        private Path cacheDirectory = Path.of("irisx-data", "tts-cache");
        private long cacheMaxBytes = 512L << 20;
        private String audioUrl;
        private byte[] hashKey;
        private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.defaults();
        private Clock clock = Clock.systemUTC();
        private Object meterRegistry;

        private Builder() {
        }

        /**
         * Adds {@code provider}, speaking in {@code voice} ({@code alloy}, an ElevenLabs voice id, {@code Joanna}), to
         * the end of the chain: providers are tried in the order they are added.
         *
         * @throws IllegalArgumentException when a provider of the same name is in the chain, or the voice is blank
         */
        public Builder provider(TtsProvider provider, String voice) {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(voice, "voice");
            if (voice.isBlank() || voice.length() > 128) {
                throw new IllegalArgumentException("voice must be 1-128 characters, was '" + voice + "'");
            }
            if (entries.stream().anyMatch(e -> e.provider().name().equals(provider.name()))) {
                throw new IllegalArgumentException("a text-to-speech provider named '" + provider.name()
                        + "' is already in the chain");
            }
            entries.add(new TtsChain.Entry(provider, voice));
            return this;
        }

        /** The audio format, {@link AudioFormat#MP3} by default. */
        public Builder format(AudioFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * The directory of the on-disk cache ({@code irisx-data/tts-cache} by default) and the most bytes it keeps
         * (512 MiB by default, at least 1 MiB), the least recently used audio evicted first.
         */
        public Builder cacheDirectory(Path directory, long maxBytes) {
            Objects.requireNonNull(directory, "directory");
            if (maxBytes < (1L << 20)) {
                throw new IllegalArgumentException("maxBytes must be at least 1 MiB (1048576), was " + maxBytes);
            }
            this.cacheDirectory = directory;
            this.cacheMaxBytes = maxBytes;
            this.cache = null;
            return this;
        }

        /** Another cache than the on-disk one. */
        public Builder cache(TtsCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * The URL at which the host mounts {@link TextToSpeech#serve}, ending with {@code /}: an https URL the voice
         * provider can fetch; each audio's URL is it followed by the audio's key.
         */
        public Builder audioUrl(String url) {
            Objects.requireNonNull(url, "audioUrl");
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("audioUrl must be a URL, was '" + Redaction.url(url) + "'", e);
            }
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || !url.endsWith("/") || url.length() > 1900) {
                throw new IllegalArgumentException("audioUrl must be an https URL with a host, ending with '/', with"
                        + " no query, was '" + Redaction.url(url) + "'");
            }
            this.audioUrl = url;
            return this;
        }

        /**
         * The key (32 bytes or more) of the hash that names cached audio, so that its URLs cannot be guessed from the
         * text: the same in every process that shares the cache, and across restarts for the cache to be reused.
         * Without one, a random key is drawn when built.
         */
        public Builder hashKey(byte[] key) {
            Objects.requireNonNull(key, "hashKey");
            if (key.length < 32) {
                throw new IllegalArgumentException("hashKey must be at least 32 bytes, was " + key.length
                        + " bytes (not shown)");
            }
            this.hashKey = key.clone();
            return this;
        }

        /** How each provider's circuit breaker behaves ({@link CircuitBreakerSettings#defaults()} by default). */
        public Builder circuitBreaker(CircuitBreakerSettings settings) {
            this.circuitBreaker = Objects.requireNonNull(settings, "circuitBreaker");
            return this;
        }

        /** The clock of the circuit breakers' waits; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The Micrometer {@code MeterRegistry} of the {@code irisx.tts.*} meters (typed {@code Object} so that
         * Micrometer stays optional), usually the runtime's; none by default.
         *
         * @throws IllegalArgumentException when it is not a {@code io.micrometer.core.instrument.MeterRegistry}
         */
        public Builder meterRegistry(Object registry) {
            Objects.requireNonNull(registry, "meterRegistry");
            boolean isRegistry = false;
            for (Class<?> type = registry.getClass(); type != null && !isRegistry; type = type.getSuperclass()) {
                isRegistry = type.getName().equals("io.micrometer.core.instrument.MeterRegistry");
            }
            if (!isRegistry) {
                throw new IllegalArgumentException("meterRegistry must be a Micrometer MeterRegistry, was a "
                        + registry.getClass().getName());
            }
            this.meterRegistry = registry;
            return this;
        }

        /**
         * The text-to-speech; the builder may be used again.
         *
         * @throws IllegalStateException when no provider is added or no audio URL is set
         * @throws java.io.UncheckedIOException when the cache directory cannot be created or read
         */
        public TextToSpeech build() {
            if (entries.isEmpty()) {
                throw new IllegalStateException("add at least one text-to-speech provider (provider(…, voice))");
            }
            if (audioUrl == null) {
                throw new IllegalStateException("set the audioUrl at which the host serves the audio (audioUrl(…))");
            }
            byte[] key = hashKey;
            if (key == null) {
                key = new byte[32];
                new SecureRandom().nextBytes(key);
            }
            TtsCache built = cache != null ? cache : TtsCache.onDisk(cacheDirectory, cacheMaxBytes);
            return new TextToSpeech(this, built, key);
        }
    }
}

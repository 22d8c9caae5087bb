package io.irisx.voice.tts.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.irisx.core.ProviderException;
import io.irisx.core.health.Health;
import io.irisx.core.retry.CircuitBreakerSettings;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.TtsAudio;
import io.irisx.voice.tts.spi.TtsCache;
import io.irisx.voice.tts.spi.TtsProvider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Text-to-speech providers in fallback order, each with its voice and its own Resilience4j circuit breaker, in front
 * of a cache: for each provider in turn, the cache first (the audio this provider made of this text), then the
 * provider itself unless its circuit is open. A retryable failure or an open circuit moves on to the next provider; a
 * permanent failure (an unknown voice, a bad key) is thrown at once. Text longer than a provider's limit is split, each
 * part synthesized, and the audio joined. Requests for the same text while it is being synthesized wait for that
 * synthesis rather than start another. Thread-safe. Not API.
 */
public final class TtsChain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TtsChain.class);

    /**
     * A provider of the chain.
     *
     * @param provider the provider
     * @param voice the voice it speaks in
     */
    public record Entry(TtsProvider provider, String voice) {
    }

    /**
     * Audio the chain has in its cache.
     *
     * @param key its cache key, {@code <64 hex digits>.<extension>}
     * @param provider the provider that synthesized it
     * @param billedCharacters the characters the provider billed now; 0 when the audio came from the cache
     */
    public record Result(String key, String provider, int billedCharacters) {
    }

    private final List<Entry> entries;
    private final List<CircuitBreaker> breakers = new ArrayList<>();
    private final TtsCache cache;
    private final AudioFormat format;
    private final byte[] hashKey;
    private final TtsMeters meters;
    private final ConcurrentHashMap<String, CompletableFuture<Result>> inFlight = new ConcurrentHashMap<>();

    /** A chain over {@code entries}, keeping audio of {@code format} in {@code cache} under keys made with {@code hashKey}. */
    public TtsChain(List<Entry> entries, TtsCache cache, AudioFormat format, byte[] hashKey,
            CircuitBreakerSettings settings, Clock clock, TtsMeters meters) {
        this.entries = List.copyOf(entries);
        this.cache = cache;
        this.format = format;
        this.hashKey = hashKey.clone();
        this.meters = meters;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRatePercent())
                .slidingWindowSize(settings.windowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .clock(clock)
                .build();
        for (Entry entry : this.entries) {
            String name = entry.provider().name();
            CircuitBreaker breaker = CircuitBreaker.of("irisx-tts-" + name, config);
            breaker.getEventPublisher().onStateTransition(event -> {
                if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    log.warn("irisx tts: the circuit of provider {} opened; text goes to the next provider", name);
                } else if (event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
                    log.info("irisx tts: the circuit of provider {} closed; it is called again", name);
                }
            });
            meters.watch(name, breaker);
            breakers.add(breaker);
        }
    }

    /**
     * The key of the cached audio of {@code text} in {@code language}, synthesizing it first when no provider's audio
     * of it is cached.
     *
     * @throws ProviderException the permanent failure of a provider; or, retryable, when every provider failed or
     *     had its circuit open (the message lists why, provider by provider)
     */
    public Result synthesize(String text, Optional<String> language) {
        // Calls answered at once (a campaign reaching the same menu) ask for the same text together: one synthesizes,
        // the others wait for its audio, so the providers bill it once.
        String flight = key(entries.get(0), language, text);
        CompletableFuture<Result> mine = new CompletableFuture<>();
        CompletableFuture<Result> leader = inFlight.putIfAbsent(flight, mine);
        if (leader != null) {
            try {
                Result result = leader.join();
                meters.cache("hit");
                return new Result(result.key(), result.provider(), 0);
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : e;
            }
        }
        try {
            Result result = walk(text, language);
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(flight, mine);
        }
    }

    private Result walk(String text, Optional<String> language) {
        List<String> reasons = new ArrayList<>();
        boolean missed = false;
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String name = entry.provider().name();
            String key = key(entry, language, text);
            if (cache.get(key).isPresent()) {
                meters.cache("hit");
                return new Result(key, name, 0);
            }
            if (!missed) {
                meters.cache("miss");
                missed = true;
            }
            CircuitBreaker breaker = breakers.get(i);
            if (!breaker.tryAcquirePermission()) {
                meters.called(name, "circuit_open", 0);
                log.warn("irisx tts: synthesis {} skips provider {}: its circuit is open", key, name);
                reasons.add(name + ": circuit open");
                continue;
            }
            long start = System.nanoTime();
            try {
                TtsAudio audio = splitAndSynthesize(entry, text, language);
                long took = System.nanoTime() - start;
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                meters.called(name, "synthesized", took);
                meters.billed(name, audio.billedCharacters());
                cache.put(key, audio.audio());
                return new Result(key, name, audio.billedCharacters());
            } catch (ProviderException e) {
                long took = System.nanoTime() - start;
                if (!e.isRetryable()) {
                    // A refusal is an answer: the provider is up, so its circuit counts a success.
                    breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                    meters.called(name, "refused", took);
                    log.warn("irisx tts: synthesis {} refused by provider {} (status {}, request {}): {}", key, name,
                            e.statusCode(), e.requestId().orElse("-"), e.getMessage());
                    throw e;
                }
                breaker.onError(took, TimeUnit.NANOSECONDS, e);
                meters.called(name, "failed", took);
                log.warn("irisx tts: synthesis {} failed at provider {} (status {}, request {}), trying the next: {}",
                        key, name, e.statusCode(), e.requestId().orElse("-"), e.getMessage());
                reasons.add(e.getMessage());
            } catch (RuntimeException e) {
                long took = System.nanoTime() - start;
                breaker.onError(took, TimeUnit.NANOSECONDS, e);
                meters.called(name, "failed", took);
                log.warn("irisx tts: synthesis {} failed unexpectedly at provider {}, trying the next: {}", key, name,
                        e.toString());
                reasons.add(name + " failed unexpectedly: " + e);
            }
        }
        throw new ProviderException("tts", 0, null, true, "no text-to-speech provider synthesized the text: "
                + String.join("; ", reasons));
    }

    /** The audio of {@code text} from {@code entry}: in one request, or in parts at most its limit, joined. */
    private TtsAudio splitAndSynthesize(Entry entry, String text, Optional<String> language) {
        List<String> parts = TextSplitter.split(text, entry.provider().maxCharacters());
        List<byte[]> audio = new ArrayList<>(parts.size());
        int billed = 0;
        for (String part : parts) {
            TtsAudio piece = entry.provider().synthesize(part, entry.voice(), language, format);
            if (piece.format() != format) {
                throw new ProviderException(entry.provider().name(), 0, null, false, "answered " + piece.format()
                        + " audio when " + format + " was asked for");
            }
            audio.add(piece.audio());
            billed += piece.billedCharacters();
        }
        byte[] joined = format == AudioFormat.MP3 ? Mp3.join(audio) : Wav.join(audio);
        return new TtsAudio(joined, format, billed);
    }

    /**
     * The cache key of {@code text} in {@code language} spoken by {@code entry}'s provider (with its settings) in its
     * voice: an HMAC-SHA256, under the chain's hash key, of the fields, so that it names the content yet cannot be
     * guessed from it.
     */
    String key(Entry entry, Optional<String> language, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            for (String field : List.of(entry.provider().name(), entry.provider().settings(), entry.voice(),
                    language.orElse(""), format.name(), text)) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                mac.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return HexFormat.of().formatHex(mac.doFinal()) + "." + format.extension();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /** The audio cached under {@code key}. */
    public Optional<byte[]> cached(String key) {
        return cache.get(key);
    }

    /**
     * The check {@code tts} of the providers' circuits: UP when every circuit lets calls through, DEGRADED when some
     * are open, DOWN when all are.
     */
    public Health.Check health() {
        long open = breakers.stream().map(CircuitBreaker::getState)
                .filter(s -> s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN).count();
        String detail = breakers.stream().map(b -> b.getName().substring("irisx-tts-".length()) + ": " + b.getState())
                .collect(Collectors.joining(", "));
        Health.Status status = open == 0 ? Health.Status.UP
                : open == breakers.size() ? Health.Status.DOWN : Health.Status.DEGRADED;
        return new Health.Check("tts", status, detail);
    }

    /** The providers' names, in order. */
    public List<String> names() {
        return entries.stream().map(e -> e.provider().name()).toList();
    }

    @Override
    public void close() {
        for (Entry entry : entries) {
            try {
                entry.provider().close();
            } catch (Exception e) {
                log.warn("irisx tts: provider {} failed to close: {}", entry.provider().name(), e.toString());
            }
        }
    }
}

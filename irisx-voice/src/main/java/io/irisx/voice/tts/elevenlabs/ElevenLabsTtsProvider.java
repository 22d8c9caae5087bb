package io.irisx.voice.tts.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.TtsAudio;
import io.irisx.voice.tts.internal.ProviderChecks;
import io.irisx.voice.tts.internal.TtsHttp;
import io.irisx.voice.tts.internal.Wav;
import io.irisx.voice.tts.spi.TtsProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ElevenLabs' text-to-speech endpoint ({@code POST /v1/text-to-speech/{voice_id}},
 * elevenlabs.io/docs/api-reference/text-to-speech/convert) as a {@link TtsProvider}, over the JDK's HTTP client;
 * thread-safe, built once and shared.
 *
 * <p>Each request carries the key in {@code xi-api-key}, the format in the {@code output_format} query parameter
 * ({@code mp3_44100_128} with {@code Accept: audio/mpeg}, or {@code pcm_16000}: raw signed 16-bit little-endian mono
 * samples at 16 kHz, which IRISX wraps in a WAV header) and a JSON body of {@code text} and {@code model_id}. The
 * multilingual models read the language from the text, so none is sent. The characters billed are ElevenLabs'
 * {@code x-character-count} header when it answers with one. Errors are read from
 * {@code {"detail":{"status","message"}}} (or a 422's list of {@code detail}s); 408, 429 and 5xx are retryable, and so
 * are {@code system_busy} and {@code too_many_concurrent_requests} whatever their status, but not
 * {@code quota_exceeded}.
 */
public final class ElevenLabsTtsProvider implements TtsProvider {

    /** The provider's name. */
    public static final String NAME = "elevenlabs";
    /** The sample rate of the {@code pcm_16000} format. */
    static final int PCM_SAMPLE_RATE = 16_000;
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final URI baseUrl;
    private final String apiKey;
    private final String model;
    private final int maxCharacters;
    private final TtsHttp http;

    private ElevenLabsTtsProvider(Builder b) {
        this.baseUrl = b.baseUrl;
        this.apiKey = b.apiKey;
        this.model = b.model;
        this.maxCharacters = b.maxCharacters;
        this.http = new TtsHttp(NAME, b.timeout);
    }

    /** A builder for a provider calling ElevenLabs with {@code apiKey} (never shown). */
    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String settings() {
        return "model=" + model;
    }

    @Override
    public int maxCharacters() {
        return maxCharacters;
    }

    @Override
    public TtsAudio synthesize(String text, String voice, Optional<String> language, AudioFormat format) {
        ProviderChecks.request(text, maxCharacters, voice, language, format);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        body.put("model_id", model);
        String outputFormat = format == AudioFormat.MP3 ? "mp3_44100_128" : "pcm_" + PCM_SAMPLE_RATE;
        URI uri = URI.create(baseUrl + "/v1/text-to-speech/" + URLEncoder.encode(voice, StandardCharsets.UTF_8)
                .replace("+", "%20") + "?output_format=" + outputFormat);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("xi-api-key", apiKey)
                .header("Accept", format == AudioFormat.MP3 ? "audio/mpeg" : "audio/pcm");
        HttpResponse<byte[]> response = http.post(request, body, "request-id", ElevenLabsTtsProvider::error);
        int billed = response.headers().firstValue("x-character-count").filter(c -> c.matches("[0-9]{1,9}"))
                .map(Integer::parseInt).orElse(text.length());
        byte[] audio = format == AudioFormat.MP3 ? response.body() : Wav.ofPcm16(response.body(), PCM_SAMPLE_RATE);
        return new TtsAudio(audio, format, billed);
    }

    private static TtsHttp.ErrorBody error(JsonNode body) {
        JsonNode detail = body.path("detail");
        String status = detail.path("status").asText("");
        String message;
        if (detail.isTextual()) {
            message = detail.asText();
        } else if (detail.isArray() && detail.size() > 0) {
            message = detail.get(0).path("msg").asText("") + " at " + detail.get(0).path("loc");
        } else {
            message = detail.path("message").asText("");
        }
        boolean retryable = !"quota_exceeded".equals(status) && ("system_busy".equals(status)
                || "too_many_concurrent_requests".equals(status) || "rate_limit_exceeded".equals(status));
        String text = (status.isEmpty() ? "" : status + ": ") + message;
        return new TtsHttp.ErrorBody(text.isBlank() ? "an error with no message" : text, retryable);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "ElevenLabsTtsProvider[" + baseUrl + ", model " + model + ", key ****]";
    }

    /** Settings for an {@link ElevenLabsTtsProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String apiKey;
        private URI baseUrl = URI.create("https://api.elevenlabs.io");
        private String model = "eleven_multilingual_v2";
        private int maxCharacters = 10_000;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder(String apiKey) {
            this.apiKey = TtsHttp.checkKey("apiKey", apiKey);
        }

        /**
         * The model and the most characters it takes in one request: {@code eleven_multilingual_v2} and 10,000 by
         * default; {@code eleven_flash_v2_5} takes 40,000.
         */
        public Builder model(String model, int maxCharacters) {
            Objects.requireNonNull(model, "model");
            if (!MODEL.matcher(model).matches()) {
                throw new IllegalArgumentException("model must be an ElevenLabs model id such as"
                        + " eleven_multilingual_v2, was '" + model + "'");
            }
            if (maxCharacters < 100 || maxCharacters > 40_000) {
                throw new IllegalArgumentException("maxCharacters must be between 100 and 40000, was "
                        + maxCharacters);
            }
            this.model = model;
            this.maxCharacters = maxCharacters;
            return this;
        }

        /** Where the API is, {@code https://api.elevenlabs.io} by default: for tests and proxies. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = TtsHttp.checkBaseUrl(baseUrl);
            return this;
        }

        /** How long one request may take, connecting included; 60 seconds by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = TtsHttp.checkTimeout(timeout);
            return this;
        }

        /** The provider; the builder may be used again. */
        public ElevenLabsTtsProvider build() {
            return new ElevenLabsTtsProvider(this);
        }
    }
}

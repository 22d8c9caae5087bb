package io.irisx.voice.tts.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.ProviderException;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.TtsAudio;
import io.irisx.voice.tts.internal.ProviderChecks;
import io.irisx.voice.tts.internal.TtsHttp;
import io.irisx.voice.tts.internal.Wav;
import io.irisx.voice.tts.spi.TtsProvider;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenAI's speech endpoint ({@code POST /v1/audio/speech}, platform.openai.com/docs/api-reference/audio/createSpeech)
 * as a {@link TtsProvider}, over the JDK's HTTP client; thread-safe, built once and shared.
 *
 * <p>Each request carries the key as {@code Authorization: Bearer …} and a JSON body of {@code model},
 * {@code input} (at most 4,096 characters), {@code voice} and {@code response_format}: {@code mp3}, or {@code pcm}
 * (raw 24 kHz signed 16-bit little-endian mono samples), which IRISX wraps in a WAV header. OpenAI takes no language:
 * its voices speak the language of the text. Errors are read from {@code {"error":{"message","type","code"}}};
 * 408, 429 (but not {@code insufficient_quota}) and 5xx are retryable.
 */
public final class OpenAiTtsProvider implements TtsProvider {

    /** The provider's name. */
    public static final String NAME = "openai";
    /** The most characters of {@code input} OpenAI takes in one request. */
    public static final int MAX_CHARACTERS = 4096;
    /** The sample rate of OpenAI's {@code pcm} format. */
    static final int PCM_SAMPLE_RATE = 24_000;
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final URI baseUrl;
    private final String apiKey;
    private final String model;
    private final TtsHttp http;

    private OpenAiTtsProvider(Builder b) {
        this.baseUrl = b.baseUrl;
        this.apiKey = b.apiKey;
        this.model = b.model;
        this.http = new TtsHttp(NAME, b.timeout);
    }

    /** A builder for a provider calling OpenAI with {@code apiKey} (never shown). */
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
        return MAX_CHARACTERS;
    }

    @Override
    public TtsAudio synthesize(String text, String voice, Optional<String> language, AudioFormat format) {
        ProviderChecks.request(text, MAX_CHARACTERS, voice, language, format);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("input", text);
        body.put("voice", voice);
        body.put("response_format", format == AudioFormat.MP3 ? "mp3" : "pcm");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/audio/speech"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", format == AudioFormat.MP3 ? "audio/mpeg" : "audio/pcm");
        HttpResponse<byte[]> response = http.post(request, body, "x-request-id", OpenAiTtsProvider::error);
        byte[] audio = format == AudioFormat.MP3 ? response.body() : Wav.ofPcm16(response.body(), PCM_SAMPLE_RATE);
        return new TtsAudio(audio, format, text.length());
    }

    private static TtsHttp.ErrorBody error(JsonNode body) {
        JsonNode error = body.path("error");
        String type = error.path("type").asText("");
        String code = error.path("code").isTextual() ? error.path("code").asText() : "";
        String message = error.path("message").asText("");
        String text = (type.isEmpty() ? "" : type + (code.isEmpty() ? "" : "/" + code) + ": ") + message;
        boolean retryable = !"insufficient_quota".equals(code) && ("rate_limit_exceeded".equals(code)
                || "server_error".equals(type) || "rate_limit_exceeded".equals(type));
        return new TtsHttp.ErrorBody(text.isBlank() ? "an error with no message" : text, retryable);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "OpenAiTtsProvider[" + baseUrl + ", model " + model + ", key ****]";
    }

    /** Settings for an {@link OpenAiTtsProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String apiKey;
        private URI baseUrl = URI.create("https://api.openai.com");
        private String model = "gpt-4o-mini-tts";
        private Duration timeout = Duration.ofSeconds(60);

        private Builder(String apiKey) {
            this.apiKey = TtsHttp.checkKey("apiKey", apiKey);
        }

        /** The model: {@code gpt-4o-mini-tts} (default), {@code tts-1}, {@code tts-1-hd}. */
        public Builder model(String model) {
            Objects.requireNonNull(model, "model");
            if (!MODEL.matcher(model).matches()) {
                throw new IllegalArgumentException("model must be an OpenAI model name such as tts-1, was '" + model
                        + "'");
            }
            this.model = model;
            return this;
        }

        /** Where the API is, {@code https://api.openai.com} by default: for tests and proxies. */
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
        public OpenAiTtsProvider build() {
            return new OpenAiTtsProvider(this);
        }
    }
}

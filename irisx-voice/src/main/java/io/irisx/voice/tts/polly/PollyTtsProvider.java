package io.irisx.voice.tts.polly;

import io.irisx.voice.internal.VoiceSdk;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.TtsAudio;
import io.irisx.voice.tts.internal.ProviderChecks;
import io.irisx.voice.tts.internal.TtsHttp;
import io.irisx.voice.tts.spi.TtsProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Amazon Polly's {@code SynthesizeSpeech} (docs.aws.amazon.com/polly/latest/dg/API_SynthesizeSpeech.html) as a
 * {@link TtsProvider}, through the AWS SDK for Java 2 ({@code software.amazon.awssdk:polly}, an optional dependency,
 * with its URLConnection HTTP client); thread-safe, built once and shared.
 *
 * <p>Each request is plain text ({@code TextType text}, at most 3,000 billed characters, Polly's limit for a
 * synchronous request) in a voice ({@code Joanna}), with the engine ({@code standard} by default, or {@code neural},
 * {@code long-form}, {@code generative}) and the language when one is given; {@code mp3}, or {@code pcm} at 16 kHz
 * (signed 16-bit little-endian mono samples), which IRISX wraps in a WAV header. The characters billed are Polly's
 * {@code x-amzn-RequestCharacters}. The SDK does not retry: throttling, 408, 429 and 5xx are retryable failures for
 * the fallback chain; the rest (an unknown voice, a language the voice lacks, bad credentials) are permanent.
 */
public final class PollyTtsProvider implements TtsProvider {

    /** The provider's name. */
    public static final String NAME = "polly";
    /** The most billed characters Polly synthesizes in one synchronous request. */
    public static final int MAX_CHARACTERS = 3000;
    /** The sample rate asked for PCM. */
    static final int PCM_SAMPLE_RATE = 16_000;
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]");
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final List<String> ENGINES = List.of("standard", "neural", "long-form", "generative");

    private final String region;
    private final String engine;
    private final PollyCalls calls;

    private PollyTtsProvider(Builder b) {
        this.region = b.region;
        this.engine = b.engine;
        this.calls = new PollyCalls(b.region, b.accessKeyId, b.secretAccessKey, b.sessionToken, b.endpoint, b.engine,
                b.timeout);
    }

    /**
     * A builder for a provider calling Polly in {@code region}, e.g. {@code eu-west-1}.
     *
     * @throws IllegalStateException naming {@code software.amazon.awssdk:polly} when the SDK is not on the class path
     */
    public static Builder builder(String region) {
        VoiceSdk.require(NAME + " text-to-speech", "polly", List.of(
                "software.amazon.awssdk.services.polly.PollyClient",
                "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient",
                "software.amazon.awssdk.awscore.retry.AwsRetryStrategy"));
        return new Builder(region);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String settings() {
        return "engine=" + engine;
    }

    @Override
    public int maxCharacters() {
        return MAX_CHARACTERS;
    }

    @Override
    public TtsAudio synthesize(String text, String voice, Optional<String> language, AudioFormat format) {
        ProviderChecks.request(text, MAX_CHARACTERS, voice, language, format);
        return calls.synthesize(text, voice, language, format);
    }

    @Override
    public void close() {
        calls.close();
    }

    @Override
    public String toString() {
        return "PollyTtsProvider[" + region + ", credentials ****]";
    }

    /** Settings for a {@link PollyTtsProvider}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final String region;
        private String accessKeyId;
        private String secretAccessKey;
        private String sessionToken;
        private URI endpoint;
        private String engine = "standard";
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String region) {
            Objects.requireNonNull(region, "region");
            if (!REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("region must be an AWS region such as eu-west-1, was '" + region
                        + "'");
            }
            this.region = region;
        }

        /** Signs with a long-lived access key (the secret is never shown). */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            if (!KEY_ID.matcher(accessKeyId).matches()) {
                throw new IllegalArgumentException("accessKeyId must be an AWS access key id (16-128 capital letters"
                        + " and digits), was a value of " + accessKeyId.length() + " characters");
            }
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = TtsHttp.checkKey("secretAccessKey", secretAccessKey);
            this.sessionToken = null;
            return this;
        }

        /** Signs with temporary credentials: an access key and its session token (never shown). */
        public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
            credentials(accessKeyId, secretAccessKey);
            Objects.requireNonNull(sessionToken, "sessionToken");
            if (sessionToken.isBlank()) {
                throw new IllegalArgumentException("sessionToken must not be blank");
            }
            this.sessionToken = sessionToken;
            return this;
        }

        /** The engine: {@code standard} (default), {@code neural}, {@code long-form} or {@code generative}. */
        public Builder engine(String engine) {
            Objects.requireNonNull(engine, "engine");
            if (!ENGINES.contains(engine)) {
                throw new IllegalArgumentException("engine must be one of " + ENGINES + ", was '" + engine + "'");
            }
            this.engine = engine;
            return this;
        }

        /** Where the Polly API is, instead of the region's own endpoint: for tests and VPC endpoints. */
        public Builder endpoint(String endpoint) {
            this.endpoint = TtsHttp.checkBaseUrl(endpoint);
            return this;
        }

        /** How long one request may take, connecting included; 30 seconds by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = TtsHttp.checkTimeout(timeout);
            return this;
        }

        /**
         * The provider; the builder may be used again.
         *
         * @throws IllegalStateException when no credentials are set
         */
        public PollyTtsProvider build() {
            if (accessKeyId == null) {
                throw new IllegalStateException("set the credentials (credentials(accessKeyId, secretAccessKey))");
            }
            return new PollyTtsProvider(this);
        }
    }
}

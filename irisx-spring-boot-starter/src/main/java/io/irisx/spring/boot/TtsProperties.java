package io.irisx.spring.boot;

import java.util.ArrayList;
import java.util.List;
import org.springframework.util.unit.DataSize;

/**
 * The {@code irisx.voice.tts.*} properties: text-to-speech for the voice module's say prompts, through OpenAI,
 * ElevenLabs and AWS Polly in a fallback chain, in front of a cache of audio the application serves. Configured when a
 * provider is ({@code openai.api-key}, {@code elevenlabs.api-key}, {@code polly.region}); its {@code irisx.tts.*}
 * meters go to the application's MeterRegistry when it has one. Bound once at startup and then only read; not
 * thread-safe while being bound.
 */
public class TtsProperties {

    /**
     * The providers in the order they are tried, by name (openai, elevenlabs, polly); when unset, every configured
     * provider in that order. Each named provider must be configured.
     */
    private List<String> order = new ArrayList<>();

    /** The audio format, mp3 or wav (mp3 when unset). */
    private String format;

    /** The directory of the on-disk audio cache (irisx-data/tts-cache when unset). */
    private String cacheDirectory;

    /** The most the cache keeps, least recently used audio evicted first, at least 1MB (512MB when unset). */
    private DataSize cacheMaxSize;

    /**
     * The https URL, ending with /, at which the application mounts the TextToSpeech bean's serve handler; required
     * with a provider.
     */
    private String audioUrl;

    /**
     * The key (base64, 32 bytes or more) of the hash that names cached audio: the same in every process sharing the
     * cache; a random one per start when unset. Never logged.
     */
    private String hashKey;

    /** OpenAI's /v1/audio/speech. */
    private final OpenAi openai = new OpenAi();

    /** ElevenLabs' /v1/text-to-speech/{voice_id}. */
    private final ElevenLabs elevenlabs = new ElevenLabs();

    /** AWS Polly's SynthesizeSpeech, through the AWS SDK (software.amazon.awssdk:polly, to add). */
    private final Polly polly = new Polly();

    /** The providers configured, in the default order: openai and elevenlabs with an API key, polly with a region. */
    public List<String> configuredProviders() {
        List<String> configured = new ArrayList<>();
        EmailProperties.addIf(configured, "openai", openai.getApiKey());
        EmailProperties.addIf(configured, "elevenlabs", elevenlabs.getApiKey());
        EmailProperties.addIf(configured, "polly", polly.getRegion());
        return configured;
    }

    public List<String> getOrder() {
        return order;
    }

    public void setOrder(List<String> order) {
        this.order = order;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public String getCacheDirectory() {
        return cacheDirectory;
    }

    public void setCacheDirectory(String cacheDirectory) {
        this.cacheDirectory = cacheDirectory;
    }

    public DataSize getCacheMaxSize() {
        return cacheMaxSize;
    }

    public void setCacheMaxSize(DataSize cacheMaxSize) {
        this.cacheMaxSize = cacheMaxSize;
    }

    public String getAudioUrl() {
        return audioUrl;
    }

    public void setAudioUrl(String audioUrl) {
        this.audioUrl = audioUrl;
    }

    public String getHashKey() {
        return hashKey;
    }

    public void setHashKey(String hashKey) {
        this.hashKey = hashKey;
    }

    public OpenAi getOpenai() {
        return openai;
    }

    public ElevenLabs getElevenlabs() {
        return elevenlabs;
    }

    public Polly getPolly() {
        return polly;
    }

    @Override
    public String toString() {
        return "TtsProperties[" + configuredProviders() + ", hash key " + (hashKey == null ? "unset" : "set") + "]";
    }

    /** {@code irisx.voice.tts.openai.*}. */
    public static class OpenAi {

        /** The API key; never logged. */
        private String apiKey;

        /** The voice (alloy when unset). */
        private String voice = "alloy";

        /** The model (IRISX's default when unset). */
        private String model;

        /** The API's base URL (https://api.openai.com when unset). */
        private String baseUrl;

        public String getApiKey() {
            return apiKey;
        }

        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        public String getVoice() {
            return voice;
        }

        public void setVoice(String voice) {
            this.voice = voice;
        }

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        @Override
        public String toString() {
            return "OpenAi[key " + (apiKey == null ? "unset" : "set") + "]";
        }
    }

    /** {@code irisx.voice.tts.elevenlabs.*}. */
    public static class ElevenLabs {

        /** The API key (xi-api-key); never logged. */
        private String apiKey;

        /** The voice id, required with the API key. */
        private String voice;

        /** The API's base URL (https://api.elevenlabs.io when unset). */
        private String baseUrl;

        public String getApiKey() {
            return apiKey;
        }

        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        public String getVoice() {
            return voice;
        }

        public void setVoice(String voice) {
            this.voice = voice;
        }

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        @Override
        public String toString() {
            return "ElevenLabs[key " + (apiKey == null ? "unset" : "set") + "]";
        }
    }

    /** {@code irisx.voice.tts.polly.*}. */
    public static class Polly {

        /** The AWS region, such as eu-west-1. */
        private String region;

        /** The voice (Joanna when unset). */
        private String voice = "Joanna";

        /** The engine, such as neural (IRISX's default when unset). */
        private String engine;

        /** The access key id; without one, the AWS SDK's default credentials chain. */
        private String accessKeyId;

        /** The secret access key, required with the access key id; never logged. */
        private String secretAccessKey;

        /** Another endpoint than the region's. */
        private String endpoint;

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }

        public String getVoice() {
            return voice;
        }

        public void setVoice(String voice) {
            this.voice = voice;
        }

        public String getEngine() {
            return engine;
        }

        public void setEngine(String engine) {
            this.engine = engine;
        }

        public String getAccessKeyId() {
            return accessKeyId;
        }

        public void setAccessKeyId(String accessKeyId) {
            this.accessKeyId = accessKeyId;
        }

        public String getSecretAccessKey() {
            return secretAccessKey;
        }

        public void setSecretAccessKey(String secretAccessKey) {
            this.secretAccessKey = secretAccessKey;
        }

        public String getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public String toString() {
            return "Polly[" + region + ", secret " + (secretAccessKey == null ? "unset" : "set") + "]";
        }
    }
}

package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.apply;
import static io.irisx.spring.boot.internal.Settings.choice;
import static io.irisx.spring.boot.internal.Settings.get;
import static io.irisx.spring.boot.internal.Settings.hasText;
import static io.irisx.spring.boot.internal.Settings.optional;
import static io.irisx.spring.boot.internal.Settings.required;

import io.irisx.spring.boot.IrisxPropertyException;
import io.irisx.spring.boot.TtsProperties;
import io.irisx.spring.boot.VoiceProperties;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.freeswitch.FreeSwitchVoiceProvider;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.TextToSpeech;
import io.irisx.voice.tts.elevenlabs.ElevenLabsTtsProvider;
import io.irisx.voice.tts.openai.OpenAiTtsProvider;
import io.irisx.voice.tts.polly.PollyTtsProvider;
import io.irisx.voice.tts.spi.TtsProvider;
import io.irisx.voice.twilio.TwilioVoiceProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.util.ClassUtils;

/**
 * Builds the voice module, its Twilio and FreeSWITCH providers and its text-to-speech from {@code irisx.voice.*}.
 * Stateless and thread-safe.
 */
public final class VoiceModules {

    private static final String TWILIO = "irisx.voice.twilio.";
    private static final String FREESWITCH = "irisx.voice.freeswitch.";
    private static final String TTS = "irisx.voice.tts.";

    private VoiceModules() {
    }

    /**
     * The module these properties describe, running {@code flows} (the application's Flow beans) and speaking their
     * say prompts through {@code tts} when given; a value IRISX refuses is reported under its property.
     */
    public static VoiceModule create(VoiceProperties properties, List<Flow> flows, Optional<TextToSpeech> tts) {
        if (properties.isQueueOnly() && !properties.configuredProviders().isEmpty()) {
            throw new IrisxPropertyException("irisx.voice.queue-only", "a queue-only process places no call, yet "
                    + "the providers " + properties.configuredProviders() + " are configured: remove their "
                    + "irisx.voice.<provider>.* properties from this process, or set irisx.voice.queue-only=false");
        }
        VoiceModule.Builder builder = VoiceModule.builder();
        if (properties.isQueueOnly()) {
            builder.queueOnly();
        } else {
            List<String> configured = properties.configuredProviders();
            if (configured.contains("twilio")) {
                builder.provider(twilio(properties.getTwilio()));
            }
            if (configured.contains("freeswitch")) {
                builder.provider(freeswitch(properties.getFreeswitch()));
            }
        }
        for (Flow flow : flows) {
            apply("irisx.voice", () -> builder.flow(flow));
        }
        optional("irisx.voice.default-region", properties.getDefaultRegion(), builder::defaultRegion);
        optional("irisx.voice.concurrency", properties.getConcurrency(), concurrency -> builder.concurrency(concurrency));
        tts.ifPresent(builder::tts);
        return get("irisx.voice", builder::build);
    }

    /** Whether {@code irisx.voice.tts.*} configures a text-to-speech provider. */
    public static boolean hasTts(TtsProperties tts) {
        return !tts.configuredProviders().isEmpty();
    }

    /**
     * The text-to-speech {@code irisx.voice.tts.*} describes: its providers in {@code order} (else every configured
     * one: openai, elevenlabs, polly), its cache, audio URL and hash key; a value IRISX refuses is reported under its
     * property, and secrets are never shown. Its {@code irisx.tts.*} meters go to {@code meterRegistry} (a Micrometer
     * {@code MeterRegistry}, the application's) when given.
     *
     * @throws IrisxPropertyException when no provider is configured, {@code order} names one that is not, or a
     *     required value is missing
     */
    public static TextToSpeech tts(TtsProperties tts, Optional<Object> meterRegistry) {
        List<String> configured = tts.configuredProviders();
        List<String> order = tts.getOrder().isEmpty() ? configured : normalized(tts.getOrder());
        if (order.isEmpty()) {
            throw new IrisxPropertyException(TTS + "order", "names no provider, and none is configured: set "
                    + TTS + "openai.api-key, " + TTS + "elevenlabs.api-key or " + TTS + "polly.region");
        }
        for (String name : order) {
            if (!List.of("openai", "elevenlabs", "polly").contains(name)) {
                throw new IrisxPropertyException(TTS + "order", "expected openai, elevenlabs or polly, was '" + name
                        + "'");
            }
            if (!configured.contains(name)) {
                throw new IrisxPropertyException(TTS + "order", "names " + name + ", which is not configured (the"
                        + " configured providers are " + configured + ")");
            }
        }
        String audioUrl = required(TTS + "audio-url", tts.getAudioUrl(), "with a text-to-speech provider: the https"
                + " URL, ending with /, at which the application mounts the TextToSpeech bean's serve handler");
        TextToSpeech.Builder builder = TextToSpeech.builder();
        apply(TTS + "audio-url", () -> builder.audioUrl(audioUrl));
        meterRegistry.ifPresent(builder::meterRegistry);
        if (tts.getFormat() != null) {
            AudioFormat format = choice(TTS + "format", tts.getFormat(), AudioFormat.class);
            builder.format(format);
        }
        if (hasText(tts.getCacheDirectory()) || tts.getCacheMaxSize() != null) {
            Path directory = Path.of(hasText(tts.getCacheDirectory()) ? tts.getCacheDirectory()
                    : "irisx-data/tts-cache");
            long maxBytes = tts.getCacheMaxSize() == null ? 512L << 20 : tts.getCacheMaxSize().toBytes();
            apply(TTS + "cache-max-size", () -> builder.cacheDirectory(directory, maxBytes));
        }
        if (tts.getHashKey() != null) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(tts.getHashKey().strip());
            } catch (IllegalArgumentException e) {
                throw new IrisxPropertyException(TTS + "hash-key", "must be base64 (not shown)");
            }
            apply(TTS + "hash-key", () -> builder.hashKey(key));
        }
        List<TtsProvider> built = new ArrayList<>();
        try {
            for (String name : order) {
                switch (name) {
                    case "openai" -> {
                        TtsProperties.OpenAi openai = tts.getOpenai();
                        OpenAiTtsProvider provider = openai(openai);
                        built.add(provider);
                        apply(TTS + "openai.voice", () -> builder.provider(provider, openai.getVoice()));
                    }
                    case "elevenlabs" -> {
                        TtsProperties.ElevenLabs elevenlabs = tts.getElevenlabs();
                        String voice = required(TTS + "elevenlabs.voice", elevenlabs.getVoice(),
                                "with " + TTS + "elevenlabs.api-key (the id of an ElevenLabs voice)");
                        ElevenLabsTtsProvider provider = elevenlabs(elevenlabs);
                        built.add(provider);
                        apply(TTS + "elevenlabs.voice", () -> builder.provider(provider, voice));
                    }
                    default -> {
                        TtsProperties.Polly polly = tts.getPolly();
                        PollyTtsProvider provider = polly(polly);
                        built.add(provider);
                        apply(TTS + "polly.voice", () -> builder.provider(provider, polly.getVoice()));
                    }
                }
            }
            return get(TTS + "cache-directory", builder::build);
        } catch (RuntimeException e) {
            built.forEach(TtsProvider::close);
            throw e;
        }
    }

    private static List<String> normalized(List<String> names) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String name : names) {
            String normalized = name.strip().toLowerCase(Locale.ROOT);
            if (!unique.add(normalized)) {
                throw new IrisxPropertyException(TTS + "order", "names " + normalized + " twice");
            }
        }
        return List.copyOf(unique);
    }

    private static OpenAiTtsProvider openai(TtsProperties.OpenAi openai) {
        OpenAiTtsProvider.Builder builder = get(TTS + "openai.api-key",
                () -> OpenAiTtsProvider.builder(openai.getApiKey()));
        optional(TTS + "openai.model", openai.getModel(), builder::model);
        optional(TTS + "openai.base-url", openai.getBaseUrl(), builder::baseUrl);
        return builder.build();
    }

    private static ElevenLabsTtsProvider elevenlabs(TtsProperties.ElevenLabs elevenlabs) {
        ElevenLabsTtsProvider.Builder builder = get(TTS + "elevenlabs.api-key",
                () -> ElevenLabsTtsProvider.builder(elevenlabs.getApiKey()));
        optional(TTS + "elevenlabs.base-url", elevenlabs.getBaseUrl(), builder::baseUrl);
        return builder.build();
    }

    private static PollyTtsProvider polly(TtsProperties.Polly polly) {
        if (!hasClass("software.amazon.awssdk.services.polly.PollyClient")) {
            throw new IrisxPropertyException(TTS + "polly.region", "AWS Polly is configured, but its SDK is not on"
                    + " the class path: add software.amazon.awssdk:polly");
        }
        PollyTtsProvider.Builder builder = get(TTS + "polly.region", () -> PollyTtsProvider.builder(polly.getRegion()));
        if (hasText(polly.getAccessKeyId())) {
            String secret = required(TTS + "polly.secret-access-key", polly.getSecretAccessKey(),
                    "with " + TTS + "polly.access-key-id");
            apply(TTS + "polly.access-key-id", () -> builder.credentials(polly.getAccessKeyId(), secret));
        }
        optional(TTS + "polly.engine", polly.getEngine(), builder::engine);
        optional(TTS + "polly.endpoint", polly.getEndpoint(), builder::endpoint);
        return get(TTS + "polly.region", builder::build);
    }

    private static TwilioVoiceProvider twilio(VoiceProperties.Twilio twilio) {
        if (!hasClass("com.twilio.Twilio")) {
            throw new IrisxPropertyException(TWILIO + "account-sid", "Twilio is configured, "
                    + "but its SDK is not on the class path: add com.twilio.sdk:twilio");
        }
        String authToken = required(TWILIO + "auth-token", twilio.getAuthToken(),
                "with " + TWILIO + "account-sid (Twilio's SDK authenticates the account with it)");
        TwilioVoiceProvider.Builder builder = get("irisx.voice.twilio",
                () -> TwilioVoiceProvider.builder(twilio.getAccountSid(), authToken));
        if (hasText(twilio.getApiKeySid())) {
            String secret = required(TWILIO + "api-key-secret", twilio.getApiKeySecret(), "with " + TWILIO
                    + "api-key-sid");
            apply("irisx.voice.twilio", () -> builder.apiKey(twilio.getApiKeySid(), secret));
        }
        optional(TWILIO + "base-url", twilio.getBaseUrl(), builder::baseUrl);
        optional(TWILIO + "flow-url", twilio.getFlowUrl(), builder::flowUrl);
        optional(TWILIO + "status-callback-url", twilio.getStatusCallbackUrl(), builder::statusCallbackUrl);
        optional(TWILIO + "recording-status-callback-url", twilio.getRecordingStatusCallbackUrl(),
                builder::recordingStatusCallbackUrl);
        return builder.build();
    }

    private static FreeSwitchVoiceProvider freeswitch(VoiceProperties.FreeSwitch freeswitch) {
        String password = required(FREESWITCH + "password", freeswitch.getPassword(),
                "with " + FREESWITCH + "host (the password of FreeSWITCH's event_socket.conf.xml)");
        String dialString = required(FREESWITCH + "dial-string", freeswitch.getDialString(),
                "with " + FREESWITCH + "host, such as sofia/gateway/main/{number}");
        FreeSwitchVoiceProvider.Builder builder = get("irisx.voice.freeswitch",
                () -> FreeSwitchVoiceProvider.builder(freeswitch.getHost(), freeswitch.getPort(), password));
        apply(FREESWITCH + "dial-string", () -> builder.dialString(dialString));
        if (hasText(freeswitch.getRecordingsUrl())) {
            String directory = hasText(freeswitch.getRecordingsDirectory()) ? freeswitch.getRecordingsDirectory()
                    : "${recordings_dir}";
            apply(FREESWITCH + "recordings-url", () -> builder.recordings(directory, freeswitch.getRecordingsUrl()));
        }
        return builder.build();
    }

    private static boolean hasClass(String name) {
        return ClassUtils.isPresent(name, VoiceModules.class.getClassLoader());
    }
}

package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.apply;
import static io.irisx.spring.boot.internal.Settings.get;
import static io.irisx.spring.boot.internal.Settings.hasText;
import static io.irisx.spring.boot.internal.Settings.optional;
import static io.irisx.spring.boot.internal.Settings.required;

import io.irisx.spring.boot.IrisxPropertyException;
import io.irisx.spring.boot.VoiceProperties;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.freeswitch.FreeSwitchVoiceProvider;
import io.irisx.voice.twilio.TwilioVoiceProvider;
import java.util.List;
import org.springframework.util.ClassUtils;

/** Builds the voice module and its Twilio and FreeSWITCH providers from {@code irisx.voice.*}. Stateless and thread-safe. */
public final class VoiceModules {

    private static final String TWILIO = "irisx.voice.twilio.";
    private static final String FREESWITCH = "irisx.voice.freeswitch.";

    private VoiceModules() {
    }

    /**
     * The module these properties describe, running {@code flows} (the application's Flow beans); a value IRISX
     * refuses is reported under its property.
     */
    public static VoiceModule create(VoiceProperties properties, List<Flow> flows) {
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
        return get("irisx.voice", builder::build);
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

package io.irisx.spring.boot.internal;

import io.irisx.spring.boot.EmailProperties;
import io.irisx.spring.boot.IrisxProperties;
import io.irisx.spring.boot.SmsProperties;
import io.irisx.spring.boot.TtsProperties;
import io.irisx.spring.boot.VoiceProperties;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The conditions under which the auto-configuration installs each module on the class path, as
 * {@link ModuleReasons} gives them; each reads the module's {@code irisx.*} properties. Stateless and thread-safe.
 */
public final class ModuleConditions {

    private ModuleConditions() {
    }

    /** Matches unless {@code irisx.webhooks.enabled} is false. */
    public static final class Webhooks extends ModuleCondition<IrisxProperties.Webhooks> {
        Webhooks() {
            super("webhooks", IrisxProperties.Webhooks.class, IrisxProperties.Webhooks::new, ModuleReasons::webhooks);
        }
    }

    /** Matches when email is enabled and has a provider, or is send-only. */
    public static final class Email extends ModuleCondition<EmailProperties> {
        Email() {
            super("email", EmailProperties.class, EmailProperties::new, ModuleReasons::email);
        }
    }

    /** Matches when SMS is enabled and has a provider, or is send-only. */
    public static final class Sms extends ModuleCondition<SmsProperties> {
        Sms() {
            super("sms", SmsProperties.class, SmsProperties::new, ModuleReasons::sms);
        }
    }

    /** Matches when voice is enabled and has a provider, or is queue-only. */
    public static final class Voice extends ModuleCondition<VoiceProperties> {
        Voice() {
            super("voice", VoiceProperties.class, VoiceProperties::new, ModuleReasons::voice);
        }
    }

    /** Matches when {@code irisx.voice.tts.*} configures a text-to-speech provider. */
    public static final class Tts extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            TtsProperties properties = Binder.get(context.getEnvironment()).bind("irisx.voice.tts",
                    TtsProperties.class).orElseGet(TtsProperties::new);
            ConditionMessage.Builder message = ConditionMessage.forCondition("IRISX text-to-speech");
            return VoiceModules.hasTts(properties)
                    ? ConditionOutcome.match(message.because("providers " + properties.configuredProviders()))
                    : ConditionOutcome.noMatch(message.because("no provider is configured ("
                            + "irisx.voice.tts.openai.api-key, irisx.voice.tts.elevenlabs.api-key,"
                            + " irisx.voice.tts.polly.region)"));
        }
    }

    /** Binds {@code irisx.<module>} and asks {@link ModuleReasons} why the module would not be installed. */
    abstract static class ModuleCondition<P> extends SpringBootCondition {
        private final String module;
        private final Class<P> type;
        private final Supplier<P> defaults;
        private final Function<P, Optional<String>> reason;

        ModuleCondition(String module, Class<P> type, Supplier<P> defaults,
                Function<P, Optional<String>> reason) {
            this.module = module;
            this.type = type;
            this.defaults = defaults;
            this.reason = reason;
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            P properties = Binder.get(context.getEnvironment()).bind("irisx." + module, type).orElseGet(defaults);
            ConditionMessage.Builder message = ConditionMessage.forCondition("IRISX " + module + " module");
            return reason.apply(properties)
                    .map(why -> ConditionOutcome.noMatch(message.because(why)))
                    .orElseGet(() -> ConditionOutcome.match(message.because("its irisx." + module
                            + " properties install it")));
        }
    }
}

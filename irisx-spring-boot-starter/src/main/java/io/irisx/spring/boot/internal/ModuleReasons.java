package io.irisx.spring.boot.internal;

import io.irisx.spring.boot.EmailProperties;
import io.irisx.spring.boot.IrisxProperties;
import io.irisx.spring.boot.SmsProperties;
import io.irisx.spring.boot.VoiceProperties;
import java.util.List;
import java.util.Optional;

/**
 * Why a module on the class path is not installed, from the properties alone: the one answer the auto-configuration's
 * conditions and its startup log both give. Stateless and thread-safe; loads no module's classes.
 */
public final class ModuleReasons {

    private ModuleReasons() {
    }

    /** Why the webhooks module is not installed; empty when it is. */
    public static Optional<String> webhooks(IrisxProperties.Webhooks webhooks) {
        return webhooks.isEnabled() ? Optional.empty() : Optional.of("irisx.webhooks.enabled is false");
    }

    /** Why the email module is not installed; empty when it is. */
    public static Optional<String> email(EmailProperties email) {
        return channel("email", email.isEnabled(), email.isSendOnly(), email.configuredProviders(),
                "irisx.email.postmark.server-token, irisx.email.resend.api-key, irisx.email.sendgrid.api-key, "
                        + "irisx.email.mailgun.api-key, irisx.email.elastic-email.api-key, irisx.email.ses.region "
                        + "or irisx.email.smtp.host");
    }

    /** Why the SMS module is not installed; empty when it is. */
    public static Optional<String> sms(SmsProperties sms) {
        return channel("sms", sms.isEnabled(), sms.isSendOnly(), sms.configuredProviders(),
                "irisx.sms.twilio.account-sid");
    }

    /** Why the voice module is not installed; empty when it is. */
    public static Optional<String> voice(VoiceProperties voice) {
        if (!voice.isEnabled()) {
            return Optional.of("irisx.voice.enabled is false");
        }
        if (voice.isQueueOnly() || !voice.configuredProviders().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("no provider is configured (irisx.voice.twilio.account-sid, irisx.voice.freeswitch.host) and"
                + " irisx.voice.queue-only "
                + "is false");
    }

    private static Optional<String> channel(String prefix, boolean enabled, boolean sendOnly, List<String> providers,
            String keys) {
        if (!enabled) {
            return Optional.of("irisx." + prefix + ".enabled is false");
        }
        if (sendOnly || !providers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("no provider is configured (" + keys + ") and irisx." + prefix
                + ".send-only is false");
    }
}

package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.apply;
import static io.irisx.spring.boot.internal.Settings.get;
import static io.irisx.spring.boot.internal.Settings.hasText;
import static io.irisx.spring.boot.internal.Settings.optional;
import static io.irisx.spring.boot.internal.Settings.required;

import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.twilio.TwilioProvider;
import io.irisx.spring.boot.SmsProperties;

/** Builds the SMS module and its Twilio provider from {@code irisx.sms.*}. Stateless and thread-safe. */
public final class SmsModules {

    private static final String TWILIO = "irisx.sms.twilio.";

    private SmsModules() {
    }

    /** The module these properties describe; a value IRISX refuses is reported under its property. */
    public static SmsModule create(SmsProperties properties) {
        Settings.refuseProvidersWhenSendOnly("irisx.sms", properties.isSendOnly(), properties.configuredProviders());
        SmsModule.Builder builder = SmsModule.builder();
        if (properties.isSendOnly()) {
            builder.sendOnly();
        } else {
            builder.provider(twilio(properties.getTwilio()));
        }
        optional("irisx.sms.default-region", properties.getDefaultRegion(), builder::defaultRegion);
        optional("irisx.sms.max-segments", properties.getMaxSegments(), builder::maxSegments);
        optional("irisx.sms.concurrency", properties.getConcurrency(), concurrency -> builder.concurrency(concurrency));
        return get("irisx.sms", builder::build);
    }

    private static TwilioProvider twilio(SmsProperties.Twilio twilio) {
        String authToken = required(TWILIO + "auth-token", twilio.getAuthToken(),
                "with " + TWILIO + "account-sid (Twilio's SDK authenticates the account with it)");
        TwilioProvider.Builder builder = get("irisx.sms.twilio",
                () -> TwilioProvider.builder(twilio.getAccountSid(), authToken));
        if (hasText(twilio.getApiKeySid())) {
            String secret = required(TWILIO + "api-key-secret", twilio.getApiKeySecret(), "with " + TWILIO
                    + "api-key-sid");
            apply("irisx.sms.twilio", () -> builder.apiKey(twilio.getApiKeySid(), secret));
        }
        optional(TWILIO + "base-url", twilio.getBaseUrl(), builder::baseUrl);
        return builder.build();
    }
}

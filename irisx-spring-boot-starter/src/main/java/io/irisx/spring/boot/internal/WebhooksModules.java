package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.apply;
import static io.irisx.spring.boot.internal.Settings.optional;

import io.irisx.spring.boot.IrisxProperties;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.util.List;

/** Builds the webhooks module from {@code irisx.webhooks.*}. Stateless and thread-safe. */
public final class WebhooksModules {

    private WebhooksModules() {
    }

    /** The module these properties describe; a value IRISX refuses is reported under its property. */
    public static WebhooksModule create(IrisxProperties.Webhooks properties) {
        WebhooksModule.Builder builder = WebhooksModule.builder().ssrfPolicy(ssrfPolicy(properties.getSsrf()));
        optional("irisx.webhooks.concurrency", properties.getConcurrency(), builder::concurrency);
        if (properties.isSendOnly()) {
            builder.sendOnly();
        }
        return builder.build();
    }

    private static SsrfPolicy ssrfPolicy(IrisxProperties.Ssrf ssrf) {
        SsrfPolicy.Builder policy = SsrfPolicy.builder().httpsOnly(ssrf.isHttpsOnly());
        List<String> allow = ssrf.getAllow();
        for (int i = 0; i < allow.size(); i++) {
            String cidr = allow.get(i);
            apply("irisx.webhooks.ssrf.allow[" + i + "]", () -> policy.allow(cidr));
        }
        return policy.build();
    }
}

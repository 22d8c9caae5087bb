package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.apply;
import static io.irisx.spring.boot.internal.Settings.get;
import static io.irisx.spring.boot.internal.Settings.optional;

import io.irisx.core.TenantId;
import io.irisx.messaging.email.EmailModule;
import io.irisx.spring.boot.EmailProperties;
import io.irisx.spring.boot.IrisxPropertyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the email module and its providers from {@code irisx.email.*}. Stateless and thread-safe. */
public final class EmailModules {

    private EmailModules() {
    }

    /** The module these properties describe; a value IRISX refuses is reported under its property. */
    public static EmailModule create(EmailProperties properties) {
        List<String> configured = properties.configuredProviders();
        Settings.refuseProvidersWhenSendOnly("irisx.email", properties.isSendOnly(), configured);
        EmailModule.Builder builder = EmailModule.builder();
        if (properties.isSendOnly()) {
            builder.sendOnly();
        }
        for (String provider : configured) {
            builder.provider(EmailProviders.create(provider, properties));
        }
        if (!properties.getChain().isEmpty()) {
            List<String> chain = providerNames("irisx.email.chain", properties.getChain(), configured);
            apply("irisx.email.chain", () -> builder.chain(chain));
        }
        for (Map.Entry<String, List<String>> tenant : properties.getTenantChains().entrySet()) {
            String property = "irisx.email.tenant-chains." + tenant.getKey();
            List<String> chain = providerNames(property, tenant.getValue(), configured);
            apply(property, () -> builder.chain(TenantId.of(tenant.getKey()), chain));
        }
        optional("irisx.email.concurrency", properties.getConcurrency(), concurrency -> builder.concurrency(concurrency));
        return get("irisx.email", builder::build);
    }

    /** The providers' names in a chain written with their property names, each of a configured provider. */
    private static List<String> providerNames(String property, List<String> chain, List<String> configured) {
        List<String> names = new ArrayList<>();
        for (String entry : chain) {
            String key = EmailProviders.propertyName(entry).orElseThrow(() -> new IrisxPropertyException(property,
                    "'" + entry + "' is not an email provider: expected one of " + EmailProviders.PROPERTY_NAMES));
            if (!configured.contains(key)) {
                throw new IrisxPropertyException(property, "names " + key + ", which is not configured: set its "
                        + "irisx.email." + key + ".* properties, or leave it out of the chain (configured: "
                        + configured + ")");
            }
            names.add(EmailProviders.providerName(key));
        }
        return names;
    }
}

package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.apply;
import static io.irisx.spring.boot.internal.Settings.get;
import static io.irisx.spring.boot.internal.Settings.optional;

import io.irisx.core.TenantId;
import io.irisx.messaging.email.ComplaintAlerts;
import io.irisx.messaging.email.EmailModule;
import io.irisx.spring.boot.EmailProperties;
import io.irisx.spring.boot.IrisxPropertyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

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
        optional("irisx.email.drop-suppressed-recipients", properties.getDropSuppressedRecipients(),
                builder::dropSuppressedRecipients);
        links(properties, builder);
        complaintAlerts(properties.getComplaintAlerts(), builder);
        return get("irisx.email", builder::build);
    }

    /** The links' base URL, the unsubscribe mailbox and tracking, each of which but the first needs the first. */
    private static void links(EmailProperties properties, EmailModule.Builder builder) {
        EmailProperties.Links links = properties.getLinks();
        EmailProperties.Tracking tracking = properties.getTracking();
        boolean tracked = tracking.isEnabled() || !tracking.getTenants().isEmpty();
        if (!Settings.hasText(links.getBaseUrl())) {
            if (Settings.hasText(links.getUnsubscribeMailbox())) {
                throw new IrisxPropertyException("irisx.email.links.base-url", "is required with "
                        + "irisx.email.links.unsubscribe-mailbox (its mailto: link goes beside the https one)");
            }
            if (tracked) {
                throw new IrisxPropertyException("irisx.email.links.base-url", "is required with "
                        + "irisx.email.tracking.* (opens and clicks are tracked through its links)");
            }
            return;
        }
        optional("irisx.email.links.base-url", links.getBaseUrl().strip(), builder::links);
        if (Settings.hasText(links.getUnsubscribeMailbox())) {
            optional("irisx.email.links.unsubscribe-mailbox", links.getUnsubscribeMailbox().strip(),
                    builder::unsubscribeMailbox);
        }
        if (tracking.isEnabled()) {
            if (!tracking.getTenants().isEmpty()) {
                throw new IrisxPropertyException("irisx.email.tracking.tenants", "names some tenants, yet "
                        + "irisx.email.tracking.enabled tracks every tenant: set one or the other");
            }
            builder.tracking(tenant -> true);
        } else if (!tracking.getTenants().isEmpty()) {
            List<String> tenants = tracking.getTenants();
            List<TenantId> ids = new ArrayList<>();
            for (int i = 0; i < tenants.size(); i++) {
                String tenant = tenants.get(i);
                ids.add(get("irisx.email.tracking.tenants[" + i + "]", () -> TenantId.of(tenant)));
            }
            Set<TenantId> accepted = Set.copyOf(ids);
            Predicate<TenantId> trackedTenants = accepted::contains;
            builder.tracking(trackedTenants);
        }
    }

    /** The complaint alerts, IRISX's defaults for each value unset; nothing when none is set. */
    private static void complaintAlerts(EmailProperties.ComplaintAlerts alerts, EmailModule.Builder builder) {
        if (alerts.getWindow() == null && alerts.getWarning() == null && alerts.getAlarm() == null
                && alerts.getMinimumVolume() == null) {
            return;
        }
        String prefix = "irisx.email.complaint-alerts.";
        ComplaintAlerts defaults = ComplaintAlerts.defaults();
        Duration window = alerts.getWindow() != null ? alerts.getWindow() : defaults.window();
        double warning = alerts.getWarning() != null ? alerts.getWarning() : defaults.warning();
        double alarm = alerts.getAlarm() != null ? alerts.getAlarm() : defaults.alarm();
        long minimumVolume = alerts.getMinimumVolume() != null ? alerts.getMinimumVolume() : defaults.minimumVolume();
        if (window.isNegative() || window.isZero()) {
            throw new IrisxPropertyException(prefix + "window", "must be positive, was " + window);
        }
        if (!(warning > 0 && warning <= 1)) {
            throw new IrisxPropertyException(prefix + "warning", "must be a rate above 0 and at most 1 (0.001 is "
                    + "0.1 %), was " + warning);
        }
        if (!(alarm > 0 && alarm <= 1)) {
            throw new IrisxPropertyException(prefix + "alarm", "must be a rate above 0 and at most 1 (0.003 is "
                    + "0.3 %), was " + alarm);
        }
        if (warning > alarm) {
            throw new IrisxPropertyException(prefix + "warning", "must be at most the alarm, " + alarm + ", was "
                    + warning);
        }
        if (minimumVolume < 1) {
            throw new IrisxPropertyException(prefix + "minimum-volume", "must be at least 1, was " + minimumVolume);
        }
        builder.complaintAlerts(get("irisx.email.complaint-alerts",
                () -> new ComplaintAlerts(window, warning, alarm, minimumVolume)));
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

package io.irisx.spring.boot.internal;

import static io.irisx.spring.boot.internal.Settings.apply;
import static io.irisx.spring.boot.internal.Settings.get;
import static io.irisx.spring.boot.internal.Settings.hasText;

import io.irisx.core.Irisx;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.spi.IrisxModule;
import io.irisx.spring.boot.IrisxBuilderCustomizer;
import io.irisx.spring.boot.IrisxProperties;
import io.irisx.spring.boot.IrisxPropertyException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

/**
 * Builds the auto-configured runtime: the application's DataSource (or the embedded default), the sealing keys, the
 * maximum lag, the rate limits, the prices, the outbox, the modules and the customizers, in that order; then says at
 * INFO which module on the class path it left out and why. Stateless and thread-safe.
 */
public final class RuntimeAssembly {

    private static final Logger log = LoggerFactory.getLogger(RuntimeAssembly.class);

    /** Each module the starter installs: the class that shows it is on the class path, and why it may be left out. */
    private static final Map<String, ModuleOnClassPath> MODULES = Map.of(
            "webhooks", new ModuleOnClassPath("io.irisx.webhooks.endpoint.WebhooksModule",
                    properties -> ModuleReasons.webhooks(properties.getWebhooks())),
            "email", new ModuleOnClassPath("io.irisx.messaging.email.EmailModule",
                    properties -> ModuleReasons.email(properties.getEmail())),
            "sms", new ModuleOnClassPath("io.irisx.messaging.sms.SmsModule",
                    properties -> ModuleReasons.sms(properties.getSms())),
            "voice", new ModuleOnClassPath("io.irisx.voice.VoiceModule",
                    properties -> ModuleReasons.voice(properties.getVoice())));

    private RuntimeAssembly() {
    }

    /**
     * The runtime.
     *
     * @param dataSource the application's DataSource, or {@code null} for the embedded default
     * @param sealingKeys the application's SealingKeys bean, or {@code null} for {@code irisx.sealing-keys}
     * @param outbox the outbox factory, or {@code null} for the database outbox
     */
    public static Irisx build(IrisxProperties properties, DataSource dataSource, SealingKeys sealingKeys,
            Outbox.Factory outbox, List<IrisxModule> modules, List<IrisxBuilderCustomizer> customizers) {
        Irisx.Builder builder = Irisx.builder();
        SealingKeys keys = sealingKeys != null ? sealingKeys : parseKeys(properties.getSealingKeys());
        if (dataSource != null) {
            if (keys == null) {
                throw new IrisxPropertyException("irisx.sealing-keys", "is required when IRISX stores in the "
                        + "application's DataSource: give one <keyId>=<32 bytes in base64> per line (a key can be "
                        + "made with 'openssl rand -base64 32'), or define a SealingKeys bean");
            }
            builder.dataSource(dataSource);
        } else if (properties.getDataDirectory() != null) {
            builder.dataDirectory(properties.getDataDirectory());
        } else {
            throw new IrisxPropertyException("irisx.data-directory", "is required without a DataSource: the "
                    + "directory of the embedded database (irisx-data when the property is not set)");
        }
        if (keys != null) {
            builder.sealingKeys(keys);
        }
        apply("irisx.max-lag", () -> builder.maxLag(properties.getMaxLag()));
        builder.rateLimits(RateLimitSettings.create(properties.getRateLimits()));
        if (PriceSettings.isSet(properties.getPrices())) {
            builder.prices(PriceSettings.create(properties.getPrices()));
        }
        builder.outbox(outbox != null ? outbox : defaultOutbox(properties.getOutbox().getType()));
        modules.forEach(builder::install);
        customizers.forEach(customizer -> customizer.customize(builder));
        Irisx irisx = builder.build();
        reportModulesLeftOut(properties, irisx.modules());
        return irisx;
    }

    private static SealingKeys parseKeys(String text) {
        return hasText(text) ? get("irisx.sealing-keys", () -> SealingKeys.parse(text)) : null;
    }

    private static Outbox.Factory defaultOutbox(IrisxProperties.OutboxType type) {
        if (type == IrisxProperties.OutboxType.JETSTREAM) {
            throw new IrisxPropertyException("irisx.outbox.type", "is jetstream, but io.irisx:irisx-queue is not on "
                    + "the class path: add it, or set irisx.outbox.type=jdbc");
        }
        return JdbcOutbox.factory();
    }

    private static void reportModulesLeftOut(IrisxProperties properties, List<String> installed) {
        ClassLoader loader = RuntimeAssembly.class.getClassLoader();
        MODULES.forEach((name, module) -> {
            if (!installed.contains(name) && ClassUtils.isPresent(module.className(), loader)) {
                module.reason().apply(properties).ifPresent(reason ->
                        log.info("irisx: the {} module is on the class path but not installed: {}", name, reason));
            }
        });
    }

    /** A module the starter installs: its class's name, and why the properties leave it out. */
    private record ModuleOnClassPath(String className, Function<IrisxProperties, Optional<String>> reason) {
    }
}

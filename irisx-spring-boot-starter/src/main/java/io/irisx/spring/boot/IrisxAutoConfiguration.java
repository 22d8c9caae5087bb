package io.irisx.spring.boot;

import io.irisx.core.Irisx;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.spi.IrisxModule;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.queue.JetStreamOutbox;
import io.irisx.spring.boot.internal.EmailModules;
import io.irisx.spring.boot.internal.IrisxLifecycle;
import io.irisx.spring.boot.internal.JetStreamOutboxes;
import io.irisx.spring.boot.internal.MeterRegistries;
import io.irisx.spring.boot.internal.ModuleConditions;
import io.irisx.spring.boot.internal.RuntimeAssembly;
import io.irisx.spring.boot.internal.SmsModules;
import io.irisx.spring.boot.internal.VoiceModules;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.tts.TextToSpeech;
import io.irisx.spring.boot.internal.WebhooksModules;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Builds the IRISX runtime as a bean, from the {@code irisx.*} properties ({@link IrisxProperties}): on the
 * application's DataSource when it has one (then {@code irisx.sealing-keys} or a {@link SealingKeys} bean is
 * required), else on the embedded defaults under {@code irisx.data-directory}; with the JetStream outbox when
 * {@code irisx.outbox.type=jetstream} and io.irisx:irisx-queue is on the class path; with the rate limits of
 * {@code irisx.rate-limits.*} and the prices of {@code irisx.prices.*}; metered in the application's
 * MeterRegistry when it has one. It installs the modules on the class path (webhooks; email and SMS when they have a
 * provider or are send-only; voice when it has a provider or is queue-only, with the application's {@link Flow}
 * beans), every {@link IrisxModule} bean of the application, and applies every
 * {@link IrisxBuilderCustomizer} bean before building. The runtime is closed late in the context's shutdown (after the
 * web server has finished its requests), and on destruction.
 *
 * <p>Each bean backs off when the application defines its own: an {@link Irisx}, an {@link Outbox.Factory}, or a
 * module of the same type. {@code irisx.enabled=false} turns the whole auto-configuration off. Stateless, and so
 * thread-safe; Spring calls it while it creates the context.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class,
        afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(Irisx.class)
@ConditionalOnProperty(prefix = "irisx", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(IrisxProperties.class)
public class IrisxAutoConfiguration {

    /** The order of the starter's modules among the IrisxModule beans; the application's come after them by default. */
    static final int WEBHOOKS_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;
    static final int EMAIL_ORDER = WEBHOOKS_ORDER + 100;
    static final int SMS_ORDER = EMAIL_ORDER + 100;
    static final int VOICE_ORDER = SMS_ORDER + 100;

    /**
     * The runtime: built, migrated and working when the bean is created, after the application's own database
     * initialization (Flyway, Liquibase, SQL scripts), so that on an empty database the application's Flyway does
     * not find IRISX's tables before its own history. Closed by {@link #irisxLifecycle} when the context stops, and
     * by its destroy method otherwise (closing is idempotent).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public Irisx irisx(IrisxProperties properties, ObjectProvider<DataSource> dataSource,
            ObjectProvider<SealingKeys> sealingKeys, ObjectProvider<Outbox.Factory> outbox,
            ObjectProvider<IrisxModule> modules, ObjectProvider<IrisxBuilderCustomizer> customizers) {
        return RuntimeAssembly.build(properties, applicationDataSource(dataSource), sealingKeys.getIfUnique(),
                outbox.getIfUnique(), modules.orderedStream().toList(), customizers.orderedStream().toList());
    }

    /**
     * Closes every IRISX runtime of the context when it stops, in a late phase: after the web server has finished its
     * requests and stopped.
     */
    @Bean
    public SmartLifecycle irisxLifecycle(ObjectProvider<Irisx> runtimes) {
        return new IrisxLifecycle(runtimes.orderedStream().toList());
    }

    private static DataSource applicationDataSource(ObjectProvider<DataSource> dataSources) {
        DataSource unique = dataSources.getIfUnique();
        if (unique == null && dataSources.stream().findAny().isPresent()) {
            throw new IllegalStateException("the application has several DataSource beans and none is @Primary: "
                    + "mark the one IRISX stores in @Primary, or define the Irisx bean yourself");
        }
        return unique;
    }

    /** The JetStream outbox, when {@code irisx.outbox.type=jetstream} and io.irisx:irisx-queue is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JetStreamOutbox.class)
    @ConditionalOnProperty(prefix = "irisx.outbox", name = "type", havingValue = "jetstream")
    static class JetStreamConfiguration {

        @Bean
        @ConditionalOnMissingBean(Outbox.Factory.class)
        Outbox.Factory irisxJetStreamOutbox(IrisxProperties properties) {
            return JetStreamOutboxes.factory(properties.getOutbox().getJetstream());
        }
    }

    /** The application's MeterRegistry, given to the runtime, when Micrometer is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        IrisxBuilderCustomizer irisxMeterRegistryCustomizer(ObjectProvider<MeterRegistry> registry) {
            return builder -> registry.ifUnique(builder::meterRegistry);
        }
    }

    /** The webhooks module, when io.irisx:irisx-webhooks is present and {@code irisx.webhooks.enabled}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebhooksModule.class)
    @Conditional(ModuleConditions.Webhooks.class)
    static class WebhooksConfiguration {

        @Bean
        @Order(WEBHOOKS_ORDER)
        @ConditionalOnMissingBean(WebhooksModule.class)
        WebhooksModule irisxWebhooksModule(IrisxProperties properties) {
            return WebhooksModules.create(properties.getWebhooks());
        }
    }

    /** The email module, when io.irisx:irisx-messaging is present and a provider or send-only is configured. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(EmailModule.class)
    @Conditional(ModuleConditions.Email.class)
    static class EmailConfiguration {

        @Bean
        @Order(EMAIL_ORDER)
        @ConditionalOnMissingBean(EmailModule.class)
        EmailModule irisxEmailModule(IrisxProperties properties) {
            return EmailModules.create(properties.getEmail());
        }
    }

    /** The SMS module, when io.irisx:irisx-messaging is present and Twilio or send-only is configured. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SmsModule.class)
    @Conditional(ModuleConditions.Sms.class)
    static class SmsConfiguration {

        @Bean
        @Order(SMS_ORDER)
        @ConditionalOnMissingBean(SmsModule.class)
        SmsModule irisxSmsModule(IrisxProperties properties) {
            return SmsModules.create(properties.getSms());
        }
    }

    /**
     * The voice module, when io.irisx:irisx-voice is present and Twilio or queue-only is configured; the
     * application's {@link Flow} beans are its flows.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(VoiceModule.class)
    @Conditional(ModuleConditions.Voice.class)
    static class VoiceConfiguration {

        @Bean
        @Order(VOICE_ORDER)
        @ConditionalOnMissingBean(VoiceModule.class)
        VoiceModule irisxVoiceModule(IrisxProperties properties, ObjectProvider<Flow> flows,
                ObjectProvider<TextToSpeech> tts) {
            return VoiceModules.create(properties.getVoice(), flows.orderedStream().toList(),
                    Optional.ofNullable(tts.getIfAvailable()));
        }

        /**
         * The text-to-speech {@code irisx.voice.tts.*} configures, which the voice module speaks its flows' say
         * prompts through and closes with the runtime; the application mounts its {@code serve} handler at
         * {@code irisx.voice.tts.audio-url}. Its {@code irisx.tts.*} meters go to the application's MeterRegistry,
         * the runtime's, when it has one.
         */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(TextToSpeech.class)
        @Conditional(ModuleConditions.Tts.class)
        TextToSpeech irisxTextToSpeech(IrisxProperties properties, ConfigurableListableBeanFactory beans) {
            return VoiceModules.tts(properties.getVoice().getTts(), MeterRegistries.unique(beans));
        }
    }
}

package io.irisx.spring.boot;

import io.irisx.core.Irisx;
import java.util.Locale;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code irisx} health indicator ({@link IrisxHealthIndicator}), when Spring Boot Actuator is on the class path,
 * the context has one IRISX runtime, and {@code management.health.irisx.enabled} is not false. Stateless, and so
 * thread-safe.
 */
@AutoConfiguration(after = IrisxAutoConfiguration.class)
@ConditionalOnClass({Irisx.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnSingleCandidate(Irisx.class)
@ConditionalOnEnabledHealthIndicator("irisx")
@EnableConfigurationProperties(IrisxProperties.class)
public class IrisxHealthContributorAutoConfiguration {

    /** The indicator, named {@code irisx} in the health endpoint. */
    @Bean
    @ConditionalOnMissingBean(name = "irisxHealthIndicator")
    public IrisxHealthIndicator irisxHealthIndicator(Irisx irisx, IrisxProperties properties) {
        String degraded = properties.getHealth().getDegradedStatus();
        return new IrisxHealthIndicator(irisx, new Status(degraded == null || degraded.isBlank() ? "UP"
                : degraded.strip().toUpperCase(Locale.ROOT)));
    }
}

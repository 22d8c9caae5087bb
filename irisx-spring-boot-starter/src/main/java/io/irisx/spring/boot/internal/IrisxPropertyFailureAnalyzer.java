package io.irisx.spring.boot.internal;

import io.irisx.spring.boot.IrisxPropertyException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Says which {@code irisx.*} property stopped the application, where it was set, and why; never its value, which
 * may be a secret (Spring Boot's own analyzer of invalid properties would print it). Registered in
 * {@code META-INF/spring.factories}. Thread-safe.
 */
final class IrisxPropertyFailureAnalyzer extends AbstractFailureAnalyzer<IrisxPropertyException> {

    private final Environment environment;

    IrisxPropertyFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IrisxPropertyException cause) {
        String description = "IRISX cannot start with the property " + cause.property() + origin(cause.property())
                + ": " + cause.reason();
        String action = "Set or correct " + cause.property() + " (in application.properties or application.yml, or "
                + "as an environment variable), or leave out what it configures.";
        return new FailureAnalysis(description, action, cause);
    }

    /** Where the property is set, as " (set in …)", or nothing when it is not set or the origin is unknown. */
    private String origin(String property) {
        if (environment == null || !ConfigurationPropertyName.isValid(property)) {
            return "";
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null && found.getOrigin() != null) {
                return " (set in " + found.getOrigin() + ")";
            }
        }
        return "";
    }
}

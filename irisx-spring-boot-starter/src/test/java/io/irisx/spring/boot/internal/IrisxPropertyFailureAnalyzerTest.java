package io.irisx.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.spring.boot.IrisxPropertyException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

/** The failure analysis an {@code irisx.*} property gets: the property, where it is set and why; never its value. */
class IrisxPropertyFailureAnalyzerTest {

    @Test
    void names_the_property_and_where_it_is_set_but_not_its_value() {
        String token = "not a token";
        StandardEnvironment environment = new StandardEnvironment();
        TextResourceOrigin origin = new TextResourceOrigin(new ByteArrayResource(new byte[0], "application.yml"),
                new TextResourceOrigin.Location(11, 20));
        environment.getPropertySources().addFirst(new OriginTrackedMapPropertySource("config",
                Map.of("irisx.email.postmark.server-token", OriginTrackedValue.of(token, origin))));
        ConfigurationPropertySources.attach(environment);
        IrisxPropertyException cause = new IrisxPropertyException("irisx.email.postmark.server-token",
                "serverToken must be a Postmark server API token without spaces (value not shown)");

        FailureAnalysis analysis = new IrisxPropertyFailureAnalyzer(environment)
                .analyze(new BeanCreationException("irisx", "failed", cause));

        assertThat(analysis.getDescription()).contains("irisx.email.postmark.server-token", "application.yml",
                "12:21", "value not shown").doesNotContain(token);
        assertThat(analysis.getAction()).contains("irisx.email.postmark.server-token");
    }

    @Test
    void a_property_that_is_not_set_has_no_origin() {
        FailureAnalysis analysis = new IrisxPropertyFailureAnalyzer(new StandardEnvironment())
                .analyze(new IrisxPropertyException("irisx.sealing-keys", "is required"));

        assertThat(analysis.getDescription())
                .isEqualTo("IRISX cannot start with the property irisx.sealing-keys: is required");
    }

    @Test
    void spring_boot_finds_the_analyzer_and_gives_it_the_environment() {
        // As Spring Boot loads its analyzers; those needing more than the environment are left out here.
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class,
                ArgumentResolver.of(Environment.class, new StandardEnvironment()),
                FailureHandler.handleMessage((message, failure) -> { })))
                .anySatisfy(analyzer -> assertThat(analyzer).isInstanceOf(IrisxPropertyFailureAnalyzer.class));
    }
}

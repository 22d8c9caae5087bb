package io.irisx.spring.boot.internal;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds the application's Micrometer {@code MeterRegistry} for what the starter builds outside the runtime's builder
 * (the text-to-speech), so that it is metered in the same registry as the runtime. Micrometer is optional: this
 * touches its types only when it is on the class path. Stateless and thread-safe.
 */
public final class MeterRegistries {

    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private MeterRegistries() {
    }

    /**
     * The application's MeterRegistry bean when Micrometer is on the class path and there is exactly one (or one
     * {@code @Primary}), as the runtime is given it; typed {@code Object} so that Micrometer stays optional.
     */
    public static Optional<Object> unique(ConfigurableListableBeanFactory beans) {
        if (!ClassUtils.isPresent(METER_REGISTRY, beans.getBeanClassLoader())) {
            return Optional.empty();
        }
        return Optional.ofNullable(beans.getBeanProvider(MeterRegistry.class).getIfUnique());
    }
}

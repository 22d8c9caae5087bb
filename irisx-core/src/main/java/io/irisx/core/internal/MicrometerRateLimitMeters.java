package io.irisx.core.internal;

import io.irisx.core.Channel;
import io.irisx.core.ratelimit.RateLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The rate limiter's counter in a Micrometer registry: {@code irisx.rate.limited}, tagged {@code channel} and
 * {@code stage} ({@code send}: refused sends; {@code delivery}: deliveries put off), with no tenant tag, as tenants
 * are many. Loaded only when the host gives a registry. Thread-safe.
 */
final class MicrometerRateLimitMeters implements RateLimitMeters {

    private final Map<RateLimits.Stage, Map<Channel, Counter>> counters = new EnumMap<>(RateLimits.Stage.class);

    private MicrometerRateLimitMeters(MeterRegistry registry) {
        for (RateLimits.Stage stage : RateLimits.Stage.values()) {
            Map<Channel, Counter> byChannel = new EnumMap<>(Channel.class);
            for (Channel channel : Channel.values()) {
                byChannel.put(channel, Counter.builder("irisx.rate.limited")
                        .description("sends refused and deliveries put off by a tenant's rate limit")
                        .tag("channel", channel.name().toLowerCase(Locale.ROOT))
                        .tag("stage", stage.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
            counters.put(stage, byChannel);
        }
    }

    static RateLimitMeters of(Object registry) {
        return new MicrometerRateLimitMeters((MeterRegistry) registry);
    }

    @Override
    public void limited(Channel channel, RateLimits.Stage stage) {
        counters.get(stage).get(channel).increment();
    }
}

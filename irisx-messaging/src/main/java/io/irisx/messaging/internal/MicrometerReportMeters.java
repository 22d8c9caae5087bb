package io.irisx.messaging.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/** {@link ReportMeters} in a Micrometer registry; loaded only when there is one, so Micrometer stays optional. */
final class MicrometerReportMeters implements ReportMeters {

    private final MeterRegistry registry;
    private final String channel;

    private MicrometerReportMeters(MeterRegistry registry, String channel) {
        this.registry = registry;
        this.channel = channel;
    }

    static ReportMeters of(Object registry, String channel) {
        return new MicrometerReportMeters((MeterRegistry) registry, channel);
    }

    @Override
    public void reported(String source, String kind) {
        Counter.builder("irisx.reports").tag("channel", channel).tag("source", source)
                .tag("kind", kind.toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    @Override
    public void alerted(String alert, String level) {
        Counter.builder("irisx.alerts").tag("channel", channel).tag("alert", alert)
                .tag("level", level.toLowerCase(Locale.ROOT)).register(registry).increment();
    }
}

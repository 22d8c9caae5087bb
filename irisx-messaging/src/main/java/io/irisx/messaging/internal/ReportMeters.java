package io.irisx.messaging.internal;

import java.util.Optional;

/**
 * Where the reports that come back about messages are counted: {@code irisx.reports}, a counter tagged
 * {@code channel}, {@code source} (the provider, or {@code links} for the email's own links) and {@code kind}
 * (delivered, hard_bounce, …), and {@code irisx.alerts}, a counter tagged {@code channel}, {@code alert} and
 * {@code level}. Thread-safe. Not API.
 */
public interface ReportMeters {

    /** Counts nothing: the runtime has no meter registry. */
    ReportMeters NONE = new ReportMeters() {
        @Override
        public void reported(String source, String kind) {
        }

        @Override
        public void alerted(String alert, String level) {
        }
    };

    /** Meters in {@code registry} (a Micrometer {@code MeterRegistry}) when there is one, for {@code channel}. */
    static ReportMeters of(Optional<Object> registry, String channel) {
        return registry.map(r -> MicrometerReportMeters.of(r, channel)).orElse(NONE);
    }

    /** A report of {@code kind} from {@code source} was recorded. */
    void reported(String source, String kind);

    /** Alert {@code alert} was raised at {@code level}. */
    void alerted(String alert, String level);
}

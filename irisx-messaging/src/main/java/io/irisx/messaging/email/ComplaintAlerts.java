package io.irisx.messaging.email;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When a sending domain's complaint rate raises an alert: each complaint recorded computes the rate of the tenant's
 * domain over the window ({@link SenderStats#complaintRate()}); once it reaches a threshold, with at least
 * {@code minimumVolume} emails delivered (or sent) in the window, an {@code email.complaint_rate} event is emitted —
 * once per domain and level per window — and logged at WARN (ERROR for the alarm). Immutable.
 *
 * @param window the window the rate is computed over
 * @param warning the rate that raises a warning
 * @param alarm the rate that raises an alarm
 * @param minimumVolume the fewest emails delivered (or sent) in the window for a rate to count
 */
public record ComplaintAlerts(Duration window, double warning, double alarm, long minimumVolume) {

    /** Checks the window and thresholds. */
    public ComplaintAlerts {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        if (!(warning > 0 && warning <= alarm && alarm <= 1)) {
            throw new IllegalArgumentException("thresholds must satisfy 0 < warning <= alarm <= 1, were warning "
                    + warning + " and alarm " + alarm);
        }
        if (minimumVolume < 1) {
            throw new IllegalArgumentException("minimumVolume must be at least 1, was " + minimumVolume);
        }
    }

    /**
     * Gmail's and Yahoo's lines for bulk senders: a warning at 0.1 % complaints, an alarm at 0.3 %, over a day, from
     * 100 emails delivered.
     */
    public static ComplaintAlerts defaults() {
        return new ComplaintAlerts(Duration.ofDays(1), 0.001, 0.003, 100);
    }

    /** The level {@code rate} reaches, if any. */
    public Optional<Level> level(double rate) {
        return Optional.ofNullable(rate >= alarm ? Level.ALARM : rate >= warning ? Level.WARNING : null);
    }

    /** How serious an alert is. */
    public enum Level {
        /** The rate reached the warning threshold. */
        WARNING,
        /** The rate reached the alarm threshold. */
        ALARM
    }
}

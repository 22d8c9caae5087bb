package io.irisx.spring.boot;

import io.irisx.core.Irisx;
import io.irisx.core.health.Health.Check;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The runtime's health ({@link Irisx#health()}) as Spring Boot Actuator's {@code irisx} component: DOWN when IRISX
 * cannot work (its database or broker unreachable), and UP both when it works and when it works but falls behind or
 * fails over (IRISX's DEGRADED: work overdue, a relay lagging, a provider's circuit open), so that readiness stays
 * green for what deserves an alert rather than taking the instance out of service. The detail {@code irisx} holds
 * IRISX's own status (UP, DEGRADED or DOWN), and each check is a detail of its own with its status and finding.
 * {@code irisx.health.degraded-status} reports DEGRADED under another status instead, such as a custom
 * {@code DEGRADED} added to {@code management.endpoint.health.status.order}. Thread-safe.
 */
public final class IrisxHealthIndicator implements HealthIndicator {

    private final Irisx irisx;
    private final Status degraded;

    /** Reports {@code irisx}'s health, its DEGRADED as {@code degraded}. */
    public IrisxHealthIndicator(Irisx irisx, Status degraded) {
        this.irisx = Objects.requireNonNull(irisx, "irisx");
        this.degraded = Objects.requireNonNull(degraded, "degraded");
    }

    @Override
    public Health health() {
        io.irisx.core.health.Health health = irisx.health();
        Health.Builder builder = Health.status(switch (health.status()) {
            case UP -> Status.UP;
            case DEGRADED -> degraded;
            case DOWN -> Status.DOWN;
        });
        builder.withDetail("irisx", health.status().name());
        for (Check check : health.checks()) {
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("status", check.status().name());
            detail.put("detail", check.detail());
            builder.withDetail(check.name(), detail);
        }
        return builder.build();
    }
}

package io.irisx.webhooks.endpoint;

import java.util.Objects;
import java.util.Optional;

/**
 * Which endpoints {@link WebhookEndpoints#list} returns; immutable.
 *
 * @param disabled only the disabled ({@code true}) or only the enabled ({@code false}) endpoints; empty for both
 * @param eventType only the endpoints that receive this event type (subscribed to it, or to every type); empty for
 *     all
 */
public record EndpointFilter(Optional<Boolean> disabled, Optional<String> eventType) {

    /** Checks that no field is null. */
    public EndpointFilter {
        Objects.requireNonNull(disabled, "disabled");
        Objects.requireNonNull(eventType, "eventType");
    }

    /** Every endpoint. */
    public static EndpointFilter all() {
        return new EndpointFilter(Optional.empty(), Optional.empty());
    }

    /** The enabled endpoints only. */
    public static EndpointFilter enabled() {
        return new EndpointFilter(Optional.of(false), Optional.empty());
    }

    /** The disabled endpoints only. */
    public static EndpointFilter disabledOnly() {
        return new EndpointFilter(Optional.of(true), Optional.empty());
    }

    /** This filter, keeping only the endpoints that receive {@code eventType}. */
    public EndpointFilter receiving(String eventType) {
        return new EndpointFilter(disabled, Optional.of(Objects.requireNonNull(eventType, "eventType")));
    }
}

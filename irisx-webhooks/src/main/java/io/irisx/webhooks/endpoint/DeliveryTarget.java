package io.irisx.webhooks.endpoint;

import io.irisx.webhooks.signing.WebhookSecret;
import java.util.List;
import java.util.Objects;

/**
 * A message ready for delivery: the message, its endpoint, and the secrets to sign it with; immutable. The secrets
 * print redacted.
 *
 * @param message the message
 * @param endpoint the endpoint it goes to
 * @param secrets the endpoint's current secret first, then its previous one while the rotation grace lasts
 */
public record DeliveryTarget(WebhookMessage message, Endpoint endpoint, List<WebhookSecret> secrets) {

    /** Checks every field; there is at least one secret. */
    public DeliveryTarget {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(endpoint, "endpoint");
        secrets = List.copyOf(secrets);
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("secrets must hold the endpoint's current secret");
        }
    }
}

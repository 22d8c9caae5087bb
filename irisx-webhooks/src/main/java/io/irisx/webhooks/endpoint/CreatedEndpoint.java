package io.irisx.webhooks.endpoint;

import io.irisx.webhooks.signing.WebhookSecret;
import java.util.Objects;

/**
 * A newly created endpoint and its signing secret, the one time the secret is handed out; immutable. The secret
 * prints as {@code WebhookSecret[whsec_****]}; {@link WebhookSecret#reveal()} gives it to show the customer.
 *
 * @param endpoint the endpoint as stored
 * @param secret its signing secret
 */
public record CreatedEndpoint(Endpoint endpoint, WebhookSecret secret) {

    /** Checks that no field is null. */
    public CreatedEndpoint {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(secret, "secret");
    }
}

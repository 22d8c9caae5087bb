package io.irisx.examples.readme;

import io.irisx.core.Irisx;
import io.irisx.core.event.Event;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import io.irisx.webhooks.endpoint.WebhooksModule;
import io.irisx.webhooks.ssrf.SsrfPolicy;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

/** The README's "Webhook endpoints and delivery"; stateless and thread-safe. */
public final class EndpointsSection {

    private EndpointsSection() {
    }

    /**
     * What the block made: the runtime (the caller closes it), tenant acme's endpoints, the endpoint it created and
     * its secret.
     */
    public record Created(Irisx irisx, WebhookEndpoints endpoints, CreatedEndpoint created, String secret) {
    }

    /**
     * The webhooks module on the embedded defaults, an endpoint of tenant acme's at {@code receiverUrl}, and the
     * host's own {@code event} emitted in its transaction {@code connection} on the runtime's database.
     */
    public static Created endpoints(SsrfPolicy ssrfPolicy, String receiverUrl, Connection connection, Event event) {
        // README:begin webhook-endpoints
        Irisx irisx = Irisx.builder()
                .install(WebhooksModule.builder()
                        .ssrfPolicy(ssrfPolicy)                                  // SsrfPolicy.defaults(): public addresses only
                        .retryPolicy(RetryPolicy.longSchedule())                 // the default: 5 s, 5 min, … 10 h
                        .connectTimeout(Duration.ofSeconds(5)).callTimeout(Duration.ofSeconds(15))
                        .build())                                                // .sendOnly(): this process delivers nothing
                .build();
        WebhookEndpoints endpoints = WebhookEndpoints.of(irisx.tenant("acme"));

        CreatedEndpoint created = endpoints.create(EndpointSpec.builder(receiverUrl)  // "https://hooks.acme.example/irisx"
                .eventTypes("email.delivered", "email.bounced")              // or .allEventTypes()
                .headers(Map.of("X-Acme-Route", "mail"))
                .rateLimitPerSecond(20).maxConcurrency(4)
                .build());
        String secret = created.secret().reveal();                             // shown once; sealed at rest

        irisx.events().emit(connection, event);                                // a host's own event, in its transaction
        // README:end
        return new Created(irisx, endpoints, created, secret);
    }
}

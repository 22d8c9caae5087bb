package io.irisx.reference;

import io.irisx.core.Page;
import io.irisx.core.Tenant;
import io.irisx.core.id.EndpointId;
import io.irisx.core.id.MessageId;
import io.irisx.core.tenant.ApiScope;
import io.irisx.webhooks.endpoint.CreatedEndpoint;
import io.irisx.webhooks.endpoint.Endpoint;
import io.irisx.webhooks.endpoint.EndpointFilter;
import io.irisx.webhooks.endpoint.EndpointSpec;
import io.irisx.webhooks.endpoint.EndpointStats;
import io.irisx.webhooks.endpoint.EndpointUpdate;
import io.irisx.webhooks.endpoint.EventTypeInfo;
import io.irisx.webhooks.endpoint.MessageFilter;
import io.irisx.webhooks.endpoint.MessageStatus;
import io.irisx.webhooks.endpoint.SecretRotation;
import io.irisx.webhooks.endpoint.WebhookAttempt;
import io.irisx.webhooks.endpoint.WebhookMessage;
import io.irisx.webhooks.endpoint.WebhookEndpoints;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's webhook endpoints (create, get, list, update, delete, enable, disable, rotate the secret, send a test
 * event, stats, recover), their messages (get, list, attempts, retry) and the event types. A secret is shown once,
 * when the endpoint is created or its secret rotated. A test event honours {@code Idempotency-Key} (per endpoint); a
 * retry or recovery takes none, as repeating one queues the same messages again and creates none.
 */
@RestController
@RequestMapping("/v1/webhooks")
class WebhookController {

    /**
     * An endpoint to create; {@code eventTypes} absent or empty receives every event type; {@code testMode} true makes
     * a test endpoint, which receives only the events of test-mode work (absent: live).
     */
    record CreateEndpoint(String url, String description, Set<String> eventTypes, Set<String> labels,
            Map<String, String> headers, Integer rateLimitPerSecond, Integer maxConcurrency, Boolean testMode) {
    }

    /** What to change of an endpoint; absent members stay as they are. */
    record UpdateEndpoint(String url, String description, Set<String> eventTypes, Set<String> labels,
            Map<String, String> headers, Integer rateLimitPerSecond, Integer maxConcurrency) {
    }

    record Created(Endpoint endpoint, String secret) {
    }

    record Rotated(EndpointId endpoint, String secret, long previousSecretValidSeconds) {
    }

    record Disable(String reason) {
    }

    record Rotate(Long graceSeconds) {
    }

    record Recovered(int messages) {
    }

    @GetMapping("/event-types")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    List<EventTypeInfo> eventTypes(Tenant tenant) {
        return endpoints(tenant).eventTypes();
    }

    @PostMapping("/endpoints")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Created create(Tenant tenant, @RequestBody CreateEndpoint body) {
        EndpointSpec.Builder spec = EndpointSpec.builder(Paging.required(body.url(), "url"));
        if (body.description() != null) {
            spec.description(body.description());
        }
        if (body.eventTypes() == null || body.eventTypes().isEmpty()) {
            spec.allEventTypes();
        } else {
            spec.eventTypes(body.eventTypes());
        }
        if (body.labels() != null) {
            spec.labels(body.labels());
        }
        if (body.headers() != null) {
            spec.headers(body.headers());
        }
        if (body.rateLimitPerSecond() != null) {
            spec.rateLimitPerSecond(body.rateLimitPerSecond());
        }
        if (body.maxConcurrency() != null) {
            spec.maxConcurrency(body.maxConcurrency());
        }
        if (body.testMode() != null) {
            spec.testMode(body.testMode());
        }
        CreatedEndpoint created = endpoints(tenant).create(spec.build());
        return new Created(created.endpoint(), created.secret().reveal());
    }

    @GetMapping("/endpoints")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Page<Endpoint> list(Tenant tenant, @RequestParam(required = false) Boolean disabled,
            @RequestParam(required = false) String eventType, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        EndpointFilter filter = disabled == null ? EndpointFilter.all()
                : disabled ? EndpointFilter.disabledOnly() : EndpointFilter.enabled();
        if (eventType != null) {
            filter = filter.receiving(eventType);
        }
        return endpoints(tenant).list(filter, Paging.page(cursor, limit));
    }

    @GetMapping("/endpoints/{id}")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Endpoint get(Tenant tenant, @PathVariable String id) {
        return endpoints(tenant).get(EndpointId.parse(id));
    }

    @PatchMapping("/endpoints/{id}")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Endpoint update(Tenant tenant, @PathVariable String id, @RequestBody UpdateEndpoint body) {
        EndpointUpdate.Builder update = EndpointUpdate.builder();
        if (body.url() != null) {
            update.url(body.url());
        }
        if (body.description() != null) {
            update.description(body.description());
        }
        if (body.eventTypes() != null) {
            if (body.eventTypes().isEmpty()) {
                update.allEventTypes();
            } else {
                update.eventTypes(body.eventTypes());
            }
        }
        if (body.labels() != null) {
            update.labels(body.labels());
        }
        if (body.headers() != null) {
            update.headers(body.headers());
        }
        if (body.rateLimitPerSecond() != null) {
            if (body.rateLimitPerSecond() == 0) {
                update.noRateLimit();
            } else {
                update.rateLimitPerSecond(body.rateLimitPerSecond());
            }
        }
        if (body.maxConcurrency() != null) {
            if (body.maxConcurrency() == 0) {
                update.noMaxConcurrency();
            } else {
                update.maxConcurrency(body.maxConcurrency());
            }
        }
        return endpoints(tenant).update(EndpointId.parse(id), update.build());
    }

    @DeleteMapping("/endpoints/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    void delete(Tenant tenant, @PathVariable String id) {
        endpoints(tenant).delete(EndpointId.parse(id));
    }

    @PostMapping("/endpoints/{id}/enable")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Endpoint enable(Tenant tenant, @PathVariable String id) {
        return endpoints(tenant).enable(EndpointId.parse(id));
    }

    @PostMapping("/endpoints/{id}/disable")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Endpoint disable(Tenant tenant, @PathVariable String id, @RequestBody(required = false) Disable body) {
        String reason = body == null || body.reason() == null ? "disabled through the API" : body.reason();
        return endpoints(tenant).disable(EndpointId.parse(id), reason);
    }

    @PostMapping("/endpoints/{id}/rotate-secret")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Rotated rotateSecret(Tenant tenant, @PathVariable String id, @RequestBody(required = false) Rotate body) {
        SecretRotation rotation = SecretRotation.generated();
        if (body != null && body.graceSeconds() != null) {
            rotation = rotation.withGrace(Duration.ofSeconds(body.graceSeconds()));
        }
        EndpointId endpoint = EndpointId.parse(id);
        return new Rotated(endpoint, endpoints(tenant).rotateSecret(endpoint, rotation).reveal(),
                rotation.grace().toSeconds());
    }

    @PostMapping("/endpoints/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    WebhookMessage sendTest(Tenant tenant, @PathVariable String id,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        EndpointId endpoint = EndpointId.parse(id);
        return idempotencyKey == null ? endpoints(tenant).sendTest(endpoint)
                : endpoints(tenant).sendTest(endpoint, idempotencyKey);
    }

    @GetMapping("/endpoints/{id}/messages")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Page<WebhookMessage> messages(Tenant tenant, @PathVariable String id,
            @RequestParam(required = false) String status, @RequestParam(required = false) String since,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        MessageFilter filter = MessageFilter.all();
        if (status != null) {
            filter = filter.withStatus(Paging.enumValue(MessageStatus.class, "status", status));
        }
        if (since != null) {
            filter = filter.since(Paging.instant("since", since));
        }
        return endpoints(tenant).messages(EndpointId.parse(id), filter, Paging.page(cursor, limit));
    }

    @GetMapping("/endpoints/{id}/stats")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    EndpointStats endpointStats(Tenant tenant, @PathVariable String id, @RequestParam String from,
            @RequestParam String to) {
        return endpoints(tenant).stats(EndpointId.parse(id), Paging.instant("from", from), Paging.instant("to", to));
    }

    @PostMapping("/endpoints/{id}/recover")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Recovered recover(Tenant tenant, @PathVariable String id, @RequestParam String since) {
        return new Recovered(endpoints(tenant).recoverSince(EndpointId.parse(id), Paging.instant("since", since)));
    }

    @GetMapping("/stats")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    EndpointStats stats(Tenant tenant, @RequestParam String from, @RequestParam String to) {
        return endpoints(tenant).stats(Paging.instant("from", from), Paging.instant("to", to));
    }

    @GetMapping("/messages/{id}")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    WebhookMessage message(Tenant tenant, @PathVariable String id) {
        return endpoints(tenant).message(MessageId.parse(id));
    }

    @GetMapping("/messages/{id}/attempts")
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    Page<WebhookAttempt> attempts(Tenant tenant, @PathVariable String id,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        return endpoints(tenant).attempts(MessageId.parse(id), Paging.page(cursor, limit));
    }

    @PostMapping("/messages/{id}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(ApiScope.WEBHOOKS_MANAGE)
    WebhookMessage retry(Tenant tenant, @PathVariable String id) {
        return endpoints(tenant).retryNow(MessageId.parse(id));
    }

    private static WebhookEndpoints endpoints(Tenant tenant) {
        return Clients.webhooks(tenant);
    }
}

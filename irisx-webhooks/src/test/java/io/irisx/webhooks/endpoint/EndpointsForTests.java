package io.irisx.webhooks.endpoint;

import io.irisx.core.TenantId;
import io.irisx.core.outbox.Outbox;
import io.irisx.webhooks.internal.store.WebhookStore;
import io.irisx.webhooks.ssrf.SsrfGuard;

/** A tenant's endpoints on a store and outbox of a test's own, as the {@link WebhooksModule} makes them. */
public final class EndpointsForTests {

    private EndpointsForTests() {
    }

    /** The endpoints of {@code tenant} in {@code store}, queueing on {@code outbox}, URLs checked by {@code guard}. */
    public static WebhookEndpoints forTenant(TenantId tenant, WebhookStore store, Outbox outbox, SsrfGuard guard) {
        return WebhookEndpoints.forTenant(tenant, store, outbox, guard);
    }
}

package io.irisx.messaging.email.internal;

import io.irisx.core.Tenant;
import io.irisx.core.TenantId;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.ProviderEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every provider event handler shares: the tenant's {@link EmailClient} the events are applied to, and the
 * requests it refuses — each counted, answered with its status and a reason that holds no secret, and logged, never
 * with a secret nor a body: at WARN at most once a minute (the line says how many were refused since the last one),
 * at DEBUG otherwise, so that a flood of forged requests cannot flood the host's log. Thread-safe. Not API.
 */
public final class EventWebhook {

    private static final long WARN_EVERY_MILLIS = 60_000;

    private final EmailClient email;
    private final TenantId tenant;
    private final String provider;
    private final Logger log;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unwarned = new AtomicLong();
    private final AtomicLong nextWarning = new AtomicLong(Long.MIN_VALUE);

    /**
     * The shared part of {@code handler}, which applies {@code provider}'s events to {@code tenant}'s email and logs
     * under its own name.
     *
     * @throws IllegalStateException when the runtime has no email module installed
     */
    public EventWebhook(Tenant tenant, String provider, Class<?> handler) {
        this(tenant, provider, LoggerFactory.getLogger(Objects.requireNonNull(handler, "handler")));
    }

    /** The shared part of a handler that logs to {@code log}. */
    EventWebhook(Tenant tenant, String provider, Logger log) {
        this.email = EmailClient.of(Objects.requireNonNull(tenant, "tenant"));
        this.tenant = tenant.id();
        this.provider = Objects.requireNonNull(provider, "provider");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The tenant whose email the events are applied to. */
    public TenantId tenant() {
        return tenant;
    }

    /** The runtime's clock. */
    public Clock clock() {
        return email.clock();
    }

    /** How many requests were refused. */
    public long refused() {
        return refused.get();
    }

    /** Refuses {@code request} with {@code status} and {@code reason}; counted and logged. */
    public CallbackResponse refuse(CallbackRequest request, int status, String reason) {
        return refuse(request, status, reason, Map.of());
    }

    /** Refuses {@code request} with {@code status}, {@code reason} and response {@code headers}; counted and logged. */
    public CallbackResponse refuse(CallbackRequest request, int status, String reason, Map<String, String> headers) {
        long total = refused.incrementAndGet();
        unwarned.incrementAndGet();
        long now = clock().millis();
        long next = nextWarning.get();
        String from = request.remoteAddress().isEmpty() ? "an unknown address"
                : WebhookChecks.shown(request.remoteAddress());
        if (now >= next && nextWarning.compareAndSet(next, now + WARN_EVERY_MILLIS)) {
            log.warn("{} events of tenant {}: refused a {} request from {} with {}: {} ({} refused since the last "
                    + "such warning, {} in all)", provider, tenant, WebhookChecks.shown(request.method()), from,
                    status, reason, unwarned.getAndSet(0), total);
        } else {
            log.debug("{} events of tenant {}: refused a {} request from {} with {}: {}", provider, tenant,
                    WebhookChecks.shown(request.method()), from, status, reason);
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "text/plain; charset=utf-8");
        return new CallbackResponse(status, all, reason.getBytes(StandardCharsets.UTF_8));
    }

    /** Refuses a request whose method is not {@code allowed}: 405 with {@code Allow}. */
    public CallbackResponse wrongMethod(CallbackRequest request, String allowed) {
        return refuse(request, 405, "only " + allowed + " is accepted", Map.of("Allow", allowed));
    }

    /**
     * Applies {@code events} to the tenant's email and answers 200: events of emails the tenant does not have, and
     * events recorded before, change nothing and are logged at DEBUG.
     */
    public CallbackResponse apply(List<ProviderEvent> events) {
        for (ProviderEvent event : events) {
            if (!email.record(event)) {
                unapplied(event);
            }
        }
        return CallbackResponse.empty(200);
    }

    /**
     * Applies {@code events} of a request signed over the one-time {@code token} ({@link EmailClient#recordOnce}):
     * 200, or 403 for a token seen before, which changes nothing.
     */
    public CallbackResponse applyOnce(CallbackRequest request, String token, Instant keepUntil,
            List<ProviderEvent> events) {
        OptionalInt recorded = email.recordOnce(provider, token, keepUntil, events);
        if (recorded.isEmpty()) {
            return refuse(request, 403, "the request's token was used before: a replay");
        }
        if (recorded.getAsInt() < events.size()) {
            log.debug("{} events of tenant {}: {} of {} event(s) named no email of the tenant's or were recorded before",
                    provider, tenant, events.size() - recorded.getAsInt(), events.size());
        }
        return CallbackResponse.empty(200);
    }

    /** The parts that are not blank, joined with "; ": an event's detail. */
    public static String detail(String... parts) {
        return Stream.of(parts).filter(part -> part != null && !part.isBlank()).map(String::strip)
                .collect(Collectors.joining("; "));
    }

    private void unapplied(ProviderEvent event) {
        log.debug("{} events of tenant {}: event {} ({}) names no email of message id {} of the tenant's, or was "
                + "recorded before; nothing changed", provider, tenant, event.eventId(), event.kind(),
                event.providerMessageId());
    }

    @Override
    public String toString() {
        return "EventWebhook[" + provider + ", " + tenant + "]";
    }
}

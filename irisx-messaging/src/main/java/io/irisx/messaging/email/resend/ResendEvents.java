package io.irisx.messaging.email.resend;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.Tenant;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.email.ProviderEvent.Kind;
import io.irisx.messaging.email.internal.EventWebhook;
import io.irisx.messaging.email.internal.MalformedWebhookException;
import io.irisx.messaging.email.internal.WebhookChecks;
import io.irisx.messaging.email.internal.WebhookJson;
import io.irisx.webhooks.signing.WebhookVerificationException;
import io.irisx.webhooks.signing.WebhookVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One tenant's Resend webhook handler, free of any web framework: the host mounts {@link #handle} at the URL of a
 * Resend webhook, passing each request in and writing the response out; thread-safe.
 *
 * <p>Resend delivers webhooks through Svix, signed as Standard Webhooks sign: the {@code svix-id},
 * {@code svix-timestamp} and {@code svix-signature} headers (or their {@code webhook-} namesakes), the signature an
 * HMAC-SHA256 of the id, the timestamp and the raw body under the webhook's signing secret ({@code whsec_…}). They are
 * checked by irisx-webhooks' own {@link WebhookVerifier}, the timestamp within the tolerance (five minutes unless
 * configured) of the runtime's clock, either way. Another method is answered 405; a missing, forged or stale
 * signature 403; a body that is not a JSON object with a {@code type}, or an event IRISX applies that lacks its
 * {@code data.email_id} or {@code created_at}, 400. None of them changes anything, and each is counted
 * ({@link #refused}) and logged.
 *
 * <p>The events ({@code type}): {@code email.delivered} is DELIVERED; {@code email.delivery_delayed} DEFERRED;
 * {@code email.bounced} HARD_BOUNCE when its {@code data.bounce.type} is Permanent (or absent: Resend sends this event
 * for a permanent rejection), else SOFT_BOUNCE; {@code email.complained} COMPLAINED; {@code email.opened} OPENED;
 * {@code email.clicked} CLICKED, with {@code data.click.link}. Others ({@code email.sent}, {@code email.received},
 * contact and domain events) are acknowledged and ignored. An event's id is its {@code svix-id}, which stays the same
 * when Svix delivers it again, so a retry or a replay within the tolerance changes nothing; its time is
 * {@code created_at}; its email is the one whose stored id — the id Resend answered the send with — is
 * {@code data.email_id}; its recipient is {@code data.to} when that names one address (Resend does not say which
 * recipient of several an event is about). A request that passes the checks is answered 200, also when the tenant
 * has no email of that id (logged at DEBUG) or recorded the event before: Svix retries any other answer.
 */
public final class ResendEvents {

    private final EventWebhook webhook;
    private final WebhookVerifier verifier;
    private final Duration tolerance;

    private ResendEvents(Builder b) {
        this.webhook = new EventWebhook(b.tenant, ResendProvider.NAME, ResendEvents.class);
        this.tolerance = b.tolerance;
        this.verifier = WebhookVerifier.builder().secret(b.signingSecret).tolerance(b.tolerance)
                .clock(webhook.clock()).build();
    }

    /**
     * A builder for {@code tenant}'s handler, checking signatures with the webhook's signing secret
     * ({@code whsec_…}, as Resend shows it).
     *
     * @throws IllegalArgumentException when the secret is not a Standard Webhooks secret (it is not shown)
     */
    public static Builder builder(Tenant tenant, String signingSecret) {
        return new Builder(tenant, signingSecret);
    }

    /** Handles one request of a Resend webhook: checks it and applies its event to the tenant's email. */
    public CallbackResponse handle(CallbackRequest request) {
        if (!request.is("POST")) {
            return webhook.wrongMethod(request, "POST");
        }
        String id = header(request, "id");
        try {
            verifier.verify(id, header(request, "timestamp"), header(request, "signature"), request.body());
        } catch (WebhookVerificationException e) {
            return webhook.refuse(request, 403, "the request's signature does not verify (" + e.reason() + ", "
                    + tolerance.getSeconds() + " s tolerance)");
        }
        List<ProviderEvent> events;
        try {
            events = event(id, WebhookJson.object(WebhookJson.parse(request.body()), ""));
        } catch (MalformedWebhookException | IrisxValidationException e) {
            return webhook.refuse(request, 400, "malformed event: " + e.getMessage());
        }
        return webhook.apply(events);
    }

    /** How many requests this handler refused. */
    public long refused() {
        return webhook.refused();
    }

    /** Svix's header, else its Standard Webhooks namesake. */
    private static String header(CallbackRequest request, String name) {
        String svix = request.header("svix-" + name);
        return svix.isEmpty() ? request.header("webhook-" + name) : svix;
    }

    private static List<ProviderEvent> event(String id, JsonNode body) {
        Kind kind = switch (WebhookJson.text(body, "type")) {
            case "email.delivered" -> Kind.DELIVERED;
            case "email.delivery_delayed" -> Kind.DEFERRED;
            case "email.bounced" -> switch (WebhookJson.optionalText(body, "data.bounce.type")) {
                case "", "Permanent" -> Kind.HARD_BOUNCE;
                default -> Kind.SOFT_BOUNCE;
            };
            case "email.complained" -> Kind.COMPLAINED;
            case "email.opened" -> Kind.OPENED;
            case "email.clicked" -> Kind.CLICKED;
            default -> null;
        };
        if (kind == null) {
            return List.of();
        }
        ProviderEvent.Builder event = ProviderEvent.builder(ResendProvider.NAME, kind).eventId(id)
                .providerMessageId(WebhookJson.text(body, "data.email_id"))
                .recipient(recipient(WebhookJson.at(body, "data.to")))
                .occurredAt(WebhookChecks.isoInstant("created_at", WebhookJson.text(body, "created_at")));
        switch (kind) {
            case HARD_BOUNCE, SOFT_BOUNCE -> event.detail(EventWebhook.detail(
                    WebhookJson.optionalText(body, "data.bounce.message"),
                    label("type", WebhookJson.optionalText(body, "data.bounce.type")),
                    label("subtype", WebhookJson.optionalText(body, "data.bounce.subType"))));
            case CLICKED -> event.link(WebhookJson.text(body, "data.click.link"))
                    .detail(WebhookJson.optionalText(body, "data.click.userAgent"));
            default -> {
                // Deliveries, delays, complaints and opens carry nothing more to say.
            }
        }
        return List.of(event.build());
    }

    /** The one address {@code to} names ({@code ada@example.com} or {@code Ada <ada@example.com>}); else empty. */
    private static String recipient(JsonNode to) {
        JsonNode only = to.isArray() && to.size() == 1 ? to.get(0) : to;
        if (!only.isTextual()) {
            return "";
        }
        String address = only.asText().strip();
        int open = address.lastIndexOf('<');
        return open >= 0 && address.endsWith(">") ? address.substring(open + 1, address.length() - 1) : address;
    }

    private static String label(String label, String value) {
        return value.isEmpty() ? "" : label + " " + value;
    }

    @Override
    public String toString() {
        return "ResendEvents[" + webhook.tenant() + "]";
    }

    /** Builds {@link ResendEvents}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Tenant tenant;
        private final String signingSecret;
        private Duration tolerance = WebhookChecks.DEFAULT_TOLERANCE;

        private Builder(Tenant tenant, String signingSecret) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(signingSecret, "signingSecret");
            try {
                WebhookVerifier.builder().secret(signingSecret);
            } catch (IrisxValidationException e) {
                throw new IllegalArgumentException("signingSecret must be the webhook's signing secret, whsec_ and "
                        + "base64; was a value of " + signingSecret.length() + " characters (not shown)");
            }
            this.signingSecret = signingSecret;
        }

        /** How far the signed timestamp may be from the runtime's now, either way: 1 second to 1 day (default 5 minutes). */
        public Builder tolerance(Duration tolerance) {
            this.tolerance = WebhookChecks.tolerance(tolerance);
            return this;
        }

        /**
         * The handler; the builder may be used again.
         *
         * @throws IllegalStateException when the runtime has no email module installed
         */
        public ResendEvents build() {
            return new ResendEvents(this);
        }
    }
}

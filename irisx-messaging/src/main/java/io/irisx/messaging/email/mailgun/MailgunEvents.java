package io.irisx.messaging.email.mailgun;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.Tenant;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.email.ProviderEvent.Kind;
import io.irisx.messaging.email.internal.EventWebhook;
import io.irisx.messaging.email.internal.MalformedWebhookException;
import io.irisx.messaging.email.internal.ProviderHttp;
import io.irisx.messaging.email.internal.WebhookChecks;
import io.irisx.messaging.email.internal.WebhookJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One tenant's Mailgun webhook handler, free of any web framework: the host mounts {@link #handle} at the URL given
 * to Mailgun's webhooks (delivered, permanent and temporary failure, complained, opened, clicked, unsubscribed),
 * passing each request in and writing the response out; thread-safe.
 *
 * <p>A request is a POST whose JSON body holds {@code signature} ({@code timestamp}, {@code token},
 * {@code signature}) and {@code event-data}. It is applied when its {@code signature} — or, for a subaccount's
 * domain, its {@code parent-signature} — is the hex HMAC-SHA256 of the timestamp followed by the token under the
 * webhook signing key; when that timestamp is within the tolerance (five minutes unless configured) of the runtime's
 * clock, either way; and when the tenant has not seen its token before. The signature covers the timestamp and the
 * token only, not the event: the token, noted with the event in one transaction ({@code EmailClient.recordOnce}) and
 * kept while its timestamp is fresh, is what keeps a captured signature from carrying another event. Another method
 * is answered 405; a forged or stale signature, or a token used before, 403; a body that is not such JSON, or an
 * event IRISX applies that lacks what it needs, 400. None of them changes anything, and each is counted
 * ({@link #refused}) and logged.
 *
 * <p>The events ({@code event-data.event}): {@code delivered} is DELIVERED; {@code failed} of {@code severity}
 * {@code temporary} is DEFERRED (Mailgun keeps trying), of {@code permanent} HARD_BOUNCE, or DROPPED when its
 * {@code reason} is one of Mailgun's {@code suppress-…} (Mailgun did not try: the address is on its bounce,
 * unsubscribe or complaint list); {@code complained} COMPLAINED; {@code opened} OPENED; {@code clicked} CLICKED;
 * {@code unsubscribed} UNSUBSCRIBED. Others ({@code accepted}, {@code rejected}, {@code stored}) are acknowledged and
 * ignored. An event's id is its {@code id}; its email is the one whose stored id is
 * {@code message.headers.message-id}, with or without its angle brackets. A signed event is answered 200 once
 * applied, also when the tenant has no email of that id (logged at DEBUG) or recorded the event before: Mailgun
 * retries any other answer but 406.
 */
public final class MailgunEvents {

    private final EventWebhook webhook;
    private final SecretKeySpec signingKey;
    private final Duration tolerance;

    private MailgunEvents(Builder b) {
        this.webhook = new EventWebhook(b.tenant, MailgunProvider.NAME, MailgunEvents.class);
        this.signingKey = b.signingKey;
        this.tolerance = b.tolerance;
    }

    /**
     * A builder for {@code tenant}'s handler, checking signatures with the account's HTTP webhook signing key (not
     * its API key).
     *
     * @throws IllegalArgumentException when the key is blank or not printable ASCII
     */
    public static Builder builder(Tenant tenant, String signingKey) {
        return new Builder(tenant, signingKey);
    }

    /** Handles one request of Mailgun's webhooks: checks it and applies its event to the tenant's email. */
    public CallbackResponse handle(CallbackRequest request) {
        if (!request.is("POST")) {
            return webhook.wrongMethod(request, "POST");
        }
        JsonNode body;
        String timestamp;
        String token;
        try {
            body = WebhookJson.object(WebhookJson.parse(request.body()), "");
            WebhookJson.object(body, "signature");
            timestamp = WebhookJson.optionalText(body, "signature.timestamp");
            token = WebhookJson.text(body, "signature.token");
            WebhookJson.text(body, "signature.signature");
            if (token.length() > ProviderEvent.MAX_ID || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new MalformedWebhookException("signature.token must be 1 to " + ProviderEvent.MAX_ID
                        + " printable characters");
            }
        } catch (MalformedWebhookException e) {
            return webhook.refuse(request, 400, "malformed webhook: " + e.getMessage());
        }
        if (!signed(timestamp + token, WebhookJson.optionalText(body, "signature.signature"),
                WebhookJson.optionalText(body, "signature.parent-signature"))) {
            return webhook.refuse(request, 403, "the signature does not match the timestamp and token under the "
                    + "webhook signing key");
        }
        OptionalLong seconds = WebhookChecks.unixSeconds(timestamp);
        if (seconds.isEmpty() || !WebhookChecks.fresh(seconds.getAsLong(), webhook.clock().instant(), tolerance)) {
            return webhook.refuse(request, 403, "the signed timestamp is more than " + tolerance.getSeconds()
                    + " s from now: a replayed or long-delayed request, or a clock that is off");
        }
        List<ProviderEvent> events;
        try {
            events = event(WebhookJson.object(body, "event-data"));
        } catch (MalformedWebhookException | IrisxValidationException e) {
            return webhook.refuse(request, 400, "malformed event: " + e.getMessage());
        }
        return webhook.applyOnce(request, token, Instant.ofEpochSecond(seconds.getAsLong()).plus(tolerance), events);
    }

    /** How many requests this handler refused. */
    public long refused() {
        return webhook.refused();
    }

    private boolean signed(String content, String signature, String parentSignature) {
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(signingKey);
            expected = HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
        // Both compared, in time that does not depend on where a guess differs.
        boolean own = MessageDigest.isEqual(expected, lowerCase(signature));
        boolean parent = MessageDigest.isEqual(expected, lowerCase(parentSignature));
        return own | parent;
    }

    private static byte[] lowerCase(String hex) {
        return hex.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    private static List<ProviderEvent> event(JsonNode data) {
        Kind kind = kind(data);
        if (kind == null) {
            return List.of();
        }
        ProviderEvent.Builder event = ProviderEvent.builder(MailgunProvider.NAME, kind)
                .providerMessageId(withoutAngleBrackets(WebhookJson.text(data, "message.headers.message-id")))
                .recipient(WebhookJson.optionalText(data, "recipient"))
                .occurredAt(WebhookJson.epochSeconds(data, "timestamp"))
                .detail(detail(data, kind));
        String id = WebhookJson.optionalText(data, "id");
        if (!id.isEmpty()) {
            event.eventId(id);
        }
        if (kind == Kind.CLICKED) {
            event.link(WebhookJson.text(data, "url"));
        }
        return List.of(event.build());
    }

    private static Kind kind(JsonNode data) {
        return switch (WebhookJson.text(data, "event")) {
            case "delivered" -> Kind.DELIVERED;
            case "failed" -> switch (WebhookJson.optionalText(data, "severity")) {
                case "temporary" -> Kind.DEFERRED;
                case "permanent" -> WebhookJson.optionalText(data, "reason").startsWith("suppress-") ? Kind.DROPPED
                        : Kind.HARD_BOUNCE;
                default -> throw new MalformedWebhookException("severity of a failed event must be permanent or "
                        + "temporary");
            };
            case "complained" -> Kind.COMPLAINED;
            case "opened" -> Kind.OPENED;
            case "clicked" -> Kind.CLICKED;
            case "unsubscribed" -> Kind.UNSUBSCRIBED;
            default -> null;
        };
    }

    private static String detail(JsonNode data, Kind kind) {
        return switch (kind) {
            case DELIVERED -> EventWebhook.detail(WebhookJson.optionalText(data, "delivery-status.message"),
                    WebhookJson.optionalText(data, "delivery-status.description"));
            case DEFERRED, HARD_BOUNCE, DROPPED, SOFT_BOUNCE -> EventWebhook.detail(
                    WebhookJson.optionalText(data, "delivery-status.message"),
                    WebhookJson.optionalText(data, "delivery-status.description"),
                    labelled("code", WebhookJson.optionalText(data, "delivery-status.code")),
                    labelled("reason", WebhookJson.optionalText(data, "reason")));
            case OPENED, CLICKED, UNSUBSCRIBED, COMPLAINED ->
                    WebhookJson.optionalText(data, "client-info.user-agent");
        };
    }

    private static String labelled(String label, String value) {
        return value.isEmpty() ? "" : label + " " + value;
    }

    private static String withoutAngleBrackets(String id) {
        return id.length() > 2 && id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
    }

    @Override
    public String toString() {
        return "MailgunEvents[" + webhook.tenant() + "]";
    }

    /** Builds {@link MailgunEvents}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Tenant tenant;
        private final SecretKeySpec signingKey;
        private Duration tolerance = WebhookChecks.DEFAULT_TOLERANCE;

        private Builder(Tenant tenant, String signingKey) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            this.signingKey = new SecretKeySpec(ProviderHttp.checkKey("signingKey", "Mailgun's HTTP webhook signing key",
                    signingKey).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
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
        public MailgunEvents build() {
            return new MailgunEvents(this);
        }
    }
}

package io.irisx.messaging.email.postmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.Tenant;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.net.Subnet;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.email.ProviderEvent.Kind;
import io.irisx.messaging.email.internal.EventWebhook;
import io.irisx.messaging.email.internal.MalformedWebhookException;
import io.irisx.messaging.email.internal.WebhookChecks;
import io.irisx.messaging.email.internal.WebhookJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's Postmark webhook handler, free of any web framework: the host mounts {@link #handle} at the URL given
 * to a message stream's webhook (Delivery, Bounce, Spam Complaint, Open, Click, Subscription Change), passing each
 * request in and writing the response out; thread-safe.
 *
 * <p>Postmark signs nothing and sends no timestamp. It protects a webhook, as its documentation says, by HTTP basic
 * authentication — the user and password written into the webhook URL ({@code https://user:password@host/path}),
 * which Postmark sends in the {@code Authorization} header — and by the IP addresses its webhooks come from. This
 * handler checks either or both, as configured (at least one): the user and password in constant time, and the
 * request's {@link CallbackRequest#remoteAddress()} against the allowed networks (the host must give the client's
 * address, behind a proxy it trusts). With no timestamp, a captured request can be sent again at any time; it then
 * changes nothing, as each event has an id that is the same each time (Postmark's bounce {@code ID}, else one
 * derived from the event). Another method is answered 405; missing or wrong credentials 401 (with
 * {@code WWW-Authenticate}); an address not allowed 403; a body that is not a JSON object with a {@code RecordType},
 * or an event IRISX applies that lacks what it needs, 400. None of them changes anything, and each is counted
 * ({@link #refused}) and logged.
 *
 * <p>The records ({@code RecordType}): {@code Delivery} is DELIVERED; {@code SpamComplaint} COMPLAINED;
 * {@code Open} OPENED; {@code Click} CLICKED; {@code Bounce} by its {@code Type} — HardBounce and BadEmailAddress are
 * HARD_BOUNCE; SoftBounce, Blocked, SpamNotification, VirusNotification, DMARCPolicy and Unknown SOFT_BOUNCE;
 * Transient and DnsError DEFERRED (Postmark keeps trying); SpamComplaint COMPLAINED; Unsubscribe UNSUBSCRIBED;
 * ManuallyDeactivated, Unconfirmed, SMTPApiError and TemplateRenderingFailed DROPPED; the others (AutoResponder,
 * AddressChange, Subscribe, OpenRelayTest, ChallengeVerification, InboundError) say nothing of the email's delivery
 * and are ignored. {@code SubscriptionChange} that suppresses sending is HARD_BOUNCE, COMPLAINED or, for a
 * ManualSuppression (how an unsubscribe is reported), UNSUBSCRIBED; a reactivation, or one without a
 * {@code MessageID}, is ignored. An event's email is the one whose stored id is its {@code MessageID}. A request that
 * passes the checks is answered 200, also when the tenant has no email of that id (logged at DEBUG) or recorded the
 * event before: Postmark retries any other answer.
 */
public final class PostmarkEvents {

    private static final String CHALLENGE = "Basic realm=\"IRISX Postmark webhook\", charset=\"UTF-8\"";

    private final EventWebhook webhook;
    private final Optional<String> credentials;
    private final List<Subnet> allowedNetworks;

    private PostmarkEvents(Builder b) {
        this.webhook = new EventWebhook(b.tenant, PostmarkProvider.NAME, PostmarkEvents.class);
        this.credentials = b.credentials;
        this.allowedNetworks = List.copyOf(b.allowedNetworks);
    }

    /** A builder for {@code tenant}'s handler; set its basic authentication, its allowed networks, or both. */
    public static Builder builder(Tenant tenant) {
        return new Builder(tenant);
    }

    /** Handles one request of Postmark's webhooks: checks it and applies its event to the tenant's email. */
    public CallbackResponse handle(CallbackRequest request) {
        if (!request.is("POST")) {
            return webhook.wrongMethod(request, "POST");
        }
        if (!allowedNetworks.isEmpty()
                && allowedNetworks.stream().noneMatch(network -> network.contains(request.remoteAddress()))) {
            return webhook.refuse(request, 403, "the request does not come from an allowed network");
        }
        if (credentials.isPresent() && !authenticated(request.header("Authorization"), credentials.get())) {
            return webhook.refuse(request, 401, "the request's basic authentication is missing or wrong",
                    Map.of("WWW-Authenticate", CHALLENGE));
        }
        List<ProviderEvent> events;
        try {
            events = event(WebhookJson.object(WebhookJson.parse(request.body()), ""));
        } catch (MalformedWebhookException | IrisxValidationException e) {
            return webhook.refuse(request, 400, "malformed event: " + e.getMessage());
        }
        return webhook.apply(events);
    }

    /** How many requests this handler refused. */
    public long refused() {
        return webhook.refused();
    }

    private static boolean authenticated(String authorization, String expected) {
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Basic")) {
            return false;
        }
        String given;
        try {
            given = new String(Base64.getDecoder().decode(authorization.substring(space + 1).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return WebhookChecks.sameSecret(expected, given);
    }

    private static List<ProviderEvent> event(JsonNode record) {
        String type = WebhookJson.text(record, "RecordType");
        Kind kind = switch (type) {
            case "Delivery" -> Kind.DELIVERED;
            case "Bounce" -> bounce(WebhookJson.text(record, "Type"));
            case "SpamComplaint" -> Kind.COMPLAINED;
            case "Open" -> Kind.OPENED;
            case "Click" -> Kind.CLICKED;
            case "SubscriptionChange" -> subscriptionChange(record);
            default -> null;
        };
        if (kind == null || "SubscriptionChange".equals(type) && WebhookJson.optionalText(record, "MessageID").isEmpty()) {
            return List.of();
        }
        ProviderEvent.Builder event = ProviderEvent.builder(PostmarkProvider.NAME, kind)
                .providerMessageId(WebhookJson.text(record, "MessageID"));
        switch (type) {
            case "Bounce", "SpamComplaint" -> {
                String id = WebhookJson.optionalText(record, "ID");
                if (!id.isEmpty()) {
                    event.eventId(id);
                }
                event.recipient(WebhookJson.optionalText(record, "Email")).occurredAt(at(record, "BouncedAt"))
                        .detail(EventWebhook.detail(WebhookJson.optionalText(record, "Description"),
                                WebhookJson.optionalText(record, "Details")));
            }
            case "Delivery" -> event.recipient(WebhookJson.optionalText(record, "Recipient"))
                    .occurredAt(at(record, "DeliveredAt")).detail(WebhookJson.optionalText(record, "Details"));
            case "Open", "Click" -> {
                event.recipient(WebhookJson.optionalText(record, "Recipient")).occurredAt(at(record, "ReceivedAt"))
                        .detail(WebhookJson.optionalText(record, "UserAgent"));
                if (kind == Kind.CLICKED) {
                    event.link(WebhookJson.text(record, "OriginalLink"));
                }
            }
            default -> event.recipient(WebhookJson.optionalText(record, "Recipient"))
                    .occurredAt(at(record, "ChangedAt"))
                    .detail(EventWebhook.detail("suppressed by " + WebhookJson.optionalText(record, "Origin"),
                            WebhookJson.optionalText(record, "SuppressionReason")));
        }
        return List.of(event.build());
    }

    /** What a bounce of Postmark's {@code type} is; null for those that say nothing of the email's delivery. */
    private static Kind bounce(String type) {
        return switch (type) {
            case "HardBounce", "BadEmailAddress" -> Kind.HARD_BOUNCE;
            case "SoftBounce", "Blocked", "SpamNotification", "VirusNotification", "DMARCPolicy", "Unknown" ->
                    Kind.SOFT_BOUNCE;
            case "Transient", "DnsError" -> Kind.DEFERRED;
            case "SpamComplaint" -> Kind.COMPLAINED;
            case "Unsubscribe" -> Kind.UNSUBSCRIBED;
            case "ManuallyDeactivated", "Unconfirmed", "SMTPApiError", "TemplateRenderingFailed" -> Kind.DROPPED;
            default -> null;
        };
    }

    private static Kind subscriptionChange(JsonNode record) {
        if (!WebhookJson.isTrue(record, "SuppressSending")) {
            return null;
        }
        return switch (WebhookJson.optionalText(record, "SuppressionReason")) {
            case "HardBounce" -> Kind.HARD_BOUNCE;
            case "SpamComplaint" -> Kind.COMPLAINED;
            case "ManualSuppression" -> Kind.UNSUBSCRIBED;
            default -> null;
        };
    }

    private static Instant at(JsonNode record, String field) {
        return WebhookChecks.isoInstant(field, WebhookJson.text(record, field));
    }

    @Override
    public String toString() {
        return "PostmarkEvents[" + webhook.tenant() + "]";
    }

    /** Builds {@link PostmarkEvents}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Tenant tenant;
        private Optional<String> credentials = Optional.empty();
        private final List<Subnet> allowedNetworks = new ArrayList<>();

        private Builder(Tenant tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
        }

        /**
         * The user and password written into the webhook URL ({@code https://user:password@host/path}), which every
         * request must carry in its {@code Authorization} header.
         *
         * @throws IllegalArgumentException when the user is empty or holds a colon, or either holds a control
         *     character, or the password is empty (neither value is shown)
         */
        public Builder basicAuth(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.isEmpty() || user.indexOf(':') >= 0 || user.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("user must be non-empty, without colons or control characters; was "
                        + "a value of " + user.length() + " characters (not shown)");
            }
            if (password.isEmpty() || password.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("password must be non-empty, without control characters; was a "
                        + "value of " + password.length() + " characters (not shown)");
            }
            this.credentials = Optional.of(user + ":" + password);
            return this;
        }

        /**
         * Adds the networks requests may come from, in CIDR notation ({@code 3.134.147.250/32}, {@code 2001:db8::/32},
         * or a bare address): Postmark's webhook addresses, as its support pages list them.
         *
         * @throws IllegalArgumentException naming the first entry that is not such a network
         */
        public Builder allowedNetworks(List<String> networks) {
            Objects.requireNonNull(networks, "networks");
            List<Subnet> parsed = new ArrayList<>();
            for (String network : networks) {
                try {
                    parsed.add(Subnet.parse(Objects.requireNonNull(network, "network")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("allowedNetworks: " + e.getMessage(), e);
                }
            }
            allowedNetworks.addAll(parsed);
            return this;
        }

        /**
         * The handler; the builder may be used again.
         *
         * @throws IllegalStateException when neither basic authentication nor an allowed network is set, or the
         *     runtime has no email module installed
         */
        public PostmarkEvents build() {
            if (credentials.isEmpty() && allowedNetworks.isEmpty()) {
                throw new IllegalStateException("Postmark signs nothing: set basicAuth(user, password), "
                        + "allowedNetworks(…), or both, so that not anyone can post events");
            }
            return new PostmarkEvents(this);
        }
    }
}

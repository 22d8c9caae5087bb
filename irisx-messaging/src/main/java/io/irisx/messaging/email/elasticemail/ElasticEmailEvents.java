package io.irisx.messaging.email.elasticemail;

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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One tenant's Elastic Email notification handler, free of any web framework: the host mounts {@link #handle} at the
 * account's HTTP Web Notification URL, passing each request in and writing the response out; thread-safe.
 *
 * <p>Elastic Email signs nothing and sends no timestamp: a notification is a GET of the configured URL with the event
 * in its query parameters ({@code transaction}, {@code to}, {@code date}, {@code status}, {@code category},
 * {@code target}, {@code messageid}, {@code channel}, {@code account}, {@code subject}, {@code postback}). So the
 * notification URL carries a secret of its own — {@code https://host/path?<parameter>=<secret>}, the parameter named
 * and the secret set on the builder — which Elastic Email sends back with every notification and this handler
 * compares in constant time. With no timestamp, a captured notification can be sent again at any time; it then
 * changes nothing, as each event's id is derived from what it says (Elastic Email gives none). Another method is
 * answered 405; a missing or wrong secret 403; a notification IRISX applies that lacks its {@code transaction} or
 * {@code date}, or whose date it cannot read, 400. None of them changes anything, and each is counted
 * ({@link #refused}) and logged.
 *
 * <p>The statuses: {@code Sent} (delivered to the recipient's server) is DELIVERED; {@code Opened} OPENED;
 * {@code Clicked} CLICKED, with the link in {@code target}; {@code Unsubscribed} UNSUBSCRIBED; {@code AbuseReport}
 * COMPLAINED; {@code Error} by its {@code category} — NoMailbox is HARD_BOUNCE; Ignore, Suppressed, ManualCancel and
 * CodeError (Elastic Email did not send it) DROPPED; every other category SOFT_BOUNCE (Elastic Email has given up
 * after trying for up to 48 hours). Other statuses are acknowledged and ignored. An event's email is the one whose
 * stored id — the send's TransactionID — is its {@code transaction}; its time is {@code date}, in UTC, read as
 * {@code M/d/yyyy h:mm:ss AM}, {@code yyyy-MM-dd HH:mm:ss} or ISO-8601. A notification that passes the check is
 * answered 200, also when the tenant has no email of that id (logged at DEBUG) or recorded the event before: Elastic
 * Email turns notifications off after a run of failures.
 */
public final class ElasticEmailEvents {

    /** The query parameters Elastic Email sends, which the secret's parameter may not be named as. */
    static final Set<String> NOTIFICATION_PARAMETERS = Set.of("transaction", "to", "from", "date", "subject", "status",
            "channel", "account", "category", "target", "postback", "messageid");
    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US),
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"),
            DateTimeFormatter.ISO_LOCAL_DATE_TIME);

    private final EventWebhook webhook;
    private final String parameter;
    private final String secret;

    private ElasticEmailEvents(Builder b) {
        this.webhook = new EventWebhook(b.tenant, ElasticEmailProvider.NAME, ElasticEmailEvents.class);
        this.parameter = b.parameter;
        this.secret = b.secret;
    }

    /**
     * A builder for {@code tenant}'s handler, which takes a notification only when its query parameter
     * {@code parameter} is {@code secret}: give Elastic Email the notification URL with {@code ?parameter=secret}.
     *
     * @throws IllegalArgumentException when the parameter is not 1 to 64 letters, digits, '-' or '_', or is one of
     *     Elastic Email's own; or the secret is not 16 to 255 printable ASCII characters without spaces (not shown)
     */
    public static Builder builder(Tenant tenant, String parameter, String secret) {
        return new Builder(tenant, parameter, secret);
    }

    /** Handles one notification of Elastic Email: checks it and applies its event to the tenant's email. */
    public CallbackResponse handle(CallbackRequest request) {
        if (!request.is("GET")) {
            return webhook.wrongMethod(request, "GET");
        }
        Map<String, List<String>> query;
        try {
            query = request.queryParameters();
        } catch (IllegalArgumentException e) {
            return webhook.refuse(request, 400, "the query is not URL-encoded");
        }
        List<String> given = query.getOrDefault(parameter, List.of());
        if (given.size() != 1 || !WebhookChecks.sameSecret(secret, given.get(0))) {
            return webhook.refuse(request, 403, "the notification does not carry the secret of parameter "
                    + parameter);
        }
        List<ProviderEvent> events;
        try {
            events = event(query);
        } catch (MalformedWebhookException | IrisxValidationException e) {
            return webhook.refuse(request, 400, "malformed notification: " + e.getMessage());
        }
        return webhook.apply(events);
    }

    /** How many requests this handler refused. */
    public long refused() {
        return webhook.refused();
    }

    private static List<ProviderEvent> event(Map<String, List<String>> query) {
        String category = first(query, "category");
        Kind kind = switch (first(query, "status").toLowerCase(Locale.ROOT)) {
            case "sent" -> Kind.DELIVERED;
            case "opened" -> Kind.OPENED;
            case "clicked" -> Kind.CLICKED;
            case "unsubscribed" -> Kind.UNSUBSCRIBED;
            case "abusereport" -> Kind.COMPLAINED;
            case "error" -> error(category);
            default -> null;
        };
        if (kind == null) {
            return List.of();
        }
        ProviderEvent.Builder event = ProviderEvent.builder(ElasticEmailProvider.NAME, kind)
                .providerMessageId(required(query, "transaction"))
                .recipient(first(query, "to"))
                .occurredAt(date(required(query, "date")))
                .detail(kind == Kind.HARD_BOUNCE || kind == Kind.SOFT_BOUNCE || kind == Kind.DROPPED
                        ? EventWebhook.detail(category.isEmpty() ? "" : "category " + category)
                        : "");
        if (kind == Kind.CLICKED) {
            event.link(required(query, "target"));
        }
        return List.of(event.build());
    }

    private static Kind error(String category) {
        return switch (category) {
            case "NoMailbox" -> Kind.HARD_BOUNCE;
            case "Ignore", "Suppressed", "ManualCancel", "CodeError" -> Kind.DROPPED;
            default -> Kind.SOFT_BOUNCE;
        };
    }

    private static Instant date(String text) {
        for (DateTimeFormatter format : DATES) {
            try {
                return LocalDateTime.parse(text, format).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // The next form, then the ISO form with an offset.
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedWebhookException("date must be a date and time such as 1/30/2030 10:48:15 PM, was '"
                    + WebhookChecks.shown(text) + "'");
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static String required(Map<String, List<String>> query, String name) {
        String value = first(query, name);
        if (value.isBlank()) {
            throw new MalformedWebhookException(name + " is required");
        }
        return value;
    }

    @Override
    public String toString() {
        return "ElasticEmailEvents[" + webhook.tenant() + ", parameter " + parameter + "]";
    }

    /** Builds {@link ElasticEmailEvents}. Not thread-safe. */
    public static final class Builder {
        private final Tenant tenant;
        private final String parameter;
        private final String secret;

        private Builder(Tenant tenant, String parameter, String secret) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(parameter, "parameter");
            if (!parameter.matches("[A-Za-z0-9_-]{1,64}") || NOTIFICATION_PARAMETERS.contains(parameter.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("parameter must be 1 to 64 letters, digits, '-' or '_', and none of "
                        + "Elastic Email's own parameters " + NOTIFICATION_PARAMETERS.stream().sorted().toList()
                        + "; was '" + WebhookChecks.shown(parameter) + "'");
            }
            this.parameter = parameter;
            ProviderHttp.checkKey("secret", "a secret of 16 to 255 characters", Objects.requireNonNull(secret, "secret"));
            if (secret.length() < 16 || secret.length() > 255) {
                throw new IllegalArgumentException("secret must be 16 to 255 characters, was a value of "
                        + secret.length() + " characters (not shown)");
            }
            this.secret = secret;
        }

        /**
         * The handler; the builder may be used again.
         *
         * @throws IllegalStateException when the runtime has no email module installed
         */
        public ElasticEmailEvents build() {
            return new ElasticEmailEvents(this);
        }
    }
}

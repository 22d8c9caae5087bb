package io.irisx.messaging.email.sendgrid;

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
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One tenant's SendGrid Event Webhook handler, free of any web framework: the host mounts {@link #handle} at the URL
 * given to SendGrid's Event Webhook, with signed requests turned on, passing each request in and writing the response
 * out; thread-safe.
 *
 * <p>A request is applied when it is a POST signed as SendGrid's Signed Event Webhook signs: ECDSA on the P-256
 * curve with SHA-256 over the {@code X-Twilio-Email-Event-Webhook-Timestamp} header followed by the raw body, the
 * signature in {@code X-Twilio-Email-Event-Webhook-Signature} (the base64 of its DER encoding), checked against the
 * webhook's verification key; and when that timestamp is within the tolerance (five minutes unless configured) of the
 * runtime's clock, either way. Another method is answered 405; a missing, forged or stale signature 403; a body that
 * is not a JSON array of events, or with an event of a kind IRISX applies that lacks its {@code sg_message_id} or
 * {@code timestamp}, 400. None of them changes anything, and each is counted ({@link #refused}) and logged.
 *
 * <p>The events: {@code delivered} is DELIVERED; {@code deferred} DEFERRED; {@code bounce} HARD_BOUNCE, or
 * SOFT_BOUNCE when its {@code type} is {@code blocked} (the receiving server refused it for now; SendGrid does not
 * put the address on its bounce list); {@code dropped} DROPPED; {@code spamreport} COMPLAINED; {@code open} OPENED
 * (a machine open, {@code sg_machine_open}, says so in the detail); {@code click} CLICKED; {@code unsubscribe} and
 * {@code group_unsubscribe} UNSUBSCRIBED. Other events ({@code processed}, {@code group_resubscribe}) are acknowledged
 * and ignored. An event's id is its {@code sg_event_id}; its email is the one whose stored id — the {@code X-Message-Id}
 * SendGrid answered the send with — is the part of {@code sg_message_id} before its first dot. A signed batch is
 * answered 200 once applied, with its events of emails the tenant does not have (logged at DEBUG) and its events
 * recorded before changing nothing: SendGrid retries any other answer.
 */
public final class SendGridEvents {

    /** The header holding the signature. */
    public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    /** The header holding the timestamp the signature covers. */
    public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

    private final EventWebhook webhook;
    private final PublicKey verificationKey;
    private final Duration tolerance;

    private SendGridEvents(Builder b) {
        this.webhook = new EventWebhook(b.tenant, SendGridProvider.NAME, SendGridEvents.class);
        this.verificationKey = b.verificationKey;
        this.tolerance = b.tolerance;
    }

    /**
     * A builder for {@code tenant}'s handler, checking signatures with the webhook's {@code verificationKey}: the
     * public key SendGrid shows once signing is on, the base64 of its DER encoding (SubjectPublicKeyInfo).
     *
     * @throws IllegalArgumentException when the key is not a P-256 public key so written
     */
    public static Builder builder(Tenant tenant, String verificationKey) {
        return new Builder(tenant, verificationKey);
    }

    /** Handles one request of SendGrid's Event Webhook: checks it and applies its events to the tenant's email. */
    public CallbackResponse handle(CallbackRequest request) {
        if (!request.is("POST")) {
            return webhook.wrongMethod(request, "POST");
        }
        String timestamp = request.header(TIMESTAMP_HEADER);
        String signature = request.header(SIGNATURE_HEADER);
        if (timestamp.isEmpty() || signature.isEmpty()) {
            return webhook.refuse(request, 403, "the request is not signed: " + SIGNATURE_HEADER + " and "
                    + TIMESTAMP_HEADER + " are required");
        }
        OptionalLong seconds = WebhookChecks.unixSeconds(timestamp);
        if (seconds.isEmpty() || !verifies(timestamp, request.body(), signature)) {
            return webhook.refuse(request, 403, "the signature does not match the timestamp and body under the "
                    + "verification key");
        }
        if (!WebhookChecks.fresh(seconds.getAsLong(), webhook.clock().instant(), tolerance)) {
            return webhook.refuse(request, 403, "the signed timestamp is more than " + tolerance.getSeconds()
                    + " s from now: a replayed or long-delayed request, or a clock that is off");
        }
        List<ProviderEvent> events;
        try {
            events = events(WebhookJson.parse(request.body()));
        } catch (MalformedWebhookException | IrisxValidationException e) {
            return webhook.refuse(request, 400, "malformed events: " + e.getMessage());
        }
        return webhook.apply(events);
    }

    /** How many requests this handler refused. */
    public long refused() {
        return webhook.refused();
    }

    private boolean verifies(String timestamp, byte[] body, String signature) {
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initVerify(verificationKey);
            ecdsa.update(timestamp.getBytes(StandardCharsets.UTF_8));
            ecdsa.update(body);
            return ecdsa.verify(Base64.getDecoder().decode(signature));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // Not base64, or not a DER-encoded ECDSA signature: no signature of SendGrid's.
            return false;
        }
    }

    private static List<ProviderEvent> events(JsonNode body) {
        if (!body.isArray()) {
            throw new MalformedWebhookException("the body must be a JSON array of events");
        }
        List<ProviderEvent> events = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            try {
                JsonNode event = WebhookJson.object(body.get(i), "");
                Kind kind = kind(WebhookJson.text(event, "event"), WebhookJson.optionalText(event, "type"));
                if (kind != null) {
                    events.add(event(event, kind));
                }
            } catch (MalformedWebhookException e) {
                throw new MalformedWebhookException("event " + i + ": " + e.getMessage());
            }
        }
        return events;
    }

    private static Kind kind(String event, String type) {
        return switch (event) {
            case "delivered" -> Kind.DELIVERED;
            case "deferred" -> Kind.DEFERRED;
            case "bounce" -> "blocked".equals(type) ? Kind.SOFT_BOUNCE : Kind.HARD_BOUNCE;
            case "dropped" -> Kind.DROPPED;
            case "spamreport" -> Kind.COMPLAINED;
            case "open" -> Kind.OPENED;
            case "click" -> Kind.CLICKED;
            case "unsubscribe", "group_unsubscribe" -> Kind.UNSUBSCRIBED;
            default -> null;
        };
    }

    private static ProviderEvent event(JsonNode event, Kind kind) {
        String sgMessageId = WebhookJson.text(event, "sg_message_id");
        String eventId = WebhookJson.optionalText(event, "sg_event_id");
        ProviderEvent.Builder builder = ProviderEvent.builder(SendGridProvider.NAME, kind)
                .providerMessageId(xMessageId(sgMessageId))
                .recipient(WebhookJson.optionalText(event, "email"))
                .occurredAt(WebhookJson.epochSeconds(event, "timestamp"))
                .detail(detail(event, kind));
        if (!eventId.isEmpty()) {
            builder.eventId(eventId);
        }
        if (kind == Kind.CLICKED) {
            builder.link(WebhookJson.text(event, "url"));
        }
        return builder.build();
    }

    /** The X-Message-Id of the send: the part of {@code sg_message_id} before its first dot. */
    static String xMessageId(String sgMessageId) {
        int dot = sgMessageId.indexOf('.');
        return dot < 0 ? sgMessageId : sgMessageId.substring(0, dot);
    }

    private static String detail(JsonNode event, Kind kind) {
        return switch (kind) {
            case DELIVERED -> WebhookJson.optionalText(event, "response");
            case DEFERRED -> EventWebhook.detail(WebhookJson.optionalText(event, "response"),
                    attempt(WebhookJson.optionalText(event, "attempt")));
            case HARD_BOUNCE, SOFT_BOUNCE -> EventWebhook.detail(WebhookJson.optionalText(event, "reason"),
                    labelled("status", WebhookJson.optionalText(event, "status")),
                    labelled("classification", WebhookJson.optionalText(event, "bounce_classification")));
            case DROPPED -> WebhookJson.optionalText(event, "reason");
            case OPENED -> EventWebhook.detail(WebhookJson.isTrue(event, "sg_machine_open") ? "machine open" : "",
                    WebhookJson.optionalText(event, "useragent"));
            case CLICKED -> WebhookJson.optionalText(event, "useragent");
            case UNSUBSCRIBED -> labelled("unsubscribe group", WebhookJson.optionalText(event, "asm_group_id"));
            case COMPLAINED -> "";
        };
    }

    private static String attempt(String attempt) {
        return attempt.isEmpty() ? "" : "attempt " + attempt;
    }

    private static String labelled(String label, String value) {
        return value.isEmpty() ? "" : label + " " + value;
    }

    @Override
    public String toString() {
        return "SendGridEvents[" + webhook.tenant() + "]";
    }

    /** Builds {@link SendGridEvents}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {
        private final Tenant tenant;
        private final PublicKey verificationKey;
        private Duration tolerance = WebhookChecks.DEFAULT_TOLERANCE;

        private Builder(Tenant tenant, String verificationKey) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            this.verificationKey = p256Key(Objects.requireNonNull(verificationKey, "verificationKey"));
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
        public SendGridEvents build() {
            return new SendGridEvents(this);
        }

        private static PublicKey p256Key(String text) {
            String base64 = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                    .replaceAll("\\s", "");
            try {
                PublicKey key = KeyFactory.getInstance("EC")
                        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
                if (key instanceof ECPublicKey ec && sameCurve(ec.getParams(), p256())) {
                    return key;
                }
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                // Reported below, without the exception's text, which may quote the key.
            }
            throw new IllegalArgumentException("verificationKey must be SendGrid's verification key: an ECDSA P-256 "
                    + "public key, the base64 of its DER encoding (SubjectPublicKeyInfo); was a value of "
                    + text.length() + " characters");
        }

        private static ECParameterSpec p256() throws GeneralSecurityException {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        }

        private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
            return a.getCurve().equals(b.getCurve()) && a.getGenerator().equals(b.getGenerator())
                    && a.getOrder().equals(b.getOrder());
        }
    }
}

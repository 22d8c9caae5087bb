package io.irisx.messaging.email.ses;

import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.messaging.email.ProviderEvent;
import io.irisx.messaging.email.ProviderEvent.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the SES event an SNS notification carries — an event published through a configuration set
 * ({@code eventType}), or an identity's older feedback notification ({@code notificationType}) — as the
 * {@link ProviderEvent}s it holds, one per recipient; stateless. Not API.
 *
 * <p>Bounces and complaints take their ids from SES's {@code feedbackId} and the recipient, so the same bounce
 * reaching IRISX through two topics is one event; the others from the SNS {@code MessageId} and the recipient.
 */
final class SesEventReader {

    /** The event types that record something. */
    private static final Set<String> READ = Set.of("Delivery", "Bounce", "Complaint", "DeliveryDelay", "Open",
            "Click", "Reject", "Rendering Failure", "Subscription");

    private final String snsMessageId;
    private final Instant snsTimestamp;
    private final String sesMessageId;
    private final List<String> destination;

    private SesEventReader(String snsMessageId, Instant snsTimestamp, String sesMessageId, List<String> destination) {
        this.snsMessageId = snsMessageId;
        this.snsTimestamp = snsTimestamp;
        this.sesMessageId = sesMessageId;
        this.destination = destination;
    }

    /**
     * The events of SES event {@code event}, carried by the SNS message {@code snsMessageId} sent at
     * {@code snsTimestamp}; none for a send (IRISX marked the email sent when SES accepted it), an opt-in, or a type
     * IRISX does not know.
     *
     * @throws IllegalArgumentException naming what the event lacks
     */
    static List<ProviderEvent> events(String snsMessageId, Instant snsTimestamp, JsonNode event) {
        String type = text(event, "eventType");
        if (type.isEmpty()) {
            type = text(event, "notificationType");
        }
        if (type.isEmpty()) {
            throw new IllegalArgumentException("the SES event has neither an eventType nor a notificationType");
        }
        if (!READ.contains(type)) {
            return List.of(); // Send, Received, AmazonSnsSubscriptionSucceeded, and types added later
        }
        JsonNode mail = event.path("mail");
        String sesMessageId = text(mail, "messageId");
        if (sesMessageId.isEmpty()) {
            throw new IllegalArgumentException("the SES " + type + " event has no mail.messageId");
        }
        List<String> destination = new ArrayList<>();
        mail.path("destination").forEach(address -> destination.add(address.asText()));
        SesEventReader reader = new SesEventReader(snsMessageId, snsTimestamp, sesMessageId, destination);
        return switch (type) {
            case "Delivery" -> reader.delivery(event.path("delivery"));
            case "Bounce" -> reader.bounce(event.path("bounce"));
            case "Complaint" -> reader.complaint(event.path("complaint"));
            case "DeliveryDelay" -> reader.delay(event.path("deliveryDelay"));
            case "Open" -> reader.open(event.path("open"));
            case "Click" -> reader.click(event.path("click"));
            case "Reject" -> List.of(reader.event(Kind.DROPPED, snsMessageId, reader.soleRecipient(), snsTimestamp,
                    "SES rejected it: " + text(event.path("reject"), "reason")).build());
            case "Rendering Failure" -> reader.renderingFailure(event.path("failure"));
            case "Subscription" -> reader.subscription(event.path("subscription"));
            default -> throw new IllegalStateException("unread SES event type " + type);
        };
    }

    private List<ProviderEvent> delivery(JsonNode delivery) {
        Instant at = time(delivery, "timestamp");
        List<ProviderEvent> events = new ArrayList<>();
        for (String recipient : addresses(delivery.path("recipients"), null)) {
            events.add(event(Kind.DELIVERED, snsMessageId, recipient, at, text(delivery, "smtpResponse")).build());
        }
        return events;
    }

    private List<ProviderEvent> bounce(JsonNode bounce) {
        String type = text(bounce, "bounceType");
        String subType = text(bounce, "bounceSubType");
        // Permanent is a hard bounce; Transient (SES gave up retrying) and Undetermined suppress no one. A bounce off
        // SES's account-level suppression list was never sent.
        Kind kind = "OnAccountSuppressionList".equals(subType) ? Kind.DROPPED
                : "Permanent".equals(type) ? Kind.HARD_BOUNCE : Kind.SOFT_BOUNCE;
        String feedbackId = required(bounce, "feedbackId", "bounce");
        Instant at = time(bounce, "timestamp");
        List<ProviderEvent> events = new ArrayList<>();
        for (JsonNode recipient : bounce.path("bouncedRecipients")) {
            String address = required(recipient, "emailAddress", "bounce.bouncedRecipients[]");
            String status = text(recipient, "status");
            String diagnostic = text(recipient, "diagnosticCode");
            String detail = type + "/" + subType + (status.isEmpty() ? "" : " " + status)
                    + (diagnostic.isEmpty() ? "" : ": " + diagnostic);
            events.add(event(kind, feedbackId, address, at, detail).build());
        }
        return events;
    }

    private List<ProviderEvent> complaint(JsonNode complaint) {
        String feedbackType = text(complaint, "complaintFeedbackType");
        if ("not-spam".equals(feedbackType)) {
            return List.of(); // the report says the email is not spam: nothing to hold against the recipient
        }
        Kind kind = "OnAccountSuppressionList".equals(text(complaint, "complaintSubType")) ? Kind.DROPPED
                : Kind.COMPLAINED;
        String feedbackId = required(complaint, "feedbackId", "complaint");
        Instant at = time(complaint, "timestamp");
        String userAgent = text(complaint, "userAgent");
        String detail = "complaint" + (feedbackType.isEmpty() ? "" : " (" + feedbackType + ")")
                + (userAgent.isEmpty() ? "" : " reported by " + userAgent);
        List<ProviderEvent> events = new ArrayList<>();
        for (String recipient : addresses(complaint.path("complainedRecipients"), "emailAddress")) {
            events.add(event(kind, feedbackId, recipient, at, detail).build());
        }
        return events;
    }

    private List<ProviderEvent> delay(JsonNode delay) {
        Instant at = time(delay, "timestamp");
        String delayType = text(delay, "delayType");
        List<ProviderEvent> events = new ArrayList<>();
        for (JsonNode recipient : delay.path("delayedRecipients")) {
            String address = required(recipient, "emailAddress", "deliveryDelay.delayedRecipients[]");
            String status = text(recipient, "status");
            String diagnostic = text(recipient, "diagnosticCode");
            String detail = delayType + (status.isEmpty() ? "" : " " + status)
                    + (diagnostic.isEmpty() ? "" : ": " + diagnostic);
            events.add(event(Kind.DEFERRED, snsMessageId, address, at, detail).build());
        }
        return events;
    }

    private List<ProviderEvent> open(JsonNode open) {
        return List.of(event(Kind.OPENED, snsMessageId, soleRecipient(), time(open, "timestamp"),
                text(open, "userAgent")).build());
    }

    private List<ProviderEvent> click(JsonNode click) {
        String link = required(click, "link", "click");
        return List.of(event(Kind.CLICKED, snsMessageId, soleRecipient(), time(click, "timestamp"),
                text(click, "userAgent")).link(link).build());
    }

    private List<ProviderEvent> renderingFailure(JsonNode failure) {
        String template = text(failure, "templateName");
        return List.of(event(Kind.DROPPED, snsMessageId, soleRecipient(), snsTimestamp, "SES could not render"
                + (template.isEmpty() ? " the template" : " template " + template) + ": "
                + text(failure, "errorMessage")).build());
    }

    /**
     * An unsubscribe when the recipient newly unsubscribed from the whole contact list or opted out of a topic; an
     * opt-in records nothing.
     */
    private List<ProviderEvent> subscription(JsonNode subscription) {
        JsonNode now = subscription.path("newTopicPreferences");
        JsonNode before = subscription.path("oldTopicPreferences");
        String contactList = text(subscription, "contactList");
        String detail;
        if (now.path("unsubscribeAll").asBoolean(false) && !before.path("unsubscribeAll").asBoolean(false)) {
            detail = "unsubscribed from every topic of contact list " + contactList;
        } else {
            Set<String> optedOut = optedOut(now);
            optedOut.removeAll(optedOut(before));
            if (optedOut.isEmpty()) {
                return List.of();
            }
            detail = "opted out of " + String.join(", ", optedOut) + " on contact list " + contactList;
        }
        String source = text(subscription, "source");
        return List.of(event(Kind.UNSUBSCRIBED, snsMessageId, soleRecipient(), time(subscription, "timestamp"),
                detail + (source.isEmpty() ? "" : " (" + source + ")")).build());
    }

    private static Set<String> optedOut(JsonNode preferences) {
        Set<String> topics = new TreeSet<>();
        for (JsonNode topic : preferences.path("topicSubscriptionStatus")) {
            if ("OptOut".equals(text(topic, "subscriptionStatus"))) {
                topics.add(text(topic, "topicName"));
            }
        }
        return topics;
    }

    /**
     * The recipient of an event that names none (opens, clicks, subscriptions, rejections): the email's only
     * recipient, else empty — which of several opened it SES does not say.
     */
    private String soleRecipient() {
        return destination.size() == 1 ? destination.get(0) : "";
    }

    private ProviderEvent.Builder event(Kind kind, String idBase, String recipient, Instant at, String detail) {
        return ProviderEvent.builder(SesProvider.NAME, kind)
                .eventId(eventId(idBase, recipient))
                .providerMessageId(sesMessageId)
                .recipient(recipient)
                .occurredAt(at)
                .detail(detail);
    }

    /** {@code base/recipient}; the recipient's SHA-256 instead when that is longer than an event id may be. */
    static String eventId(String base, String recipient) {
        if (recipient.isEmpty()) {
            return base;
        }
        String address = recipient.strip().toLowerCase(Locale.ROOT);
        String id = base + "/" + address;
        if (id.length() <= ProviderEvent.MAX_ID) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(address.getBytes(StandardCharsets.UTF_8));
            return base + "/sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The addresses in {@code list}: its strings, or the {@code field} of its objects. */
    private static List<String> addresses(JsonNode list, String field) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode item : list) {
            String address = field == null ? item.asText("") : text(item, field);
            if (address.isEmpty()) {
                throw new IllegalArgumentException("the SES event lists a recipient without an address");
            }
            addresses.add(address);
        }
        return addresses;
    }

    /** The time in {@code node}'s {@code field}; the SNS message's when it has none. */
    private Instant time(JsonNode node, String field) {
        String text = text(node, field);
        if (text.isEmpty()) {
            return snsTimestamp;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the SES event's " + field + " must be an ISO 8601 time, was '"
                    + SnsMessage.shorten(text) + "'");
        }
    }

    private static String required(JsonNode node, String field, String where) {
        String value = text(node, field);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the SES event has no " + where + "." + field);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? "" : value.asText();
    }
}

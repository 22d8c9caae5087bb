package io.irisx.core.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of events IRISX emits, each with the name it has on the wire ({@code email.delivered}) and a
 * description; the host's customers subscribe webhook endpoints to these names.
 */
public enum EventType {
    CALL_QUEUED("call.queued", "An outbound call was accepted and queued for placing."),
    CALL_INITIATED("call.initiated", "An outbound call was placed with the provider."),
    CALL_RINGING("call.ringing", "The called party's phone is ringing."),
    CALL_ANSWERED("call.answered", "The call was answered."),
    CALL_COMPLETED("call.completed", "The call ended after being answered."),
    CALL_BUSY("call.busy", "The called party was busy."),
    CALL_NO_ANSWER("call.no_answer", "The call rang out without an answer."),
    CALL_FAILED("call.failed", "The call could not be placed or connected."),
    CALL_CANCELED("call.canceled", "The call was hung up before it was answered, or before it was placed."),
    CALL_RECORDING_COMPLETED("call.recording.completed", "A recording of the call is ready."),

    SMS_QUEUED("sms.queued", "An SMS or MMS was accepted and queued for sending."),
    SMS_SENT("sms.sent", "The provider accepted the SMS or MMS."),
    SMS_DELIVERED("sms.delivered", "The carrier reported the message delivered to the handset."),
    SMS_UNDELIVERED("sms.undelivered", "The carrier could not deliver the message."),
    SMS_FAILED("sms.failed", "The message failed before reaching the carrier."),
    SMS_READ("sms.read", "The recipient read the message, where the channel reports reads."),
    SMS_RECEIVED("sms.received", "An inbound SMS or MMS arrived."),
    SMS_OPTED_OUT("sms.opted_out", "A recipient opted out (STOP and its synonyms)."),
    SMS_OPTED_IN("sms.opted_in", "A recipient opted back in (START, YES, UNSTOP)."),

    EMAIL_QUEUED("email.queued", "An email was accepted and queued for sending."),
    EMAIL_SENT("email.sent", "The email provider accepted the email."),
    EMAIL_DELIVERED("email.delivered", "The receiving server accepted the email."),
    EMAIL_DEFERRED("email.deferred", "Delivery was delayed; the provider will keep trying."),
    EMAIL_BOUNCED("email.bounced", "The email bounced."),
    EMAIL_COMPLAINED("email.complained", "The recipient marked the email as spam."),
    EMAIL_OPENED("email.opened", "The recipient opened the email."),
    EMAIL_CLICKED("email.clicked", "The recipient clicked a tracked link."),
    EMAIL_UNSUBSCRIBED("email.unsubscribed", "The recipient unsubscribed."),
    EMAIL_FAILED("email.failed", "The email could not be sent."),
    EMAIL_COMPLAINT_RATE("email.complaint_rate", "A sending domain's complaint rate crossed a configured alert threshold."),

    WEBHOOK_ENDPOINT_DISABLED("webhook.endpoint.disabled", "An endpoint was disabled after failing continuously."),
    WEBHOOK_TEST("webhook.test", "A test event sent on request to one endpoint."),
    MESSAGE_ATTEMPT_EXHAUSTED("message.attempt.exhausted", "A webhook message failed every delivery attempt."),
    MESSAGE_DEAD_LETTERED("message.dead_lettered", "A queued message failed for good and was kept as a dead letter.");

    private static final Map<String, EventType> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;
    private final String description;

    EventType(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    /** The name on the wire and in webhook filters, e.g. {@code email.delivered}. */
    public String wireName() {
        return wireName;
    }

    /** One sentence saying when the event is emitted. */
    public String description() {
        return description;
    }

    /** The event type with this wire name, if the catalogue has one. */
    public static Optional<EventType> fromWireName(String wireName) {
        return Optional.ofNullable(BY_NAME.get(wireName));
    }

    @Override
    public String toString() {
        return wireName;
    }
}

package io.irisx.messaging.email.ses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.irisx.messaging.email.internal.ProviderHttp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One message Amazon SNS posts to an http(s) subscription — a notification, or a subscription or unsubscribe
 * confirmation — as its JSON body gives it, and the string SNS signed for it; immutable. Not API.
 *
 * @param type {@code Notification}, {@code SubscriptionConfirmation} or {@code UnsubscribeConfirmation}
 * @param messageId SNS's id of the message, the same on every retry
 * @param topicArn the topic it was published to
 * @param subject the subject it was published with (notifications only, and only when given)
 * @param message the message, unescaped
 * @param timestamp when SNS sent it, exactly as written (the signed text)
 * @param sentAt the timestamp, read
 * @param signatureVersion {@code 1} or {@code 2}, as SNS wrote it (checked by the handler)
 * @param signature the Base64 signature
 * @param signingCertUrl where the signing certificate is
 * @param subscribeUrl the URL that confirms the subscription (confirmations only, else empty)
 * @param token the confirmation token (confirmations only, else empty)
 */
record SnsMessage(String type, String messageId, String topicArn, Optional<String> subject, String message,
        String timestamp, Instant sentAt, String signatureVersion, String signature, String signingCertUrl,
        String subscribeUrl, String token) {

    static final String NOTIFICATION = "Notification";
    static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
    static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";

    /**
     * The message in {@code body}.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    static SnsMessage parse(String body) {
        JsonNode json;
        try {
            json = ProviderHttp.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object, as Amazon SNS posts");
        }
        String type = required(json, "Type");
        boolean confirmation = type.equals(SUBSCRIPTION_CONFIRMATION) || type.equals(UNSUBSCRIBE_CONFIRMATION);
        if (!confirmation && !type.equals(NOTIFICATION)) {
            throw new IllegalArgumentException("Type must be Notification, SubscriptionConfirmation or"
                    + " UnsubscribeConfirmation, was '" + shorten(type) + "'");
        }
        String timestamp = required(json, "Timestamp");
        Instant sentAt;
        try {
            sentAt = Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Timestamp must be an ISO 8601 time, was '" + shorten(timestamp) + "'");
        }
        JsonNode subject = json.get("Subject");
        if (subject != null && !subject.isNull() && !subject.isTextual()) {
            throw new IllegalArgumentException("Subject must be text");
        }
        return new SnsMessage(type, required(json, "MessageId"), required(json, "TopicArn"),
                confirmation || subject == null || subject.isNull() ? Optional.empty() : Optional.of(subject.asText()),
                required(json, "Message"), timestamp, sentAt, required(json, "SignatureVersion"),
                required(json, "Signature"), required(json, "SigningCertURL"),
                confirmation ? required(json, "SubscribeURL") : "", confirmation ? required(json, "Token") : "");
    }

    boolean isNotification() {
        return type.equals(NOTIFICATION);
    }

    /**
     * The string SNS signs: each of the documented fields of the message's type, in byte order of their names, as
     * the name, a newline, the value and a newline. A notification's are {@code Message}, {@code MessageId},
     * {@code Subject} (when it has one), {@code Timestamp}, {@code TopicArn} and {@code Type}; a confirmation's are
     * {@code Message}, {@code MessageId}, {@code SubscribeURL}, {@code Timestamp}, {@code Token}, {@code TopicArn}
     * and {@code Type}.
     */
    String stringToSign() {
        StringBuilder signed = new StringBuilder();
        field(signed, "Message", message);
        field(signed, "MessageId", messageId);
        if (isNotification()) {
            subject.ifPresent(s -> field(signed, "Subject", s));
            field(signed, "Timestamp", timestamp);
        } else {
            field(signed, "SubscribeURL", subscribeUrl);
            field(signed, "Timestamp", timestamp);
            field(signed, "Token", token);
        }
        field(signed, "TopicArn", topicArn);
        field(signed, "Type", type);
        return signed.toString();
    }

    private static void field(StringBuilder signed, String name, String value) {
        signed.append(name).append('\n').append(value).append('\n');
    }

    private static String required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("the message has no " + field + " (an Amazon SNS message has one)");
        }
        return value.asText();
    }

    /** Text from the request, cut short enough to quote in an answer. */
    static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}

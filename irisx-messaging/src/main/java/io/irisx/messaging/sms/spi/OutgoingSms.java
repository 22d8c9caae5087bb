package io.irisx.messaging.sms.spi;

import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import java.util.List;
import java.util.Objects;

/**
 * One SMS or MMS as a provider is asked to send it: checked, its numbers in E.164; immutable.
 *
 * @param id the IRISX message id
 * @param tenant whose message it is
 * @param idempotencyKey the caller's idempotency key, else the message id: the same on every try
 * @param to the recipient, E.164 ({@code +14155550123})
 * @param from the sender number or alphanumeric sender id, empty when a messaging service sends it
 * @param messagingServiceSid the provider's messaging service that picks the sender, empty when {@code from} is set
 * @param body the text, possibly empty for an MMS with media
 * @param mediaUrls the media of an MMS (https URLs, at most 10), empty for an SMS
 * @param statusCallback the URL the provider reports status changes to, empty for none
 * @param validityPeriodSeconds how long the provider may keep trying, 0 for its default
 */
public record OutgoingSms(MessageId id, TenantId tenant, String idempotencyKey, String to, String from,
        String messagingServiceSid, String body, List<String> mediaUrls, String statusCallback,
        int validityPeriodSeconds) {

    /** Copies the media list and checks that exactly one of {@code from} and {@code messagingServiceSid} is set. */
    public OutgoingSms {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(messagingServiceSid, "messagingServiceSid");
        Objects.requireNonNull(body, "body");
        mediaUrls = List.copyOf(mediaUrls);
        Objects.requireNonNull(statusCallback, "statusCallback");
        if (from.isEmpty() == messagingServiceSid.isEmpty()) {
            throw new IllegalArgumentException("exactly one of from and messagingServiceSid must be set");
        }
    }

    @Override
    public String toString() {
        // Numbers and text are personal data: never logged.
        return "OutgoingSms[" + id + " tenant=" + tenant + " media=" + mediaUrls.size() + "]";
    }
}

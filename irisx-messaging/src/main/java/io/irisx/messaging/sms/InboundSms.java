package io.irisx.messaging.sms;

import io.irisx.core.id.MessageId;
import java.time.Instant;
import java.util.List;

/**
 * A message a tenant's number received, as stored; immutable.
 *
 * @param id its IRISX id
 * @param provider the provider that delivered it
 * @param providerMessageId the provider's id for it
 * @param from the sender, E.164
 * @param to the tenant's number, E.164
 * @param body the text
 * @param mediaUrls the media of an MMS
 * @param receivedAt when it was stored
 */
public record InboundSms(MessageId id, String provider, String providerMessageId, String from, String to,
        String body, List<String> mediaUrls, Instant receivedAt) {

    /** Copies the media list. */
    public InboundSms {
        mediaUrls = List.copyOf(mediaUrls);
    }
}

package io.irisx.messaging.sms;

import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An SMS or MMS as IRISX stored it, with where it stands; immutable.
 *
 * @param id its message id
 * @param tenant whose it is
 * @param idempotencyKey the caller's key, else the message id
 * @param status where it stands
 * @param to the recipient, E.164
 * @param from the sender number or alphanumeric sender id, empty when a messaging service sends it
 * @param messagingServiceSid the messaging service, empty when {@code from} is set
 * @param body the text
 * @param mediaUrls the media of an MMS
 * @param tags tags
 * @param metadata metadata
 * @param statusCallback the status callback URL, empty when none
 * @param validityPeriodSeconds the validity period, 0 for the provider's default
 * @param segments the encoding and segment count
 * @param attempts tries that ended with an answer from a provider, or with none from every provider
 * @param provider the provider that accepted it, once one has
 * @param providerMessageId that provider's id for it (Twilio's message SID)
 * @param providerStatus the provider's own latest status ({@code queued}, {@code sending}, …)
 * @param errorCode the provider's error code, if it reported one
 * @param possibleDuplicate whether it was sent again after a try with an unknown outcome, so that the recipient may
 *     have it twice
 * @param lastError the last failure, if any
 * @param createdAt when it was queued
 * @param updatedAt when it last changed
 * @param sentAt when a provider accepted it
 * @param test whether it was sent in test mode ({@link io.irisx.core.Tenant#isTest()}): only through the module's test
 *     providers, never a real one, and neither metered nor billed
 */
public record Sms(MessageId id, TenantId tenant, String idempotencyKey, SmsStatus status, String to, String from,
        String messagingServiceSid, String body, List<String> mediaUrls, List<String> tags,
        Map<String, String> metadata, String statusCallback, int validityPeriodSeconds, Segments segments,
        int attempts, Optional<String> provider, Optional<String> providerMessageId, Optional<String> providerStatus,
        Optional<String> errorCode, boolean possibleDuplicate, Optional<String> lastError, Instant createdAt,
        Instant updatedAt, Optional<Instant> sentAt, boolean test) {

    @Override
    public String toString() {
        // Numbers and text are personal data: never logged.
        return "Sms[" + id + " tenant=" + tenant + " " + status + provider.map(p -> " via " + p).orElse("")
                + (test ? " test" : "") + "]";
    }
}

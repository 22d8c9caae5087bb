package io.irisx.testkit.sms;

import java.util.List;

/**
 * An SMS or MMS as a provider's local test server read it off the wire, in the provider's own format, for the
 * {@link SmsProviderContractKit} to compare with what was sent. Absent text is empty, absent media an empty list, an
 * absent validity period 0.
 *
 * @param to the recipient
 * @param from the sender number or sender id
 * @param messagingServiceSid the messaging service that picks the sender
 * @param body the text
 * @param mediaUrls the media URLs, in order
 * @param statusCallback the URL status changes are reported to
 * @param validityPeriodSeconds how long the provider may keep trying
 */
public record ReceivedSms(String to, String from, String messagingServiceSid, String body, List<String> mediaUrls,
        String statusCallback, int validityPeriodSeconds) {
}

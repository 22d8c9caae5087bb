package io.irisx.core.usage;

/**
 * What IRISX meters and a price applies to: one email sent, one SMS segment, one MMS, one second of a call, one
 * character spoken by text-to-speech, one webhook delivered. Stored and keyed by its {@link #name()}.
 */
public enum UsageUnit {
    /** One email a provider accepted (status SENT), whatever its number of recipients. */
    EMAIL,
    /** One segment of an SMS a provider accepted (status SENT), as its stored segment count says. */
    SMS_SEGMENT,
    /** One MMS (a message with media) a provider accepted (status SENT). */
    MMS,
    /** One second of a call; for the voice channel. */
    CALL_SECOND,
    /** One character of text spoken by a text-to-speech provider; for the voice channel. */
    TTS_CHARACTER,
    /** One webhook message delivered to an endpoint (it answered 2xx), however many attempts it took. */
    WEBHOOK_DELIVERY
}

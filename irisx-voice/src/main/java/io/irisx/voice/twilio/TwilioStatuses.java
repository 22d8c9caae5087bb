package io.irisx.voice.twilio;

import io.irisx.voice.CallStatus;
import java.util.Locale;
import java.util.Optional;

/**
 * Twilio's call status words (twilio.com/docs/voice/api/call-resource#call-status-values) and what each means in
 * IRISX. Stateless.
 */
final class TwilioStatuses {

    private TwilioStatuses() {
    }

    /**
     * The IRISX status of Twilio's {@code word}: {@code queued} and {@code initiated} are INITIATED (Twilio holds the
     * call), {@code ringing}, {@code in-progress} (answered), and the final {@code completed}, {@code busy},
     * {@code no-answer}, {@code failed} and {@code canceled}. Empty for a word Twilio does not document.
     */
    static Optional<CallStatus> of(String word) {
        return Optional.ofNullable(switch (word.toLowerCase(Locale.ROOT)) {
            case "queued", "initiated" -> CallStatus.INITIATED;
            case "ringing" -> CallStatus.RINGING;
            case "in-progress" -> CallStatus.IN_PROGRESS;
            case "completed" -> CallStatus.COMPLETED;
            case "busy" -> CallStatus.BUSY;
            case "no-answer" -> CallStatus.NO_ANSWER;
            case "failed" -> CallStatus.FAILED;
            case "canceled" -> CallStatus.CANCELED;
            default -> null;
        });
    }
}

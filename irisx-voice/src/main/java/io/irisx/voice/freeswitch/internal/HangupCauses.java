package io.irisx.voice.freeswitch.internal;

import io.irisx.voice.CallStatus;
import java.util.Set;

/**
 * The IRISX status a FreeSWITCH hang-up cause means (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Troubleshooting-Debugging/Hangup-Cause-Code-Table_3964945/):
 * a call that was answered ended COMPLETED whatever the cause; before an answer, {@code USER_BUSY} and
 * {@code CALL_REJECTED} are BUSY, the causes of a phone that rang out are NO_ANSWER, a call IRISX hung up itself is
 * CANCELED, and every other cause is FAILED.
 */
public final class HangupCauses {

    private static final Set<String> BUSY = Set.of("USER_BUSY", "CALL_REJECTED");
    private static final Set<String> NO_ANSWER = Set.of("NO_ANSWER", "NO_USER_RESPONSE", "PROGRESS_TIMEOUT",
            "ALLOTTED_TIMEOUT", "RECOVERY_ON_TIMER_EXPIRE");
    private static final Set<String> CANCELED = Set.of("ORIGINATOR_CANCEL", "LOSE_RACE");

    private HangupCauses() {
    }

    /**
     * The status of a call that ended with {@code cause}.
     *
     * @param answered whether it was answered
     * @param hungUpByUs whether IRISX asked for the hang-up (so an unanswered call was canceled)
     */
    public static CallStatus status(String cause, boolean answered, boolean hungUpByUs) {
        if (answered) {
            return CallStatus.COMPLETED;
        }
        if (BUSY.contains(cause)) {
            return CallStatus.BUSY;
        }
        if (NO_ANSWER.contains(cause)) {
            return CallStatus.NO_ANSWER;
        }
        if (hungUpByUs || CANCELED.contains(cause)) {
            return CallStatus.CANCELED;
        }
        return CallStatus.FAILED;
    }
}

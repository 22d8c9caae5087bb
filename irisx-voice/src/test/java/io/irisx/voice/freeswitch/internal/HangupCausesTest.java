package io.irisx.voice.freeswitch.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.voice.CallStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link HangupCauses} on the causes of FreeSWITCH's hang-up cause table
 * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Troubleshooting-Debugging/Hangup-Cause-Code-Table_3964945/).
 */
class HangupCausesTest {

    @ParameterizedTest(name = "{0}, answered {1}, hung up by IRISX {2}: {3}")
    @CsvSource({
        "NORMAL_CLEARING, true, false, COMPLETED",
        "USER_BUSY, true, false, COMPLETED",
        "USER_BUSY, false, false, BUSY",
        "CALL_REJECTED, false, false, BUSY",
        "NO_ANSWER, false, false, NO_ANSWER",
        "NO_USER_RESPONSE, false, false, NO_ANSWER",
        "ORIGINATOR_CANCEL, false, false, CANCELED",
        "NORMAL_CLEARING, false, true, CANCELED",
        "UNALLOCATED_NUMBER, false, false, FAILED",
        "GATEWAY_DOWN, false, false, FAILED",
        "NORMAL_TEMPORARY_FAILURE, false, false, FAILED"
    })
    void a_hangup_cause_means_a_final_status(String cause, boolean answered, boolean ours, CallStatus status) {
        assertThat(HangupCauses.status(cause, answered, ours)).isEqualTo(status);
    }
}

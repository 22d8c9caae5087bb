package io.irisx.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link RecordingReport} refuses what its columns cannot hold, naming the field. */
class RecordingReportTest {

    private static final String SID = "CA" + "0123456789abcdef".repeat(2);
    private static final String RECORDING = "RE" + "0123456789abcdef".repeat(2);
    private static final String URL = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/" + RECORDING;
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

    private static RecordingReport report(String provider, String url, Optional<Duration> duration, int channels,
            String status) {
        return new RecordingReport(provider, SID, RECORDING, url, duration, channels, status, AT);
    }

    @Test
    void a_report_that_fits_its_columns_is_kept_as_given() {
        RecordingReport report = report("twilio", URL, Optional.of(Duration.ofSeconds(38)), 2, "completed");

        assertThat(report.providerRecordingId()).isEqualTo(RECORDING);
        assertThat(RecordingReport.STATUSES).containsExactlyInAnyOrder("in-progress", "completed", "absent", "failed");
    }

    @Test
    void each_field_that_does_not_fit_is_refused_by_name() {
        Optional<Duration> none = Optional.empty();
        assertThatIllegalArgumentException().isThrownBy(() -> report("", URL, none, 1, "completed"))
                .withMessageStartingWith("provider ");
        assertThatIllegalArgumentException().isThrownBy(() -> new RecordingReport("twilio", SID, "x".repeat(65), URL,
                none, 1, "completed", AT)).withMessageStartingWith("providerRecordingId ");
        assertThatIllegalArgumentException().isThrownBy(() -> report("twilio", "http://api.twilio.com/x", none, 1,
                "completed")).withMessageStartingWith("url ");
        assertThatIllegalArgumentException().isThrownBy(() -> report("twilio", "https://x/" + "a".repeat(2048), none,
                1, "completed")).withMessageStartingWith("url ");
        assertThatIllegalArgumentException().isThrownBy(() -> report("twilio", URL, Optional.of(Duration.ofHours(25)),
                1, "completed")).withMessageStartingWith("duration ");
        assertThatIllegalArgumentException().isThrownBy(() -> report("twilio", URL, none, 3, "completed"))
                .withMessageStartingWith("channels ").withMessageContaining("3");
        assertThatIllegalArgumentException().isThrownBy(() -> report("twilio", URL, none, 1, "done"))
                .withMessageStartingWith("status ").withMessageContaining("'done'");
    }
}

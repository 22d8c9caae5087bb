package io.irisx.voice;

import static io.irisx.voice.VoiceTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.IrisxValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each field of a {@link CallRequest} checked as it is set, and the request as a whole when built. */
class CallRequestTest {

    private static CallRequest.Builder valid() {
        return CallRequest.builder().to("+447400123456").from("+14155550100").flow("support");
    }

    @Test
    void a_request_keeps_what_it_was_given_and_defaults_the_rest() {
        CallRequest request = valid().build();

        assertThat(request.to()).isEqualTo("+447400123456");
        assertThat(request.from()).isEqualTo("+14155550100");
        assertThat(request.flow()).contains("support");
        assertThat(request.url()).isEmpty();
        assertThat(request.recording()).isEqualTo(RecordingMode.NONE);
        assertThat(request.machineDetection()).isEqualTo(MachineDetection.OFF);
        assertThat(request.ringTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(request.timeLimit()).isEqualTo(Duration.ofHours(4));
        assertThat(request.statusCallback()).isEmpty();
        assertThat(request.idempotencyKey()).isEmpty();
        // Numbers are personal data: never in toString.
        assertThat(request.toString()).doesNotContain("7400123456", "5550100");
    }

    @Test
    void a_url_replaces_a_flow_and_a_flow_a_url() {
        assertThat(valid().url("https://twiml.acme.example/x").build().flow()).isEmpty();
        CallRequest request = valid().url("https://twiml.acme.example/x").flow("survey").build();
        assertThat(request.flow()).contains("survey");
        assertThat(request.url()).isEmpty();
    }

    @Test
    void each_bad_value_is_refused_as_it_is_set_naming_the_field_and_value() {
        assertRefused("to", "call me", () -> valid().to("call me"));
        assertRefused("to", "", () -> valid().to(""));
        assertRefused("from", "+1 (415) 555-0100 x22", () -> valid().from("+1 (415) 555-0100 x22"));
        assertRefused("flow", "support flow", () -> valid().flow("support flow"));
        assertRefused("flow", "-support", () -> valid().flow("-support"));
        assertRefused("url", "http://twiml.acme.example/x", () -> valid().url("http://twiml.acme.example/x"));
        assertRefused("url", "not a url", () -> valid().url("not a url"));
        assertRefused("statusCallback", "ftp://hooks.acme.example", () -> valid().statusCallback("ftp://hooks.acme.example"));
        assertRefused("ringTimeout", "PT0S", () -> valid().ringTimeout(Duration.ZERO));
        assertRefused("ringTimeout", "PT10M1S", () -> valid().ringTimeout(Duration.ofSeconds(601)));
        assertRefused("ringTimeout", "PT1.5S", () -> valid().ringTimeout(Duration.ofMillis(1500)));
        assertRefused("timeLimit", "PT24H0.001S", () -> valid().timeLimit(Duration.ofHours(24).plusMillis(1)));
        assertRefused("timeLimit", "PT-1S", () -> valid().timeLimit(Duration.ofSeconds(-1)));
        assertRefused("idempotencyKey", " ", () -> valid().idempotencyKey(" "));
        assertRefused("idempotencyKey", "k".repeat(256), () -> valid().idempotencyKey("k".repeat(256)));
        assertRefused("idempotencyKey", "a\nb", () -> valid().idempotencyKey("a\nb"));
    }

    @Test
    void the_bounds_themselves_are_taken() {
        CallRequest request = valid().ringTimeout(Duration.ofSeconds(1)).timeLimit(Duration.ofHours(24))
                .idempotencyKey("k".repeat(255)).build();
        assertThat(request.ringTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(valid().ringTimeout(Duration.ofSeconds(600)).timeLimit(Duration.ofSeconds(1)).build().timeLimit())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void a_refused_url_is_shown_without_its_password() {
        IrisxValidationException refused = catchThrowableOfType(IrisxValidationException.class,
                () -> valid().statusCallback("http://user:hunter2@hooks.acme.example/status?token=s3cret"));
        assertThat(refused.field()).isEqualTo("statusCallback");
        assertThat(refused.getMessage()).doesNotContain("hunter2", "s3cret");
    }

    @Test
    void a_request_without_a_number_or_what_to_run_is_refused_when_built() {
        assertRefused("to", "null", () -> CallRequest.builder().from("+14155550100").flow("support").build());
        assertRefused("from", "null", () -> CallRequest.builder().to("+447400123456").flow("support").build());
        assertRefused("flow", "null", () -> CallRequest.builder().to("+447400123456").from("+14155550100").build());
    }
}

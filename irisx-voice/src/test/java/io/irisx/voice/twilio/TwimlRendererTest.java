package io.irisx.voice.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.SampleFlows;
import io.irisx.voice.flow.GatherInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TwiML of each stretch of a flow, against golden files under {@code src/test/resources/io/irisx/voice/twilio/twiml}
 * (indented for reading; compared without the whitespace between elements). The verbs and attributes are Twilio's:
 * https://www.twilio.com/docs/voice/twiml/say (voice, language), https://www.twilio.com/docs/voice/twiml/play,
 * https://www.twilio.com/docs/voice/twiml/pause (length), https://www.twilio.com/docs/voice/twiml/gather (input
 * {@code dtmf}/{@code speech}, numDigits, timeout, action, method, actionOnEmptyResult, hints; nested Say and Play),
 * https://www.twilio.com/docs/voice/twiml/record (action, method, maxLength, playBeep, transcribe),
 * https://www.twilio.com/docs/voice/twiml/dial and https://www.twilio.com/docs/voice/twiml/number (timeout, callerId),
 * https://www.twilio.com/docs/voice/twiml/redirect and https://www.twilio.com/docs/voice/twiml/hangup.
 */
class TwimlRendererTest {

    private static final String FLOW_URL = "https://hooks.acme.example/voice/acme/twilio";

    /** A speech menu, and a flow that runs past its last step. */
    static final Flow SPEECH = Flow.builder("speech")
            .gather("ask", gather -> gather.input(GatherInput.DIGITS_AND_SPEECH).say("Say sales or billing.")
                    .branch("1", "sales").branch("sales", "sales").branch("billing", "billing").maxRetries(0))
            .say("sales", "Connecting you to sales.")
            .hangup("done")
            .say("billing", "Billing is closed.")
            .build();

    @ParameterizedTest(name = "{0} step {1}, attempt {2}: {3}")
    @CsvSource(textBlock = """
            support, welcome,   1, start.xml
            support, menu,      2, menu-retry.xml
            support, sales,     1, sales.xml
            support, voicemail, 1, voicemail.xml
            support, goodbye,   1, goodbye.xml
            speech,  ask,       1, speech.xml
            speech,  billing,   1, end.xml
            """)
    void each_stretch_of_a_flow_renders_as_its_golden_file(String flowName, String step, int attempt, String golden) {
        Flow flow = flowName.equals("support") ? SampleFlows.SUPPORT : SPEECH;

        String twiml = TwimlRenderer.render(flow, new Flow.Position(flow.step(step).orElseThrow(), attempt), FLOW_URL);

        assertThat(twiml).as("TwiML of %s", golden).isEqualTo(golden(golden));
    }

    @ParameterizedTest(name = "{0} step {1}, attempt {2}, with text-to-speech: {3}")
    @CsvSource(textBlock = """
            support, menu,    2, menu-retry-tts.xml
            support, goodbye, 1, goodbye-tts.xml
            """)
    void say_prompts_without_a_voice_play_their_synthesized_audio(String flowName, String step, int attempt,
            String golden) {
        Flow flow = SampleFlows.SUPPORT;

        String twiml = TwimlRenderer.render(flow, new Flow.Position(flow.step(step).orElseThrow(), attempt), FLOW_URL,
                speech -> java.util.Optional.of("https://hooks.acme.example/irisx/tts/" + speech.text()
                        .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-$", "")
                        + ".mp3"));

        assertThat(twiml).as("TwiML of %s", golden).isEqualTo(golden(golden));
    }

    @Test
    void a_flow_renders_from_its_start_for_a_host_and_nothing_is_missing() {
        assertThat(TwimlRenderer.render(SampleFlows.SUPPORT, FLOW_URL)).isEqualTo(golden("start.xml"));
        assertThatThrownBy(() -> TwimlRenderer.render(null, FLOW_URL)).isInstanceOf(NullPointerException.class)
                .hasMessage("flow");
        assertThatThrownBy(() -> TwimlRenderer.render(SampleFlows.SUPPORT, null))
                .isInstanceOf(NullPointerException.class).hasMessage("flowUrl");
    }

    static String golden(String name) {
        try (InputStream in = TwimlRendererTest.class.getResourceAsStream("twiml/" + name)) {
            if (in == null) {
                throw new AssertionError("no golden file twiml/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll(">\\s*\\n\\s*<", "><").strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

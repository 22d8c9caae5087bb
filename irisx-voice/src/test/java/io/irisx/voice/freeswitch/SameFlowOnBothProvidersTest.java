package io.irisx.voice.freeswitch;

import static io.irisx.voice.freeswitch.internal.EslStreams.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.id.CallId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.TwilioSignatures;
import io.irisx.voice.CallRequest;
import io.irisx.voice.CallStatus;
import io.irisx.voice.Voice;
import io.irisx.voice.VoiceFixture;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.Step;
import io.irisx.voice.freeswitch.internal.LocalFreeSwitch;
import io.irisx.voice.twilio.TwilioVoiceCallbacks;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One flow — a say, a gather with a branch, a record, a hang-up — run on both providers with the same caller input
 * (no input the first time, then 1, then a message), and the steps each ran compared: on Twilio, the TwiML
 * {@link TwilioVoiceCallbacks} answers the voice webhook and the gather and record callbacks with
 * (https://www.twilio.com/docs/voice/twiml/gather#action, .../record#action), read verb by verb as Twilio would run it;
 * on FreeSWITCH, the dialplan applications {@link FreeSwitchVoiceProvider} sends a {@link LocalFreeSwitch} speaking the
 * Event Socket, which answers with {@code CHANNEL_EXECUTE_COMPLETE}, {@code DTMF} and {@code RECORD_STOP} events. On
 * each database.
 */
@OnEachDialect
class SameFlowOnBothProvidersTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String FLOW_URL = "https://hooks.acme.example/voice/acme/twilio";
    private static final Pattern STEP = Pattern.compile("[?&]step=([^&]+)");

    static final Flow VOICEMAIL = Flow.builder("voicemail")
            .say("hello", "Hello from Acme.")
            .gather("menu", gather -> gather.say("Press 1 to leave a message.").numDigits(1)
                    .timeout(Duration.ofSeconds(5)).branch("1", "message").retryPrompt("Sorry, once more.")
                    .maxRetries(1).otherwise("bye"))
            .say("bye", "Goodbye.")
            .hangup("end")
            .record("message", record -> record.maxLength(Duration.ofSeconds(30)).then("thanks"))
            .say("thanks", "Thanks for your message.")
            .hangup("done")
            .build();

    @Parameter
    Database.Dialect dialect;
    private LocalFreeSwitch freeswitch;
    private VoiceFixture fixture;
    private Voice acme;

    @BeforeEach
    void start() throws Exception {
        freeswitch = new LocalFreeSwitch("ClueCon-both")
                .bgapi(command -> "+OK " + FreeSwitchVoiceProviderTest.uuidOf(command.line()) + "\n")
                .api(command -> "+OK\n");
        FreeSwitchVoiceProvider provider = FreeSwitchVoiceProvider.builder("127.0.0.1", freeswitch.port(),
                "ClueCon-both").dialString("sofia/gateway/main/{number}")
                .recordings("/recordings", "https://media.acme.example/recordings").build();
        fixture = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder().defaultRegion("GB")
                .provider(provider).flow(VOICEMAIL).pollInterval(Duration.ofMillis(20)).build());
        acme = fixture.voice("acme");
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        freeswitch.close();
    }

    @Test
    void twilio_and_freeswitch_run_the_same_steps_of_one_flow_for_the_same_input() throws Exception {
        List<String> twilio = onTwilio();
        List<String> freeSwitch = onFreeSwitch();

        assertThat(twilio).containsExactly("hello", "menu", "menu", "message", "thanks", "done");
        assertThat(freeSwitch).isEqualTo(twilio);
    }

    /** The steps Twilio runs: each TwiML document read verb by verb, each callback answered as the caller would. */
    private List<String> onTwilio() throws Exception {
        TwilioVoiceCallbacks callbacks = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"), TOKEN)
                .flowUrl(FLOW_URL).inboundFlow("voicemail").build();
        Map<String, String> says = new HashMap<>();
        for (Step step : VOICEMAIL.steps()) {
            if (step instanceof Step.Say say) {
                says.put(say.speech().text(), say.id());
            }
        }
        List<String> steps = new ArrayList<>();
        String query = "";
        Map<String, String> input = Map.of();
        List<Map<String, String>> answers = List.of(Map.of("Digits", ""), Map.of("Digits", "1"),
                Map.of("RecordingUrl", "https://api.twilio.com/recordings/RE1", "RecordingDuration", "7"));
        for (int turn = 0; turn <= answers.size(); turn++) {
            Map<String, String> params = new LinkedHashMap<>(Map.of("CallSid", "CA" + "0".repeat(32),
                    "AccountSid", "AC" + "0".repeat(32)));
            params.putAll(input);
            String url = query.isEmpty() ? FLOW_URL : FLOW_URL + "?" + query;
            String q = query;
            CallbackResponse twiml = callbacks.flow(TwilioSignatures.signed(TOKEN, url, params).as((h, body) ->
                    new CallbackRequest("POST", "/voice/acme/twilio", q, h, body.getBytes(StandardCharsets.UTF_8),
                            "")));
            assertThat(twiml.status()).isEqualTo(200);
            Optional<String> next = run(twiml.bodyText(), says, steps);
            if (next.isEmpty()) {
                break;
            }
            query = next.get().substring(next.get().indexOf('?') + 1);
            input = turn < answers.size() ? answers.get(turn) : Map.of();
        }
        return steps;
    }

    /** Notes the steps of one TwiML document; returns the action URL it posts to next, if any. */
    private static Optional<String> run(String twiml, Map<String, String> says, List<String> steps)
            throws Exception {
        Element response = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        String last = null;
        for (Node node = response.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (!(node instanceof Element verb)) {
                continue;
            }
            switch (verb.getTagName()) {
                case "Say" -> steps.add(last = says.get(verb.getTextContent()));
                case "Gather", "Record" -> {
                    steps.add(stepOf(verb.getAttribute("action")));
                    return Optional.of(verb.getAttribute("action"));
                }
                case "Hangup" -> {
                    // A hang-up step, or the end of the flow (no step).
                    Optional<Step> after = last == null ? Optional.empty()
                            : VOICEMAIL.after(VOICEMAIL.step(last).orElseThrow()).map(Flow.Position::step);
                    after.filter(Step.Hangup.class::isInstance).ifPresent(step -> steps.add(step.id()));
                    return Optional.empty();
                }
                default -> throw new AssertionError("unexpected verb " + verb.getTagName() + " in " + twiml);
            }
        }
        return Optional.empty();
    }

    private static String stepOf(String action) {
        Matcher m = STEP.matcher(action);
        assertThat(m.find()).as("the step of %s", action).isTrue();
        return m.group(1);
    }

    /** The steps FreeSWITCH runs: the {@code irisx_step} each sends, the caller's input given as events. */
    private List<String> onFreeSwitch() throws Exception {
        CallId id = acme.call(CallRequest.builder().to("07400 123456").from("+447400654321").flow("voicemail")
                .build());
        String uuid = FreeSwitchVoiceProviderTest.uuidOf(freeswitch.next("bgapi originate").line());
        await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).status() != CallStatus.QUEUED);
        Map<String, String> channel = headers("Unique-ID", uuid, "variable_irisx_call_id", id.value(),
                "variable_irisx_tenant", "acme", "variable_irisx_flow", "voicemail");
        List<String> steps = new ArrayList<>();
        event(channel, "CHANNEL_ANSWER", "Answer-State", "answered");
        List<String[]> inputs = List.of(new String[0], new String[] {"variable_irisx_digits", "1"}, new String[0]);
        int gathered = 0;
        while (true) {
            LocalFreeSwitch.Command sent = freeswitch.next("sendmsg " + uuid);
            String app = sent.header("execute-app-name");
            String arg = sent.header("execute-app-arg");
            if (app.equals("set") && arg.startsWith("irisx_step=")) {
                steps.add(arg.substring("irisx_step=".length()));
            } else if (app.equals("hangup")) {
                event(channel, "CHANNEL_HANGUP_COMPLETE", "Hangup-Cause", "NORMAL_CLEARING", "variable_billsec", "20");
                break;
            } else if (app.equals("play_and_get_digits")) {
                String[] input = inputs.get(gathered++);
                if (input.length > 0) {
                    event(channel, "DTMF", "DTMF-Digit", input[1]);
                }
                complete(channel, sent, input);
            } else if (app.equals("record")) {
                event(channel, "RECORD_STOP", "Record-File-Path", arg.split(" ")[0], "variable_record_seconds", "7");
                complete(channel, sent);
            } else if (app.equals("speak")) {
                complete(channel, sent);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> acme.get(id).status() == CallStatus.COMPLETED);
        assertThat(acme.recordings(id)).hasSize(1);
        return steps;
    }

    private void event(Map<String, String> channel, String name, String... more) {
        Map<String, String> headers = headers("Event-Name", name);
        headers.putAll(channel);
        headers.putAll(headers(more));
        freeswitch.event(headers, "");
    }

    private void complete(Map<String, String> channel, LocalFreeSwitch.Command app, String... more) {
        List<String> all = new ArrayList<>(List.of("Application", app.header("execute-app-name"),
                "Application-UUID", app.header("Event-UUID")));
        all.addAll(List.of(more));
        event(channel, "CHANNEL_EXECUTE_COMPLETE", all.toArray(String[]::new));
    }
}

package io.irisx.voice.freeswitch;

import static io.irisx.voice.freeswitch.internal.EslStreams.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.irisx.core.id.CallId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.voice.Call;
import io.irisx.voice.CallRequest;
import io.irisx.voice.CallStatus;
import io.irisx.voice.CallStatusChange;
import io.irisx.voice.Recording;
import io.irisx.voice.RecordingMode;
import io.irisx.voice.Voice;
import io.irisx.voice.VoiceFixture;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.freeswitch.internal.LocalFreeSwitch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * {@link FreeSwitchVoiceProvider} registered on a {@link VoiceModule}, its calls placed by the module's worker, against
 * {@link LocalFreeSwitch}: a server speaking mod_event_socket's inbound protocol byte by byte, which plays
 * FreeSWITCH's side of each call with the events FreeSWITCH documents
 * (https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Introduction/Event-System/Event-List_7143557/:
 * {@code CHANNEL_CREATE}, {@code CHANNEL_PROGRESS}, {@code CHANNEL_ANSWER}, {@code CHANNEL_EXECUTE_COMPLETE} with the
 * {@code Application-UUID} of the {@code sendmsg}'s {@code Event-UUID}, {@code DTMF}, {@code RECORD_STOP},
 * {@code CHANNEL_HANGUP_COMPLETE} with {@code Hangup-Cause} and {@code variable_billsec}; {@code BACKGROUND_JOB} with
 * the originate's {@code +OK <uuid>} or {@code -ERR <cause>}) and the dialplan applications of mod_dptools
 * (.../Modules/mod-dptools/). On each database.
 */
@OnEachDialect
class FreeSwitchVoiceProviderTest {

    static final String PASSWORD = "ClueCon-test";
    static final Pattern UUID = Pattern.compile("origination_uuid=([0-9a-f-]{36})");

    /** Says hello, asks for 1, records a message after 1, says goodbye otherwise. */
    static final Flow IVR = Flow.builder("ivr")
            .say("hello", "Hello from Acme.")
            .gather("menu", gather -> gather.say("Press 1 to leave a message.").numDigits(1)
                    .timeout(Duration.ofSeconds(5)).branch("1", "message").maxRetries(1).otherwise("bye"))
            .say("bye", "Goodbye.")
            .hangup("end")
            .record("message", record -> record.maxLength(Duration.ofSeconds(30)).then("thanks"))
            .say("thanks", "Thanks, bye.")
            .build();

    /** What a call is redirected to. */
    static final Flow CLOSING = Flow.builder("closing").say("closed", "We are closed now.").build();

    @Parameter
    Database.Dialect dialect;
    private LocalFreeSwitch freeswitch;
    private VoiceFixture fixture;
    private Voice acme;
    private String uuid;
    private CallId id;
    private final List<String> steps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        freeswitch = new LocalFreeSwitch(PASSWORD).fragments(5)
                .bgapi(command -> "+OK " + uuidOf(command.line()) + "\n")
                .api(command -> command.startsWith("uuid_exists") ? "true" : "+OK\n");
        FreeSwitchVoiceProvider provider = FreeSwitchVoiceProvider.builder("127.0.0.1", freeswitch.port(), PASSWORD)
                .dialString("sofia/gateway/main/{number}")
                .recordings("/var/lib/freeswitch/recordings", "https://media.acme.example/recordings/")
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).replyTimeout(Duration.ofSeconds(5))
                .build();
        fixture = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder().defaultRegion("GB")
                .provider(provider).flow(IVR).flow(CLOSING).pollInterval(Duration.ofMillis(20)).build());
        acme = fixture.voice("acme");
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        freeswitch.close();
    }

    static String uuidOf(String originate) {
        Matcher m = UUID.matcher(originate);
        return m.find() ? m.group(1) : "";
    }

    /** Queues a call and waits for its originate; returns the command. */
    LocalFreeSwitch.Command placed(RecordingMode recording) throws Exception {
        id = acme.call(CallRequest.builder().to("07400 123456").from("+447400654321").flow("ivr")
                .record(recording).build());
        LocalFreeSwitch.Command originate = freeswitch.next("bgapi originate");
        uuid = uuidOf(originate.line());
        await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).status() != CallStatus.QUEUED);
        return originate;
    }

    /** A channel event of the call, with the channel variables FreeSWITCH puts on every one. */
    void channel(String name, String... more) {
        Map<String, String> headers = headers("Event-Name", name, "Unique-ID", uuid, "Channel-Name",
                "sofia/gateway/main/+447400123456", "variable_irisx_call_id", id.value(), "variable_irisx_tenant",
                "acme", "variable_irisx_flow", "ivr");
        headers.putAll(headers(more));
        freeswitch.event(headers, "");
    }

    /** The next application the provider executes on the channel, skipping others; step ids are noted. */
    LocalFreeSwitch.Command app(String name) throws Exception {
        while (true) {
            LocalFreeSwitch.Command sent = freeswitch.next("sendmsg " + uuid);
            assertThat(sent.header("call-command")).isEqualTo("execute");
            assertThat(sent.header("event-lock")).isEqualTo("true");
            String app = sent.header("execute-app-name");
            if (app.equals("set") && sent.header("execute-app-arg").startsWith("irisx_step=")) {
                steps.add(sent.header("execute-app-arg").substring("irisx_step=".length()));
            }
            if (app.equals(name)) {
                return sent;
            }
        }
    }

    /** FreeSWITCH's report that {@code app} finished. */
    void complete(LocalFreeSwitch.Command app, String... more) {
        String[] all = new String[more.length + 6];
        all[0] = "Application";
        all[1] = app.header("execute-app-name");
        all[2] = "Application-Data";
        all[3] = app.header("execute-app-arg");
        all[4] = "Application-UUID";
        all[5] = app.header("Event-UUID");
        System.arraycopy(more, 0, all, 6, more.length);
        channel("CHANNEL_EXECUTE_COMPLETE", all);
    }

    List<CallStatus> history() {
        return acme.history(id).stream().map(CallStatusChange::status).toList();
    }

    @Test
    void a_call_is_answered_runs_its_menu_takes_a_digit_records_and_hangs_up_each_status_stored_once() throws Exception {
        LocalFreeSwitch.Command originate = placed(RecordingMode.NONE);

        assertThat(originate.line()).startsWith("bgapi originate {origination_uuid=" + uuid + ",irisx_call_id="
                + id.value() + ",irisx_tenant=acme,irisx_flow=ivr,origination_caller_id_number=+447400654321,")
                .endsWith("}sofia/gateway/main/+447400123456 &park()");
        assertThat(originate.line()).contains(",originate_timeout=60,tts_engine=flite,tts_voice=kal}");
        assertThat(originate.header("Job-UUID")).hasSize(36);
        assertThat(acme.get(id).providerCallId()).contains(uuid);
        assertThat(acme.get(id).provider()).contains("freeswitch");

        channel("CHANNEL_CREATE");
        channel("CHANNEL_PROGRESS");
        await().atMost(Duration.ofSeconds(5)).until(() -> acme.get(id).status() == CallStatus.RINGING);
        channel("CHANNEL_ANSWER", "Answer-State", "answered");
        await().atMost(Duration.ofSeconds(5)).until(() -> acme.get(id).status() == CallStatus.IN_PROGRESS);
        assertThat(freeswitch.next("api sched_hangup").line())
                .isEqualTo("api sched_hangup +14400 " + uuid + " ALLOTTED_TIMEOUT");

        LocalFreeSwitch.Command hello = app("speak");
        assertThat(hello.header("execute-app-arg")).isEqualTo("flite|kal|Hello from Acme.");
        complete(hello);
        assertThat(app("speak").header("execute-app-arg")).isEqualTo("flite|kal|Press 1 to leave a message.");
        LocalFreeSwitch.Command gather = app("play_and_get_digits");
        assertThat(gather.header("execute-app-arg")).isEqualTo("1 1 1 5000 # silence_stream://250"
                + " silence_stream://250 irisx_digits [0-9*#]+ 5000");
        channel("DTMF", "DTMF-Digit", "1", "DTMF-Duration", "2000");
        complete(gather, "variable_irisx_digits", "1");

        LocalFreeSwitch.Command record = app("record");
        String path = "/var/lib/freeswitch/recordings/" + uuid + "-3.wav";
        assertThat(record.header("execute-app-arg")).isEqualTo(path + " 30 200 5");
        channel("RECORD_STOP", "Record-File-Path", path, "variable_record_seconds", "7");
        complete(record);
        complete(app("speak"));
        app("hangup");
        channel("CHANNEL_HANGUP_COMPLETE", "Hangup-Cause", "NORMAL_CLEARING", "variable_hangup_cause_q850", "16",
                "variable_billsec", "42", "variable_answer_epoch", "1893456000");
        await().atMost(Duration.ofSeconds(5)).until(() -> acme.get(id).status() == CallStatus.COMPLETED);

        Call call = acme.get(id);
        assertThat(call.duration()).contains(Duration.ofSeconds(42));
        assertThat(call.providerStatus()).contains("normal_clearing");
        assertThat(steps).containsExactly("hello", "menu", "message", "thanks");
        assertThat(acme.recordings(id)).singleElement().satisfies(recording -> {
            assertThat(recording.url()).isEqualTo("https://media.acme.example/recordings/" + uuid + "-3.wav");
            assertThat(recording.duration()).contains(Duration.ofSeconds(7));
            assertThat(recording.channels()).isEqualTo(1);
        });

        // Late and repeated events change nothing: never backwards, each status once.
        channel("CHANNEL_ANSWER", "Answer-State", "answered");
        channel("CHANNEL_PROGRESS");
        channel("CHANNEL_HANGUP_COMPLETE", "Hangup-Cause", "NORMAL_CLEARING", "variable_billsec", "43");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> acme.get(id).status() == CallStatus.COMPLETED);
        assertThat(history()).containsExactly(CallStatus.QUEUED, CallStatus.INITIATED, CallStatus.RINGING,
                CallStatus.IN_PROGRESS, CallStatus.COMPLETED);
        assertThat(acme.get(id).duration()).contains(Duration.ofSeconds(42));
        assertThat(freeswitch.commands).noneMatch(command -> command.line().startsWith("sendmsg"));
    }

    @Test
    void no_input_retries_the_gather_then_takes_its_otherwise_branch() throws Exception {
        placed(RecordingMode.NONE);
        channel("CHANNEL_ANSWER", "Answer-State", "answered");
        complete(app("speak"));
        complete(app("play_and_get_digits"));
        LocalFreeSwitch.Command again = app("play_and_get_digits");
        complete(again, "variable_irisx_digits", "9");
        complete(app("speak"));
        app("hangup");

        assertThat(steps).containsExactly("hello", "menu", "menu", "bye", "end");
    }

    @Test
    void a_busy_line_reported_by_the_originate_job_makes_the_call_busy() throws Exception {
        freeswitch.bgapi(command -> "-ERR USER_BUSY\n");
        placed(RecordingMode.NONE);

        await().atMost(Duration.ofSeconds(5)).until(() -> acme.get(id).status() == CallStatus.BUSY);
        assertThat(acme.get(id).providerStatus()).contains("user_busy");
        assertThat(history()).containsExactly(CallStatus.QUEUED, CallStatus.INITIATED, CallStatus.BUSY);
    }

    @Test
    void an_unanswered_call_ends_no_answer_and_one_hung_up_by_irisx_is_canceled() throws Exception {
        placed(RecordingMode.NONE);
        channel("CHANNEL_PROGRESS");
        channel("CHANNEL_HANGUP_COMPLETE", "Hangup-Cause", "NO_ANSWER", "variable_hangup_cause_q850", "19",
                "variable_billsec", "0");
        await().atMost(Duration.ofSeconds(5)).until(() -> acme.get(id).status() == CallStatus.NO_ANSWER);
        assertThat(acme.get(id).errorCode()).contains("19");

        placed(RecordingMode.NONE);
        channel("CHANNEL_PROGRESS");
        await().atMost(Duration.ofSeconds(5)).until(() -> acme.get(id).status() == CallStatus.RINGING);
        acme.hangup(id);
        assertThat(freeswitch.next("api uuid_kill").line()).isEqualTo("api uuid_kill " + uuid);
        channel("CHANNEL_HANGUP_COMPLETE", "Hangup-Cause", "NORMAL_CLEARING", "variable_billsec", "0");
        await().atMost(Duration.ofSeconds(5)).until(() -> acme.get(id).status() == CallStatus.CANCELED);
    }

    @Test
    void a_call_recorded_whole_runs_record_session_and_its_recording_is_stored_with_two_channels() throws Exception {
        placed(RecordingMode.DUAL);
        channel("CHANNEL_ANSWER", "Answer-State", "answered");
        assertThat(app("set").header("execute-app-arg")).isEqualTo("RECORD_STEREO=true");
        String path = "/var/lib/freeswitch/recordings/" + uuid + ".wav";
        assertThat(app("record_session").header("execute-app-arg")).isEqualTo(path);
        channel("RECORD_STOP", "Record-File-Path", path, "variable_record_seconds", "12");

        await().atMost(Duration.ofSeconds(5)).until(() -> acme.recordings(id).size() == 1);
        Recording recording = acme.recordings(id).get(0);
        assertThat(recording.channels()).isEqualTo(2);
        assertThat(recording.url()).isEqualTo("https://media.acme.example/recordings/" + uuid + ".wav");
    }

    @Test
    void a_call_in_progress_goes_on_after_the_event_socket_drops_and_reconnects() throws Exception {
        freeswitch.dropAt("speak", true);
        placed(RecordingMode.NONE);
        channel("CHANNEL_ANSWER", "Answer-State", "answered");
        LocalFreeSwitch.Command hello = app("speak");

        assertThat(freeswitch.next("auth").line()).isEqualTo("auth " + PASSWORD);
        assertThat(freeswitch.next("event plain").line()).contains("CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE",
                "CHANNEL_EXECUTE_COMPLETE", "DTMF", "RECORD_STOP", "BACKGROUND_JOB");
        assertThat(freeswitch.next("api uuid_exists").line()).isEqualTo("api uuid_exists " + uuid);
        complete(hello);
        LocalFreeSwitch.Command gather = app("play_and_get_digits");
        complete(gather, "variable_irisx_digits", "2");
        LocalFreeSwitch.Command again = app("play_and_get_digits");
        complete(again, "variable_irisx_digits", "1");
        app("record");

        assertThat(steps).containsExactly("hello", "menu", "menu", "message");
        assertThat(freeswitch.connections.get()).isEqualTo(2);
    }

    @Test
    void a_step_whose_command_was_lost_with_the_connection_is_sent_again_once_reconnected() throws Exception {
        freeswitch.dropAt("speak", false);
        placed(RecordingMode.NONE);
        channel("CHANNEL_ANSWER", "Answer-State", "answered");
        app("speak");

        assertThat(freeswitch.next("api uuid_exists").line()).isEqualTo("api uuid_exists " + uuid);
        LocalFreeSwitch.Command hello = app("speak");
        assertThat(hello.header("execute-app-arg")).isEqualTo("flite|kal|Hello from Acme.");
        complete(hello);
        app("play_and_get_digits");

        assertThat(steps).containsExactly("hello", "hello", "menu");
    }

    @Test
    void a_redirected_call_breaks_what_it_runs_and_runs_the_other_flow() throws Exception {
        placed(RecordingMode.NONE);
        channel("CHANNEL_ANSWER", "Answer-State", "answered");
        LocalFreeSwitch.Command hello = app("speak");

        acme.redirect(id, "closing");

        assertThat(freeswitch.next("api uuid_break").line()).isEqualTo("api uuid_break " + uuid + " all");
        LocalFreeSwitch.Command closed = app("speak");
        assertThat(closed.header("execute-app-arg")).isEqualTo("flite|kal|We are closed now.");
        complete(hello);
        complete(closed);
        app("hangup");
        assertThat(steps).containsExactly("hello", "closed");
        assertThat(acme.get(id).flow()).contains("closing");
    }

    @Test
    void a_call_that_runs_a_url_is_refused_for_good() {
        CallId url = acme.call(CallRequest.builder().to("07400 123456").from("+447400654321")
                .url("https://hooks.acme.example/twiml").build());

        await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(url).status() == CallStatus.FAILED);
        assertThat(acme.get(url).lastError()).hasValueSatisfying(error -> assertThat(error)
                .contains("FreeSWITCH runs IRISX flows only"));
    }

    @Test
    void events_subscribed_in_json_drive_a_call_as_plain_ones_do() throws Exception {
        fixture.close();
        freeswitch.close();
        freeswitch = new LocalFreeSwitch(PASSWORD).bgapi(command -> "+OK " + uuidOf(command.line()) + "\n")
                .api(command -> "+OK\n");
        fixture = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder().defaultRegion("GB").flow(IVR)
                .flow(CLOSING).pollInterval(Duration.ofMillis(20))
                .provider(FreeSwitchVoiceProvider.builder("127.0.0.1", freeswitch.port(), PASSWORD)
                        .dialString("sofia/gateway/main/{number}").eventFormat("json").build()).build());
        acme = fixture.voice("acme");
        placed(RecordingMode.NONE);
        assertThat(freeswitch.format()).isEqualTo("json");

        channel("CHANNEL_ANSWER", "Answer-State", "answered");
        complete(app("speak"));
        complete(app("play_and_get_digits"), "variable_irisx_digits", "1");
        complete(app("record"));
        complete(app("speak"));
        app("hangup");
        channel("CHANNEL_HANGUP_COMPLETE", "Hangup-Cause", "NORMAL_CLEARING", "variable_billsec", "9");

        await().atMost(Duration.ofSeconds(5)).until(() -> acme.get(id).status() == CallStatus.COMPLETED);
        assertThat(acme.get(id).duration()).contains(Duration.ofSeconds(9));
        assertThat(steps).containsExactly("hello", "menu", "message", "thanks");
    }

    @Test
    void a_refused_password_fails_calls_for_good_without_showing_the_password() throws Exception {
        try (LocalFreeSwitch other = new LocalFreeSwitch(PASSWORD);
                VoiceFixture wrong = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder()
                        .defaultRegion("GB").flow(IVR).pollInterval(Duration.ofMillis(20))
                        .provider(FreeSwitchVoiceProvider.builder("127.0.0.1", other.port(), "not-the-password-9")
                                .dialString("sofia/gateway/main/{number}").build()).build())) {
            Voice voice = wrong.voice("acme");
            CallId call = voice.call(CallRequest.builder().to("07400 123456").from("+447400654321").flow("ivr")
                    .build());

            await().atMost(Duration.ofSeconds(20)).until(() -> voice.get(call).status() == CallStatus.FAILED);
            assertThat(voice.get(call).lastError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("freeswitch 401 [permanent]").contains("refused the Event Socket password (not shown)")
                    .doesNotContain("not-the-password-9"));
            assertThat(other.connections.get()).isEqualTo(1);
        }
    }

    @Test
    void the_builder_names_a_bad_dial_string_and_requires_one() {
        assertThatIllegalStateException().isThrownBy(() -> FreeSwitchVoiceProvider.builder("127.0.0.1", 8021, "x")
                .build()).withMessageContaining("dialString");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() ->
                FreeSwitchVoiceProvider.builder("127.0.0.1", 8021, "x").dialString("sofia/gateway/main/"))
                .withMessageContaining("'sofia/gateway/main/'");
    }
}

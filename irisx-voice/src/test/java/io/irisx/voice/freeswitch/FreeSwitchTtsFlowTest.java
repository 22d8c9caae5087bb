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
import io.irisx.voice.CallRequest;
import io.irisx.voice.CallStatus;
import io.irisx.voice.Voice;
import io.irisx.voice.VoiceFixture;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.Prompt;
import io.irisx.voice.freeswitch.internal.LocalFreeSwitch;
import io.irisx.voice.tts.ScriptedTtsProvider;
import io.irisx.voice.tts.TextToSpeech;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * {@link FreeSwitchVoiceProvider} on a module with text-to-speech, against {@link LocalFreeSwitch} (mod_event_socket's
 * inbound protocol byte by byte): a say prompt that names no voice is sent as {@code playback} of its synthesized
 * audio's https URL (mod_httapi's {@code https://} file format,
 * https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Modules/mod_httapi_1049009/), a prompt with a voice
 * of its own as {@code speak} (mod_dptools, .../Modules/mod-dptools/); the characters a provider billed are metered
 * once, and the same prompt on the next call is found in the cache and bills nothing. On each database.
 */
@OnEachDialect
class FreeSwitchTtsFlowTest {

    private static final String PASSWORD = "ClueCon-tts";
    private static final String AUDIO_URL = "https://media.acme.example/irisx/tts/";
    private static final String WELCOME = "Welcome to Acme. Your order has shipped.";
    private static final Pattern AUDIO = Pattern.compile(Pattern.quote(AUDIO_URL) + "[0-9a-f]{64}\\.mp3");
    private static final Flow NOTICE = Flow.builder("notice")
            .say("welcome", WELCOME)
            .say("bye", new Prompt.Speech("Goodbye.", Optional.of("slt"), Optional.empty()))
            .hangup("end")
            .build();

    @Parameter
    Database.Dialect dialect;
    @TempDir
    Path cacheDirectory;
    private final ScriptedTtsProvider openai = new ScriptedTtsProvider("openai", 4096);
    private LocalFreeSwitch freeswitch;
    private TextToSpeech tts;
    private VoiceFixture fixture;
    private Voice acme;

    @BeforeEach
    void start() throws Exception {
        freeswitch = new LocalFreeSwitch(PASSWORD)
                .bgapi(command -> "+OK " + FreeSwitchVoiceProviderTest.uuidOf(command.line()) + "\n")
                .api(command -> "+OK\n");
        tts = TextToSpeech.builder().provider(openai, "alloy").audioUrl(AUDIO_URL)
                .cacheDirectory(cacheDirectory, 1 << 20).build();
        fixture = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder().defaultRegion("GB")
                .provider(FreeSwitchVoiceProvider.builder("127.0.0.1", freeswitch.port(), PASSWORD)
                        .dialString("sofia/gateway/main/{number}").replyTimeout(Duration.ofSeconds(5)).build())
                .flow(NOTICE).tts(tts).pollInterval(Duration.ofMillis(20)).build());
        acme = fixture.voice("acme");
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        freeswitch.close();
    }

    /** Places a call, answers it, and returns the applications FreeSWITCH is asked to run, up to its hang-up. */
    private List<LocalFreeSwitch.Command> answeredCall() throws Exception {
        CallId id = acme.call(CallRequest.builder().to("07400 123456").from("+447400654321").flow("notice").build());
        String uuid = FreeSwitchVoiceProviderTest.uuidOf(freeswitch.next("bgapi originate").line());
        await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).status() == CallStatus.INITIATED);
        freeswitch.event(headers("Event-Name", "CHANNEL_ANSWER", "Unique-ID", uuid, "Answer-State", "answered"), "");
        List<LocalFreeSwitch.Command> apps = new ArrayList<>();
        while (true) {
            LocalFreeSwitch.Command app = freeswitch.next("sendmsg " + uuid);
            String name = app.header("execute-app-name");
            if (!name.equals("set")) {
                apps.add(app);
            }
            if (name.equals("hangup")) {
                return apps;
            }
            if (!name.equals("set")) {
                freeswitch.event(headers("Event-Name", "CHANNEL_EXECUTE_COMPLETE", "Unique-ID", uuid, "Application",
                        name, "Application-Data", app.header("execute-app-arg"), "Application-UUID",
                        app.header("Event-UUID")), "");
            }
        }
    }

    @Test
    void a_say_prompt_without_a_voice_is_played_from_its_audio_url_and_its_characters_are_metered_once()
            throws Exception {
        List<LocalFreeSwitch.Command> first = answeredCall();

        assertThat(first).extracting(app -> app.header("execute-app-name"))
                .containsExactly("playback", "speak", "hangup");
        String url = first.get(0).header("execute-app-arg");
        assertThat(url).matches(AUDIO);
        // A prompt with a voice of its own is left to FreeSWITCH's own text-to-speech.
        assertThat(first.get(1).header("execute-app-arg")).isEqualTo("flite|slt|Goodbye.");
        assertThat(openai.texts()).containsExactly(WELCOME);
        // The URL serves the audio, as the host mounts TextToSpeech.serve there.
        CallbackResponse audio = tts.serve(new CallbackRequest("GET", "/irisx/tts/" + url.substring(AUDIO_URL
                .length()), Map.of(), new byte[0]));
        assertThat(audio.status()).isEqualTo(200);
        assertThat(audio.headers()).containsEntry("Content-Type", "audio/mpeg");

        // The next call plays the cached audio: nothing is synthesized or metered again.
        List<LocalFreeSwitch.Command> second = answeredCall();
        assertThat(second.get(0).header("execute-app-arg")).isEqualTo(url);
        assertThat(openai.texts()).hasSize(1);
        assertThat(usage()).singleElement().satisfies(row -> assertThat(row)
                .matches("tts_[0-9a-f]{64}\\.[0-9]+:TTS_CHARACTER acme TTS_CHARACTER " + WELCOME.length()));
    }

    @Test
    void when_no_provider_can_synthesize_freeswitch_speaks_the_prompt_and_nothing_is_metered() throws Exception {
        openai.failNextRetryably();

        List<LocalFreeSwitch.Command> apps = answeredCall();

        assertThat(apps.get(0).header("execute-app-name")).isEqualTo("speak");
        assertThat(apps.get(0).header("execute-app-arg")).isEqualTo("flite|kal|" + WELCOME);
        assertThat(usage()).isEmpty();
    }

    private List<String> usage() {
        return fixture.database.withConnection(connection -> {
            List<String> rows = new ArrayList<>();
            try (java.sql.ResultSet rs = connection.createStatement().executeQuery("SELECT idempotency_key,"
                    + " tenant_id, unit, quantity FROM irisx_usage ORDER BY idempotency_key")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getLong(4));
                }
            }
            return rows;
        });
    }
}

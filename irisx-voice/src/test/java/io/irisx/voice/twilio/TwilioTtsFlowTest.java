package io.irisx.voice.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.voice.VoiceFixture;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.SampleFlows;
import io.irisx.voice.tts.ScriptedTtsProvider;
import io.irisx.voice.tts.TextToSpeech;
import io.irisx.voice.tts.internal.Mp3;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * A flow's say prompts spoken through the module's text-to-speech: Twilio's voice webhook (signed as
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security documents) is answered with {@code <Play>} of the
 * synthesized audio's URL where a prompt names no voice, the host's handler serves that audio, and the characters
 * billed are metered per tenant once per synthesis. On each database.
 */
@OnEachDialect
class TwilioTtsFlowTest {

    private static final String TOKEN = LocalTwilio.AUTH_TOKEN;
    private static final String AUDIO_URL = "https://hooks.acme.example/irisx/tts/";
    private static final String MENU = "For sales, press 1. To leave a message, press 2.";
    private static final Pattern PLAY = Pattern.compile("<Play>" + Pattern.quote(AUDIO_URL) + "([0-9a-f]{64}\\.mp3)"
            + "</Play>");

    @Parameter
    Database.Dialect dialect;
    @TempDir
    Path cacheDirectory;
    private final ScriptedTtsProvider openai = new ScriptedTtsProvider("openai", 4096);
    private final ScriptedTtsProvider polly = new ScriptedTtsProvider("polly", 3000);
    private TextToSpeech tts;
    private VoiceFixture fixture;

    @BeforeEach
    void start() {
        tts = TextToSpeech.builder().provider(openai, "alloy").provider(polly, "Joanna").audioUrl(AUDIO_URL)
                .cacheDirectory(cacheDirectory, 1 << 20).build();
        fixture = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder().queueOnly()
                .flow(SampleFlows.SUPPORT).flow(SampleFlows.SURVEY).tts(tts).build());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Twilio's voice webhook for an inbound call to {@code tenant}'s number, signed. */
    private CallbackResponse answer(String tenant) {
        String flowUrl = "https://hooks.acme.example/voice/" + tenant + "/twilio";
        TwilioVoiceCallbacks callbacks = TwilioVoiceCallbacks.builder(fixture.irisx.tenant(tenant), TOKEN)
                .flowUrl(flowUrl).inboundFlow("support").build();
        return callbacks.flow(LocalTwilio.Webhook.voice(LocalTwilio.sid(1), "ringing", "inbound").to(flowUrl));
    }

    @Test
    void aPromptWithoutAVoiceIsPlayedFromItsSynthesizedAudio() {
        String twiml = answer("acme").bodyText();

        // The welcome names Polly.Amy: Twilio speaks it. The menu names no voice: its audio is played.
        assertThat(twiml).contains("<Say language=\"en-GB\" voice=\"Polly.Amy\">Thanks for calling Acme &amp; Co.</Say>")
                .doesNotContain(MENU);
        Matcher play = PLAY.matcher(twiml);
        assertThat(play.find()).isTrue();
        assertThat(twiml.indexOf("<Gather")).isLessThan(play.start());
        assertThat(openai.texts()).containsExactly(MENU);

        CallbackResponse audio = tts.serve(new CallbackRequest("GET", "/irisx/tts/" + play.group(1), Map.of(),
                new byte[0]));
        assertThat(audio.status()).isEqualTo(200);
        assertThat(audio.headers()).containsEntry("Content-Type", "audio/mpeg");
        assertThat(Mp3.frames(audio.body())).isNotEmpty();
    }

    @Test
    void billedCharactersAreMeteredOncePerSynthesisAndCacheHitsBillNothing() {
        String first = answer("acme").bodyText();
        String again = answer("acme").bodyText();
        String otherTenant = answer("globex").bodyText();

        assertThat(again).isEqualTo(first);
        // The same text in the same voice is the same audio, at the same address, whichever tenant plays it.
        assertThat(played(otherTenant)).isEqualTo(played(first));
        assertThat(openai.texts()).hasSize(1);
        List<String> usage = usage();
        assertThat(usage).hasSize(1);
        assertThat(usage.get(0)).matches("tts_[0-9a-f]{64}\\.[0-9]+:TTS_CHARACTER acme TTS_CHARACTER " + MENU.length());
    }

    @Test
    void whenNoProviderCanSynthesizeTwilioSpeaksThePromptAndNothingIsMetered() {
        openai.failNextRetryably();
        polly.failNextRetryably();

        String twiml = answer("acme").bodyText();

        assertThat(twiml).contains("<Say>" + MENU + "</Say>").doesNotContain(AUDIO_URL);
        assertThat(usage()).isEmpty();
        assertThat(fixture.irisx.health().checks()).anySatisfy(check -> assertThat(check.name()).isEqualTo("tts"));
    }

    private static String played(String twiml) {
        Matcher play = PLAY.matcher(twiml);
        assertThat(play.find()).isTrue();
        return play.group(1);
    }

    /** The usage records, as {@code key tenant unit quantity}. */
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

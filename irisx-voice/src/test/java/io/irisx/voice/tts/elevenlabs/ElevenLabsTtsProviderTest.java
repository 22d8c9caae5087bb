package io.irisx.voice.tts.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.ProviderException;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.LocalHttp;
import io.irisx.voice.tts.TestAudio;
import io.irisx.voice.tts.TtsAudio;
import io.irisx.voice.tts.TtsProviderContract;
import io.irisx.voice.tts.spi.TtsProvider;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link ElevenLabsTtsProvider} against a local server speaking ElevenLabs' "Create speech" wire format, as
 * documented at elevenlabs.io/docs/api-reference/text-to-speech/convert ({@code POST /v1/text-to-speech/{voice_id}},
 * {@code xi-api-key}, {@code output_format} query parameter, JSON {@code text} and {@code model_id}; the audio as the
 * body, with {@code request-id} and {@code x-character-count} headers) and its error bodies
 * ({@code {"detail":{"status","message"}}}).
 */
class ElevenLabsTtsProviderTest extends TtsProviderContract {

    private static final String KEY = "sk_3f9b2c7d1e4a5b6c8d9e0f1a";
    private static final String VOICE = "21m00Tcm4TlvDq8ikWAM";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected TtsProvider provider(String baseUrl) {
        return ElevenLabsTtsProvider.builder(KEY).baseUrl(baseUrl).build();
    }

    @Override
    protected String voice() {
        return VOICE;
    }

    @Override
    protected int pcmSampleRate() {
        return 16_000;
    }

    @Override
    protected void answerSpeech(byte[] audio, boolean mp3, String text) {
        server.answer(new LocalHttp.Answer(200, Map.of("Content-Type", mp3 ? "audio/mpeg" : "audio/pcm",
                "request-id", "d1b2c3", "x-character-count", String.valueOf(text.length())), audio));
    }

    @Override
    protected void answerRateLimited() {
        server.answer(LocalHttp.Answer.json(429, "{\"detail\":{\"status\":\"too_many_concurrent_requests\","
                + "\"message\":\"Too many concurrent requests.\"}}"));
    }

    @Override
    protected void answerServerError() {
        server.answer(LocalHttp.Answer.json(503, "{\"detail\":{\"status\":\"system_busy\",\"message\":\"We are"
                + " currently experiencing heavy traffic.\"}}"));
    }

    @Override
    protected void answerUnknownVoice() {
        server.answer(LocalHttp.Answer.json(404, "{\"detail\":{\"status\":\"voice_not_found\",\"message\":\"A voice"
                + " with the voice_id no-such-voice was not found.\"}}"));
    }

    @Override
    protected void answerBadKey() {
        server.answer(LocalHttp.Answer.json(401, "{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid"
                + " API key\"}}"));
    }

    @Test
    void postsTheDocumentedRequest() throws Exception {
        answerSpeech(TestAudio.frames(2, 1), true, "Welcome to Acme.");

        provider().synthesize("Welcome to Acme.", VOICE, Optional.empty(), AudioFormat.MP3);

        LocalHttp.Received request = server.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/text-to-speech/" + VOICE);
        assertThat(request.query()).isEqualTo("output_format=mp3_44100_128");
        assertThat(request.header("xi-api-key")).isEqualTo(KEY);
        assertThat(request.header("Accept")).isEqualTo("audio/mpeg");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree(
                "{\"text\":\"Welcome to Acme.\",\"model_id\":\"eleven_multilingual_v2\"}"));
    }

    @Test
    void asksForPcmAt16kHzWhenWavIsWanted() {
        answerSpeech(TestAudio.pcm16(10, 0), false, "Hi.");

        provider().synthesize("Hi.", VOICE, Optional.empty(), AudioFormat.WAV);

        assertThat(server.only().query()).isEqualTo("output_format=pcm_16000");
    }

    @Test
    void billsTheCharactersElevenLabsCounts() {
        server.answer(new LocalHttp.Answer(200, Map.of("Content-Type", "audio/mpeg", "x-character-count", "7"),
                TestAudio.frames(1, 1)));

        TtsAudio audio = provider().synthesize("Hello there, Acme.", VOICE, Optional.empty(), AudioFormat.MP3);

        assertThat(audio.billedCharacters()).isEqualTo(7);
    }

    @Test
    void anExhaustedQuotaIsPermanent() {
        server.answer(LocalHttp.Answer.json(401, "{\"detail\":{\"status\":\"quota_exceeded\",\"message\":\"This"
                + " request exceeds your quota.\"}}"));

        assertThatThrownBy(() -> provider().synthesize("Hi.", VOICE, Optional.empty(), AudioFormat.MP3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getMessage()).contains("quota_exceeded: This request exceeds your quota.");
                });
    }

    @Test
    void aValidationErrorNamesTheField() {
        server.answer(LocalHttp.Answer.json(422, "{\"detail\":[{\"loc\":[\"body\",\"model_id\"],"
                + "\"msg\":\"unknown model\",\"type\":\"value_error\"}]}"));

        assertThatThrownBy(() -> provider().synthesize("Hi.", VOICE, Optional.empty(), AudioFormat.MP3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getMessage()).contains("unknown model").contains("model_id");
                });
    }
}

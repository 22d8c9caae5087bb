package io.irisx.voice.tts.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.irisx.core.ProviderException;
import io.irisx.voice.tts.AudioFormat;
import io.irisx.voice.tts.LocalHttp;
import io.irisx.voice.tts.TestAudio;
import io.irisx.voice.tts.TtsProviderContract;
import io.irisx.voice.tts.spi.TtsProvider;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiTtsProvider} against a local server speaking OpenAI's "Create speech" wire format, as documented at
 * platform.openai.com/docs/api-reference/audio/createSpeech ({@code POST /v1/audio/speech}, Bearer key, JSON
 * {@code model}, {@code input}, {@code voice}, {@code response_format}; the audio as the body) and
 * platform.openai.com/docs/guides/error-codes ({@code {"error":{"message","type","param","code"}}}).
 */
class OpenAiTtsProviderTest extends TtsProviderContract {

    private static final String KEY = "sk-test-3f9b2c7d1e4a5b6c";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected TtsProvider provider(String baseUrl) {
        return OpenAiTtsProvider.builder(KEY).baseUrl(baseUrl).build();
    }

    @Override
    protected String voice() {
        return "alloy";
    }

    @Override
    protected int pcmSampleRate() {
        return 24_000;
    }

    @Override
    protected void answerSpeech(byte[] audio, boolean mp3, String text) {
        server.answer(new LocalHttp.Answer(200, Map.of("Content-Type", mp3 ? "audio/mpeg" : "audio/pcm",
                "x-request-id", "req_7f3a"), audio));
    }

    @Override
    protected void answerRateLimited() {
        server.answer(LocalHttp.Answer.json(429, "{\"error\":{\"message\":\"Rate limit reached for requests\","
                + "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"));
    }

    @Override
    protected void answerServerError() {
        server.answer(LocalHttp.Answer.json(500, "{\"error\":{\"message\":\"The server had an error while processing"
                + " your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
    }

    @Override
    protected void answerUnknownVoice() {
        server.answer(LocalHttp.Answer.json(400, "{\"error\":{\"message\":\"Invalid value: 'no-such-voice'."
                + " Supported values are: 'alloy', 'ash', 'coral'.\",\"type\":\"invalid_request_error\","
                + "\"param\":\"voice\",\"code\":\"invalid_value\"}}"));
    }

    @Override
    protected void answerBadKey() {
        server.answer(LocalHttp.Answer.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-***.\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"));
    }

    @Test
    void postsTheDocumentedRequest() throws Exception {
        answerSpeech(TestAudio.frames(2, 1), true, "Welcome to Acme.");

        provider().synthesize("Welcome to Acme.", "coral", Optional.of("en-GB"), AudioFormat.MP3);

        LocalHttp.Received request = server.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/audio/speech");
        assertThat(request.query()).isNull();
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body).isEqualTo(JSON.readTree("{\"model\":\"gpt-4o-mini-tts\",\"input\":\"Welcome to Acme.\","
                + "\"voice\":\"coral\",\"response_format\":\"mp3\"}"));
    }

    @Test
    void asksForPcmWhenWavIsWanted() throws Exception {
        answerSpeech(TestAudio.pcm16(10, 0), false, "Hi.");

        provider().synthesize("Hi.", "alloy", Optional.empty(), AudioFormat.WAV);

        assertThat(JSON.readTree(server.only().body()).get("response_format").asText()).isEqualTo("pcm");
    }

    @Test
    void anExhaustedQuotaIsPermanentThoughAnsweredWith429() {
        server.answer(LocalHttp.Answer.json(429, "{\"error\":{\"message\":\"You exceeded your current quota.\","
                + "\"type\":\"insufficient_quota\",\"param\":null,\"code\":\"insufficient_quota\"}}"));

        assertThatThrownBy(() -> provider().synthesize("Hi.", "alloy", Optional.empty(), AudioFormat.MP3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.getMessage()).contains("insufficient_quota").doesNotContain(KEY);
                });
    }

    @Test
    void theRequestIdAndTheErrorTextAreKept() {
        server.answer(new LocalHttp.Answer(400, Map.of("Content-Type", "application/json", "x-request-id", "req_1"),
                ("{\"error\":{\"message\":\"Invalid value: 'x'.\",\"type\":\"invalid_request_error\","
                        + "\"param\":\"voice\",\"code\":\"invalid_value\"}}").getBytes()));

        assertThatThrownBy(() -> provider().synthesize("Hi.", "x", Optional.empty(), AudioFormat.MP3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.requestId()).contains("req_1");
                    assertThat(e.getMessage()).contains("invalid_request_error/invalid_value: Invalid value: 'x'.");
                });
    }
}

package io.irisx.voice.tts.polly;

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
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link PollyTtsProvider}, through the AWS SDK, against a local server speaking Polly's REST-JSON wire format as
 * documented at docs.aws.amazon.com/polly/latest/dg/API_SynthesizeSpeech.html ({@code POST /v1/speech}, a SigV4
 * {@code Authorization} header, JSON {@code Engine}, {@code LanguageCode}, {@code OutputFormat}, {@code SampleRate},
 * {@code Text}, {@code TextType}, {@code VoiceId}; the audio stream as the body with {@code Content-Type} and
 * {@code x-amzn-RequestCharacters}) and docs.aws.amazon.com/polly/latest/dg/CommonErrors.html (the error's type in
 * {@code x-amzn-ErrorType}, its text in a JSON {@code message}).
 */
class PollyTtsProviderTest extends TtsProviderContract {

    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected TtsProvider provider(String baseUrl) {
        return PollyTtsProvider.builder("us-east-1").credentials(KEY_ID, SECRET).endpoint(baseUrl).build();
    }

    @Override
    protected String voice() {
        return "Joanna";
    }

    @Override
    protected int pcmSampleRate() {
        return 16_000;
    }

    @Override
    protected void answerSpeech(byte[] audio, boolean mp3, String text) {
        server.answer(new LocalHttp.Answer(200, Map.of("Content-Type", mp3 ? "audio/mpeg" : "audio/pcm",
                "x-amzn-RequestCharacters", String.valueOf(text.length()),
                "x-amzn-RequestId", "9b2f6c1e-0d7a-4c3b-8e5f-1a2b3c4d5e6f"), audio));
    }

    private void error(int status, String type, String message) {
        server.answer(new LocalHttp.Answer(status, Map.of("Content-Type", "application/json",
                "x-amzn-ErrorType", type, "x-amzn-RequestId", "5e6f7a8b-0d7a-4c3b-8e5f-1a2b3c4d5e6f"),
                ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    protected void answerRateLimited() {
        error(400, "ThrottlingException", "Rate exceeded");
    }

    @Override
    protected void answerServerError() {
        error(500, "ServiceFailureException", "An unknown condition has caused a service failure.");
    }

    @Override
    protected void answerUnknownVoice() {
        error(400, "ValidationException", "1 validation error detected: Value 'no-such-voice' at 'voiceId' failed"
                + " to satisfy constraint: Member must satisfy enum value set");
    }

    @Override
    protected void answerBadKey() {
        error(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    @Test
    void postsTheDocumentedSignedRequest() throws Exception {
        answerSpeech(TestAudio.frames(2, 1), true, "Welcome to Acme.");

        provider().synthesize("Welcome to Acme.", "Amy", Optional.of("en-GB"), AudioFormat.MP3);

        LocalHttp.Received request = server.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/speech");
        assertThat(request.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/")
                .contains("/us-east-1/polly/aws4_request").contains("Signature=").doesNotContain(SECRET);
        assertThat(request.header("X-Amz-Date")).matches("[0-9]{8}T[0-9]{6}Z");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"Engine\":\"standard\","
                + "\"LanguageCode\":\"en-GB\",\"OutputFormat\":\"mp3\",\"Text\":\"Welcome to Acme.\","
                + "\"TextType\":\"text\",\"VoiceId\":\"Amy\"}"));
    }

    @Test
    void asksForPcmAt16kHzWhenWavIsWanted() throws Exception {
        answerSpeech(TestAudio.pcm16(10, 0), false, "Hi.");

        provider().synthesize("Hi.", "Joanna", Optional.empty(), AudioFormat.WAV);

        assertThat(JSON.readTree(server.only().body())).isEqualTo(JSON.readTree("{\"Engine\":\"standard\","
                + "\"OutputFormat\":\"pcm\",\"SampleRate\":\"16000\",\"Text\":\"Hi.\",\"TextType\":\"text\","
                + "\"VoiceId\":\"Joanna\"}"));
    }

    @Test
    void billsTheCharactersPollyCounts() {
        server.answer(new LocalHttp.Answer(200, Map.of("Content-Type", "audio/mpeg", "x-amzn-RequestCharacters", "5"),
                TestAudio.frames(1, 1)));

        TtsAudio audio = provider().synthesize("Hello there, Acme.", "Joanna", Optional.empty(), AudioFormat.MP3);

        assertThat(audio.billedCharacters()).isEqualTo(5);
    }

    @Test
    void theErrorTypeAndRequestIdAreKept() {
        error(400, "TextLengthExceededException", "Maximum text length has been exceeded");

        assertThatThrownBy(() -> provider().synthesize("Hi.", "Joanna", Optional.empty(), AudioFormat.MP3))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.requestId()).contains("5e6f7a8b-0d7a-4c3b-8e5f-1a2b3c4d5e6f");
                    assertThat(e.getMessage()).contains("TextLengthExceededException: Maximum text length");
                });
    }
}

package io.irisx.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.Irisx;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.examples.readme.TtsSection;
import io.irisx.testing.TwilioSignatures;
import io.irisx.voice.tts.elevenlabs.ElevenLabsTtsProvider;
import io.irisx.voice.tts.openai.OpenAiTtsProvider;
import io.irisx.voice.twilio.TwilioVoiceCallbacks;
import io.irisx.voice.twilio.TwilioVoiceProvider;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's text-to-speech block, run on the embedded defaults: OpenAI's speech endpoint on a local server answers
 * 503 with its documented error body (platform.openai.com/docs/guides/error-codes), so the menu falls back to
 * ElevenLabs' on another, which answers MP3 as elevenlabs.io/docs/api-reference/text-to-speech/convert documents;
 * Twilio's voice webhook, signed as https://www.twilio.com/docs/usage/webhooks/webhooks-security documents, is then
 * answered with {@code <Play>} of the audio, which {@code tts.serve} serves.
 */
class ReadmeTtsExamplesTest {

    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String AUTH_TOKEN = "fedcba9876543210fedcba9876543210";
    private static final String FLOW_URL = "https://hooks.acme.example/voice/acme/twilio";
    private static final Pattern PLAY = Pattern.compile("<Play>https://hooks\\.acme\\.example/irisx/tts/"
            + "([0-9a-f]{64}\\.mp3)</Play>");

    @TempDir
    Path cacheDirectory;

    /** Two MPEG-1 layer III frames (128 kbit/s, 44.1 kHz, 417 bytes each). */
    private static byte[] mp3() {
        byte[] audio = new byte[2 * 417];
        for (int frame = 0; frame < 2; frame++) {
            audio[frame * 417] = (byte) 0xFF;
            audio[frame * 417 + 1] = (byte) 0xFB;
            audio[frame * 417 + 2] = (byte) 0x90;
            audio[frame * 417 + 3] = (byte) 0x44;
        }
        return audio;
    }

    @Test
    @DisplayName("voice-tts: the menu is synthesized by the second provider when the first fails, and played")
    void voiceTts() throws Exception {
        EmbeddedDefaults.clean();
        try (MockWebServer openAi = new MockWebServer(); MockWebServer elevenLabs = new MockWebServer()) {
            openAi.enqueue(new MockResponse.Builder().code(503).addHeader("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"The engine is currently overloaded.\",\"type\":\"server_error\","
                            + "\"param\":null,\"code\":null}}").build());
            elevenLabs.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/mpeg")
                    .addHeader("x-character-count", "19").body(new Buffer().write(mp3())).build());
            openAi.start(InetAddress.getByName("127.0.0.1"), 0);
            elevenLabs.start(InetAddress.getByName("127.0.0.1"), 0);
            TwilioVoiceProvider twilio = TwilioVoiceProvider.builder(ACCOUNT_SID, AUTH_TOKEN)
                    .flowUrl("https://hooks.acme.example/voice/{tenant}/twilio").build();

            TtsSection.Spoken spoken = TtsSection.tts(twilio,
                    OpenAiTtsProvider.builder("sk-test-0123456789").baseUrl("http://127.0.0.1:" + openAi.getPort())
                            .build(),
                    ElevenLabsTtsProvider.builder("sk_0123456789abcdef")
                            .baseUrl("http://127.0.0.1:" + elevenLabs.getPort()).build(),
                    "a hash key of thirty-two bytes!!".getBytes(StandardCharsets.US_ASCII), cacheDirectory);

            try (Irisx irisx = spoken.irisx()) {
                TwilioVoiceCallbacks callbacks = TwilioVoiceCallbacks.builder(irisx.tenant("acme"), AUTH_TOKEN)
                        .flowUrl(FLOW_URL).inboundFlow("support").build();
                Map<String, String> ringing = new LinkedHashMap<>();
                ringing.put("AccountSid", ACCOUNT_SID);
                ringing.put("CallSid", "CA" + "00112233445566778899aabbccddeeff");
                ringing.put("CallStatus", "ringing");
                String twiml = callbacks.flow(TwilioSignatures.signed(AUTH_TOKEN, FLOW_URL, ringing).as(
                        (headers, body) -> new CallbackRequest("POST", "/voice/acme/twilio", "", headers,
                                body.getBytes(StandardCharsets.UTF_8), ""))).bodyText();

                Matcher play = PLAY.matcher(twiml);
                assertThat(play.find()).as(twiml).isTrue();
                RecordedRequest failed = openAi.takeRequest();
                assertThat(failed.getTarget()).isEqualTo("/v1/audio/speech");
                RecordedRequest synthesized = elevenLabs.takeRequest();
                assertThat(synthesized.getTarget())
                        .isEqualTo("/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM?output_format=mp3_44100_128");
                assertThat(synthesized.getBody().utf8()).contains("\"text\":\"For sales, press 1.\"");

                CallbackResponse audio = spoken.tts().serve(new CallbackRequest("GET", "/irisx/tts/" + play.group(1),
                        Map.of(), new byte[0]));
                assertThat(audio.status()).isEqualTo(200);
                assertThat(audio.headers()).containsEntry("Content-Type", "audio/mpeg");
                assertThat(Arrays.equals(audio.body(), mp3())).isTrue();
            }
        }
    }
}

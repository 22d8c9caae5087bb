package io.irisx.examples;

import static io.irisx.examples.ReadmeExamplesTest.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.Irisx;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.examples.readme.VoiceSection;
import io.irisx.testing.TwilioSignatures;
import io.irisx.voice.Call;
import io.irisx.voice.CallStatus;
import io.irisx.voice.Voice;
import io.irisx.voice.freeswitch.FreeSwitchVoiceProvider;
import io.irisx.voice.twilio.TwilioVoiceProvider;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's voice section, run as the README shows it on the embedded defaults, with the Twilio provider pointed at
 * a local server speaking Twilio's Calls API (https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource:
 * a form POST to {@code /2010-04-01/Accounts/{AccountSid}/Calls.json}, answered 201 with the Call resource), and
 * Twilio's requests to the host signed as https://www.twilio.com/docs/usage/webhooks/webhooks-security documents
 * (the recording status callback's parameters as https://www.twilio.com/docs/voice/api/recording#recordingstatuscallback
 * lists them).
 */
class ReadmeVoiceExamplesTest {

    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String AUTH_TOKEN = "fedcba9876543210fedcba9876543210";
    private static final String CALL_SID = "CA" + "00112233445566778899aabbccddeeff";
    private static final String STATUS_URL = "https://hooks.acme.example/voice/acme/status";
    private static final String FLOW_URL = "https://hooks.acme.example/voice/acme/twilio";
    private static final String RECORDING_URL = "https://hooks.acme.example/voice/acme/recording";
    private static final String RECORDING_SID = "RE" + "8899aabbccddeeff0011223344556677";

    @Test
    @DisplayName("voice: acme's call runs the support flow through Twilio, its statuses and menu answered by the handlers")
    void voice() throws Exception {
        EmbeddedDefaults.clean();
        try (MockWebServer twilio = new MockWebServer()) {
            twilio.enqueue(new MockResponse.Builder().code(201).addHeader("Content-Type", "application/json")
                    .body("{\"account_sid\": \"" + ACCOUNT_SID + "\", \"sid\": \"" + CALL_SID + "\", \"status\":"
                            + " \"queued\", \"direction\": \"outbound-api\", \"to\": \"+447400123456\","
                            + " \"from\": \"+442079460123\", \"api_version\": \"2010-04-01\"}").build());
            twilio.start(InetAddress.getByName("127.0.0.1"), 0);
            TwilioVoiceProvider provider = TwilioVoiceProvider.builder(ACCOUNT_SID, AUTH_TOKEN)
                    .baseUrl("http://127.0.0.1:" + twilio.getPort()).timeout(Duration.ofSeconds(5))
                    .flowUrl("https://hooks.acme.example/voice/{tenant}/twilio")
                    .recordingStatusCallbackUrl("https://hooks.acme.example/voice/{tenant}/recording").build();

            VoiceSection.Placed placed = VoiceSection.voice(provider, AUTH_TOKEN);

            try (Irisx irisx = placed.irisx()) {
                Voice voice = placed.voice();
                Awaitility.await().atMost(TIMEOUT).until(() -> voice.get(placed.id()).status() == CallStatus.INITIATED);
                RecordedRequest request = twilio.takeRequest();
                Map<String, String> form = form(request.getBody().utf8());
                assertThat(form).containsEntry("To", "+447400123456").containsEntry("From", "+442079460123")
                        .containsEntry("Url", FLOW_URL + "?flow=support").containsEntry("StatusCallback", STATUS_URL)
                        .containsEntry("RecordingChannels", "dual").containsEntry("MachineDetection", "Enable")
                        .containsEntry("Timeout", "30").containsEntry("RecordingStatusCallback", RECORDING_URL);

                Map<String, String> answered = new LinkedHashMap<>();
                answered.put("AccountSid", ACCOUNT_SID);
                answered.put("CallSid", CALL_SID);
                answered.put("CallStatus", "in-progress");
                assertThat(placed.twilio().flow(TwilioSignatures.signed(AUTH_TOKEN, FLOW_URL + "?flow=support",
                        answered).as((headers, body) -> new CallbackRequest("POST", "/voice/acme/twilio",
                        "flow=support", headers, body.getBytes(StandardCharsets.UTF_8), ""))).bodyText())
                        .contains("<Say>Thanks for calling Acme.</Say><Gather", "step=menu");

                Map<String, String> completed = new LinkedHashMap<>(answered);
                completed.put("CallStatus", "completed");
                completed.put("CallDuration", "31");
                assertThat(placed.twilio().status(TwilioSignatures.signed(AUTH_TOKEN, STATUS_URL, completed)
                        .as(CallbackRequest::post)).status()).isEqualTo(204);
                Call call = voice.get(placed.id());
                assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
                assertThat(call.duration()).contains(Duration.ofSeconds(31));

                Map<String, String> recorded = new LinkedHashMap<>();
                recorded.put("AccountSid", ACCOUNT_SID);
                recorded.put("CallSid", CALL_SID);
                recorded.put("RecordingSid", RECORDING_SID);
                recorded.put("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/" + ACCOUNT_SID
                        + "/Recordings/" + RECORDING_SID);
                recorded.put("RecordingStatus", "completed");
                recorded.put("RecordingDuration", "29");
                recorded.put("RecordingChannels", "2");
                recorded.put("RecordingSource", "OutboundAPI");
                assertThat(placed.twilio().recording(TwilioSignatures.signed(AUTH_TOKEN, RECORDING_URL, recorded)
                        .as(CallbackRequest::post)).status()).isEqualTo(204);
                assertThat(voice.recordings(placed.id())).singleElement().satisfies(recording -> {
                    assertThat(recording.providerRecordingId()).isEqualTo(RECORDING_SID);
                    assertThat(recording.duration()).contains(Duration.ofSeconds(29));
                    assertThat(recording.channels()).isEqualTo(2);
                });
                voice.deleteRecording(voice.recordings(placed.id()).get(0).id());
                assertThat(voice.recordings(placed.id())).isEmpty();
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    @Test
    @DisplayName("voice-freeswitch: the FreeSWITCH provider is built for its Event Socket, unconnected until installed")
    void voiceFreeswitch() {
        try (FreeSwitchVoiceProvider freeswitch = VoiceSection.freeswitch("ClueCon-readme")) {
            assertThat(freeswitch.name()).isEqualTo("freeswitch");
            assertThat(freeswitch.isConnected()).isFalse();
            assertThat(freeswitch).hasToString("FreeSwitchVoiceProvider[10.0.0.5:8021]");
        }
    }
}

package io.irisx.voice.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.ProviderException;
import io.irisx.core.TenantId;
import io.irisx.core.id.CallId;
import io.irisx.voice.CallStatus;
import io.irisx.voice.MachineDetection;
import io.irisx.voice.RecordingMode;
import io.irisx.voice.spi.CallReceipt;
import io.irisx.voice.spi.OutgoingCall;
import io.irisx.voice.spi.ProviderCall;
import io.irisx.voice.twilio.LocalTwilio.Answer;
import io.irisx.voice.twilio.LocalTwilio.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TwilioVoiceProvider} against a local JDK HTTP server speaking Twilio's documented wire format:
 * <ul>
 *   <li>https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource — {@code POST
 *       https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Calls.json}, form-encoded, with {@code To},
 *       {@code From}, {@code Url} and {@code Method}, {@code Timeout} (seconds of ringing, at most 600),
 *       {@code TimeLimit} (seconds, 4 hours by default), {@code StatusCallback}, {@code StatusCallbackMethod} and
 *       {@code StatusCallbackEvent} (each of {@code initiated}, {@code ringing}, {@code answered}, {@code completed}
 *       in a parameter of its own), {@code Record}, {@code RecordingChannels} ({@code mono} or {@code dual}) and
 *       {@code MachineDetection} ({@code Enable} or {@code DetectMessageEnd}), {@code RecordingStatusCallback},
 *       {@code RecordingStatusCallbackMethod} and {@code RecordingStatusCallbackEvent} ({@code completed},
 *       {@code absent}, each in a parameter of its own); the answer HTTP 201 with the Call
 *       resource {@code {"sid": "CA…", "status": "queued", …}};</li>
 *   <li>https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource — {@code POST
 *       …/Calls/{CallSid}.json} with {@code Url} and {@code Method} to redirect a call, or {@code Status=completed},
 *       which hangs up a call whether it rings or is in progress ({@code canceled} would spare one in progress);</li>
 *   <li>https://www.twilio.com/docs/voice/api/call-resource#call-status-values — {@code queued}, {@code ringing},
 *       {@code in-progress}, {@code canceled}, {@code completed}, {@code failed}, {@code busy}, {@code no-answer};</li>
 *   <li>https://www.twilio.com/docs/usage/requests-to-twilio — HTTP Basic authentication, as the account SID and auth
 *       token, or as an API key SID ({@code SK…}) and its secret;</li>
 *   <li>https://www.twilio.com/docs/usage/twilios-response and https://www.twilio.com/docs/api/errors — the error
 *       answer {@code {"code", "message", "more_info", "status"}} and the codes 20003 authentication, 20429 too many
 *       requests, 20500 internal error, 21211 invalid To, 21215 geographic permissions, 21220 call not in
 *       progress.</li>
 * </ul>
 */
class TwilioVoiceProviderTest {

    private static final String API_KEY_SID = "SK0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    private static final String API_KEY_SECRET = "Qm7xVb2LpR9sT4wY6zA1cE3gH5jK8nP0";
    private static final String FLOW_URL = "https://hooks.acme.example/voice/{tenant}/twilio";
    private static final TenantId ACME = TenantId.of("acme");

    private final LocalTwilio twilio = new LocalTwilio();
    private TwilioVoiceProvider provider;

    @BeforeEach
    void start() {
        provider = builder().build();
    }

    @AfterEach
    void stop() {
        provider.close();
        twilio.close();
    }

    private TwilioVoiceProvider.Builder builder() {
        return TwilioVoiceProvider.builder(LocalTwilio.ACCOUNT_SID, LocalTwilio.AUTH_TOKEN).baseUrl(twilio.baseUrl())
                .timeout(Duration.ofSeconds(1)).flowUrl(FLOW_URL);
    }

    private static OutgoingCall call(Optional<String> flow, Optional<String> url, RecordingMode recording,
            MachineDetection detection, Optional<String> statusCallback) {
        return new OutgoingCall(CallId.generate(), ACME, "reminder-1", "+447400123456", "+14155550100", flow, url,
                recording, detection, Duration.ofSeconds(20), Duration.ofMinutes(5), statusCallback);
    }

    private static OutgoingCall flowCall() {
        return call(Optional.of("support"), Optional.empty(), RecordingMode.DUAL, MachineDetection.DETECT_MESSAGE_END,
                Optional.of("https://hooks.acme.example/voice/status"));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_flow_call_is_one_form_post_to_the_calls_resource_with_every_setting() {
        CallReceipt receipt = provider.place(flowCall());

        assertThat(receipt).isEqualTo(new CallReceipt(LocalTwilio.sid(1), "queued", Optional.of(CallStatus.INITIATED)));
        Received request = twilio.requests().get(0);
        assertThat(twilio.requests()).hasSize(1);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(LocalTwilio.CALLS_PATH);
        assertThat(request.header("Host")).isEqualTo("api.twilio.com");
        assertThat(request.header("Authorization")).isEqualTo(basic(LocalTwilio.ACCOUNT_SID, LocalTwilio.AUTH_TOKEN));
        assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.param("To")).isEqualTo("+447400123456");
        assertThat(request.param("From")).isEqualTo("+14155550100");
        assertThat(request.param("Url")).isEqualTo("https://hooks.acme.example/voice/acme/twilio?flow=support");
        assertThat(request.param("Method")).isEqualTo("POST");
        assertThat(request.param("Timeout")).isEqualTo("20");
        assertThat(request.param("TimeLimit")).isEqualTo("300");
        assertThat(request.param("StatusCallback")).isEqualTo("https://hooks.acme.example/voice/status");
        assertThat(request.param("StatusCallbackMethod")).isEqualTo("POST");
        assertThat(request.form().get("StatusCallbackEvent"))
                .containsExactly("initiated", "ringing", "answered", "completed");
        assertThat(request.param("Record")).isEqualTo("true");
        assertThat(request.param("RecordingChannels")).isEqualTo("dual");
        assertThat(request.param("MachineDetection")).isEqualTo("DetectMessageEnd");
    }

    @Test
    void a_url_call_fetches_the_hosts_url_and_reports_to_the_default_status_callback_of_its_tenant() {
        try (TwilioVoiceProvider withDefault = builder()
                .statusCallbackUrl("https://hooks.acme.example/voice/{tenant}/status").build()) {
            withDefault.place(call(Optional.empty(), Optional.of("https://twiml.acme.example/reminder?lang=en"),
                    RecordingMode.MONO, MachineDetection.ENABLE, Optional.empty()));
        }

        Received request = twilio.requests().get(0);
        assertThat(request.param("Url")).isEqualTo("https://twiml.acme.example/reminder?lang=en");
        assertThat(request.param("StatusCallback")).isEqualTo("https://hooks.acme.example/voice/acme/status");
        assertThat(request.param("RecordingChannels")).isEqualTo("mono");
        assertThat(request.param("MachineDetection")).isEqualTo("Enable");
    }

    @Test
    void a_recorded_call_reports_its_recording_to_the_tenants_recording_status_callback() {
        try (TwilioVoiceProvider recorded = builder()
                .recordingStatusCallbackUrl("https://hooks.acme.example/voice/{tenant}/recording").build()) {
            recorded.place(call(Optional.empty(), Optional.of("https://twiml.acme.example/x"), RecordingMode.MONO,
                    MachineDetection.OFF, Optional.empty()));
            recorded.place(call(Optional.empty(), Optional.of("https://twiml.acme.example/x"), RecordingMode.NONE,
                    MachineDetection.OFF, Optional.empty()));
        }

        Received request = twilio.requests().get(0);
        assertThat(request.param("RecordingStatusCallback"))
                .isEqualTo("https://hooks.acme.example/voice/acme/recording");
        assertThat(request.param("RecordingStatusCallbackMethod")).isEqualTo("POST");
        assertThat(request.form().get("RecordingStatusCallbackEvent")).containsExactly("completed", "absent");
        // A call that is not recorded has no recording to report.
        assertThat(twilio.requests().get(1).form()).doesNotContainKeys("RecordingStatusCallback",
                "RecordingStatusCallbackMethod", "RecordingStatusCallbackEvent");
    }

    @Test
    void a_call_with_no_status_callback_recording_or_detection_sends_none_of_their_parameters() {
        provider.place(call(Optional.empty(), Optional.of("https://twiml.acme.example/x"), RecordingMode.NONE,
                MachineDetection.OFF, Optional.empty()));

        assertThat(twilio.requests().get(0).form()).doesNotContainKeys("StatusCallback", "StatusCallbackEvent",
                "StatusCallbackMethod", "Record", "RecordingChannels", "MachineDetection", "RecordingStatusCallback");
    }

    @Test
    void an_api_key_authenticates_requests_to_the_accounts_path() {
        try (TwilioVoiceProvider keyed = builder().apiKey(API_KEY_SID, API_KEY_SECRET).build()) {
            keyed.place(flowCall());
        }

        Received request = twilio.requests().get(0);
        assertThat(request.path()).isEqualTo(LocalTwilio.CALLS_PATH);
        assertThat(request.header("Authorization")).isEqualTo(basic(API_KEY_SID, API_KEY_SECRET));
    }

    @Test
    void a_hangup_posts_status_completed_to_the_call_and_reads_the_status_back() {
        String sid = LocalTwilio.sid(7);
        twilio.enqueue(Answer.call(200, sid, "completed"));

        CallReceipt receipt = provider.hangup(new ProviderCall(CallId.generate(), ACME, sid));

        assertThat(receipt.status()).contains(CallStatus.COMPLETED);
        Received request = twilio.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/" + LocalTwilio.ACCOUNT_SID + "/Calls/" + sid
                + ".json");
        assertThat(request.form()).containsOnlyKeys("Status");
        assertThat(request.param("Status")).isEqualTo("completed");
    }

    @Test
    void a_redirect_posts_the_new_flows_url_to_the_call() {
        String sid = LocalTwilio.sid(8);
        twilio.enqueue(Answer.call(200, sid, "in-progress"));

        CallReceipt receipt = provider.redirect(new ProviderCall(CallId.generate(), ACME, sid), "survey");

        assertThat(receipt.status()).contains(CallStatus.IN_PROGRESS);
        Received request = twilio.requests().get(0);
        assertThat(request.path()).endsWith("/Calls/" + sid + ".json");
        assertThat(request.param("Url")).isEqualTo("https://hooks.acme.example/voice/acme/twilio?flow=survey");
        assertThat(request.param("Method")).isEqualTo("POST");
    }

    @Test
    void twilios_refusals_are_permanent_with_its_code_message_link_and_request_id() {
        twilio.enqueue(Answer.error(400, 21211, "The 'To' number +1555 is not a valid phone number."));
        ProviderException invalid = catchThrowableOfType(ProviderException.class, () -> provider.place(flowCall()));
        assertThat(invalid.isRetryable()).isFalse();
        assertThat(invalid.provider()).isEqualTo("twilio");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.requestId()).contains("RQ" + "ab".repeat(16));
        assertThat(invalid).hasMessageContaining("The 'To' number +1555 is not a valid phone number.")
                .hasMessageContaining("Twilio error 21211, https://www.twilio.com/docs/errors/21211");

        twilio.enqueue(Answer.error(400, 21215, "Account not authorized to call +2348021234567."));
        assertThat(catchThrowableOfType(ProviderException.class, () -> provider.place(flowCall())).isRetryable())
                .isFalse();
        twilio.enqueue(Answer.json(401, """
                {"code": 20003, "detail": "Your AccountSid or AuthToken was incorrect.", "message": "Authenticate",
                 "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"""));
        ProviderException auth = catchThrowableOfType(ProviderException.class, () -> provider.place(flowCall()));
        assertThat(auth.isRetryable()).isFalse();
        assertThat(auth).hasMessageContaining("Authenticate: Your AccountSid or AuthToken was incorrect.");
        twilio.enqueue(Answer.error(400, 21220, "Call is not in-progress. Cannot redirect."));
        assertThat(catchThrowableOfType(ProviderException.class,
                () -> provider.redirect(new ProviderCall(CallId.generate(), ACME, LocalTwilio.sid(9)), "survey"))
                .isRetryable()).isFalse();
    }

    @Test
    void rate_limits_and_server_errors_are_retryable_and_each_request_is_made_once() {
        twilio.enqueue(Answer.error(429, 20429, "Too Many Requests"));
        assertThat(catchThrowableOfType(ProviderException.class, () -> provider.place(flowCall())).isRetryable())
                .isTrue();
        twilio.enqueue(Answer.error(500, 20500, "An internal server error has occurred"));
        ProviderException down = catchThrowableOfType(ProviderException.class, () -> provider.place(flowCall()));
        assertThat(down.isRetryable()).isTrue();
        assertThat(down.statusCode()).isEqualTo(500);
        twilio.enqueue(new Answer(502, "text/html", "<html><body>Bad Gateway</body></html>", java.util.Map.of(),
                false));
        ProviderException proxy = catchThrowableOfType(ProviderException.class, () -> provider.place(flowCall()));
        assertThat(proxy.isRetryable()).isTrue();
        assertThat(proxy).hasMessageContaining("Bad Gateway");

        // Neither the SDK nor the HTTP client tried again.
        assertThat(twilio.requests()).hasSize(3);
    }

    @Test
    void an_acceptance_whose_answer_cannot_be_read_is_not_retried_as_the_call_may_ring() {
        twilio.enqueue(new Answer(201, "application/json", "{\"sid\": ", java.util.Map.of(), false));

        ProviderException unreadable = catchThrowableOfType(ProviderException.class, () -> provider.place(flowCall()));

        assertThat(unreadable.isRetryable()).isFalse();
        assertThat(unreadable.statusCode()).isEqualTo(201);
        assertThat(unreadable).hasMessageContaining("accepted the request but its answer could not be read");
    }

    @Test
    void no_answer_within_the_timeout_is_retryable_with_no_status() {
        twilio.enqueue(Answer.call(201, LocalTwilio.sid(1), "queued").hanging());

        ProviderException silent = catchThrowableOfType(ProviderException.class, () -> provider.place(flowCall()));

        assertThat(silent.isRetryable()).isTrue();
        assertThat(silent.statusCode()).isZero();
        assertThat(silent).hasMessageContaining("no answer within the timeout");
    }

    @Test
    void a_refused_connection_is_retryable_with_no_status() {
        String base = twilio.baseUrl();
        twilio.close();
        try (TwilioVoiceProvider nowhere = TwilioVoiceProvider.builder(LocalTwilio.ACCOUNT_SID, LocalTwilio.AUTH_TOKEN)
                .baseUrl(base).timeout(Duration.ofSeconds(1)).flowUrl(FLOW_URL).build()) {
            ProviderException refused = catchThrowableOfType(ProviderException.class, () -> nowhere.place(flowCall()));
            assertThat(refused.isRetryable()).isTrue();
            assertThat(refused.statusCode()).isZero();
        }
    }

    @Test
    void a_flow_call_without_a_flow_url_is_refused_for_good_before_any_request() {
        try (TwilioVoiceProvider noFlowUrl = TwilioVoiceProvider.builder(LocalTwilio.ACCOUNT_SID,
                LocalTwilio.AUTH_TOKEN).baseUrl(twilio.baseUrl()).build()) {
            ProviderException refused = catchThrowableOfType(ProviderException.class, () -> noFlowUrl.place(flowCall()));
            assertThat(refused.isRetryable()).isFalse();
            assertThat(refused).hasMessageContaining("flowUrl");
            ProviderException redirect = catchThrowableOfType(ProviderException.class, () -> noFlowUrl.redirect(
                    new ProviderCall(CallId.generate(), ACME, LocalTwilio.sid(1)), "survey"));
            assertThat(redirect).hasMessageContaining("flowUrl");
        }
        assertThat(twilio.requests()).isEmpty();
    }

    @Test
    void bad_settings_are_refused_as_they_are_set_and_secrets_never_shown() {
        assertThatIllegalArgumentException().isThrownBy(() -> TwilioVoiceProvider.builder("AC123", LocalTwilio.AUTH_TOKEN))
                .withMessageContaining("accountSid");
        assertThatIllegalArgumentException().isThrownBy(() -> TwilioVoiceProvider.builder(LocalTwilio.ACCOUNT_SID,
                "not-a-token-secret")).withMessageContaining("authToken").withMessageNotContaining("not-a-token-secret");
        assertThatIllegalArgumentException().isThrownBy(() -> builder().apiKey(API_KEY_SID, "has space"))
                .withMessageNotContaining("has space");
        assertThatIllegalArgumentException().isThrownBy(() -> builder().baseUrl("https://api.twilio.com/2010-04-01"))
                .withMessageContaining("baseUrl");
        assertThatIllegalArgumentException().isThrownBy(() -> builder().timeout(Duration.ZERO))
                .withMessageContaining("timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> builder().flowUrl("ftp://hooks.acme.example/{tenant}"))
                .withMessageContaining("flowUrl");
        assertThatIllegalArgumentException().isThrownBy(() -> builder()
                .statusCallbackUrl("https://user:hunter2@hooks.acme.example/#x"))
                .withMessageContaining("statusCallbackUrl").withMessageNotContaining("hunter2");
        assertThat(builder().apiKey(API_KEY_SID, API_KEY_SECRET).build().toString())
                .doesNotContain(LocalTwilio.AUTH_TOKEN, API_KEY_SECRET).contains(API_KEY_SID);
    }

    @Test
    void twilios_status_words_map_onto_call_statuses() {
        for (List<Object> pair : List.<List<Object>>of(List.of("queued", CallStatus.INITIATED),
                List.of("initiated", CallStatus.INITIATED), List.of("ringing", CallStatus.RINGING),
                List.of("in-progress", CallStatus.IN_PROGRESS), List.of("completed", CallStatus.COMPLETED),
                List.of("busy", CallStatus.BUSY), List.of("no-answer", CallStatus.NO_ANSWER),
                List.of("failed", CallStatus.FAILED), List.of("canceled", CallStatus.CANCELED))) {
            assertThat(TwilioStatuses.of((String) pair.get(0))).as("%s", pair.get(0)).contains((CallStatus) pair.get(1));
        }
        assertThat(TwilioStatuses.of("answered")).isEmpty();
    }
}

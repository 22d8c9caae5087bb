package io.irisx.voice.twilio;

import static io.irisx.voice.twilio.TwimlRendererTest.golden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import io.irisx.core.PageRequest;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.EventType;
import io.irisx.core.id.CallId;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.TwilioSignatures;
import io.irisx.voice.Call;
import io.irisx.voice.CallRequest;
import io.irisx.voice.CallStatus;
import io.irisx.voice.CallStatusChange;
import io.irisx.voice.Voice;
import io.irisx.voice.VoiceFixture;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.flow.SampleFlows;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Calls placed by the {@link VoiceModule}'s worker through {@link TwilioVoiceProvider} to a local Twilio, then
 * Twilio's signed requests through {@link TwilioVoiceCallbacks}: status callbacks moving the call forward only, each
 * status once, in whatever order they arrive; and the flow URL answering the voice webhook and the gather and record
 * callbacks with the TwiML of the golden files. Each request is signed as Twilio documents it
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security, with {@link LocalTwilio.Webhook}); the parameters are
 * those of https://www.twilio.com/docs/voice/api/call-resource#statuscallback (CallSid, CallStatus, CallDuration,
 * AnsweredBy, …), https://www.twilio.com/docs/voice/twiml/gather#action (Digits, SpeechResult) and
 * https://www.twilio.com/docs/voice/twiml/record#action (RecordingUrl, RecordingSid, RecordingDuration). On each
 * database.
 */
@OnEachDialect
class TwilioVoiceCallbacksTest {

    private static final String TOKEN = LocalTwilio.AUTH_TOKEN;
    private static final String STATUS_URL = "https://hooks.acme.example/voice/acme/status";
    private static final String FLOW_URL = "https://hooks.acme.example/voice/acme/twilio";
    private static final String SID = LocalTwilio.sid(1);

    /** A flow whose gather is its last step. */
    private static final Flow LAST = Flow.builder("last").say("intro", "One question.")
            .gather("happy", gather -> gather.say("Press 1 to hear that again.").branch("1", "intro").maxRetries(0))
            .build();

    @Parameter
    Database.Dialect dialect;
    private final LocalTwilio twilio = new LocalTwilio();
    private VoiceFixture fixture;
    private Voice acme;
    private TwilioVoiceCallbacks callbacks;

    @BeforeEach
    void start() {
        TwilioVoiceProvider provider = TwilioVoiceProvider.builder(LocalTwilio.ACCOUNT_SID, TOKEN)
                .baseUrl(twilio.baseUrl()).timeout(Duration.ofSeconds(2))
                .flowUrl("https://hooks.acme.example/voice/{tenant}/twilio")
                .statusCallbackUrl("https://hooks.acme.example/voice/{tenant}/status").build();
        fixture = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder().defaultRegion("GB")
                .provider(provider).flow(SampleFlows.SUPPORT).flow(SampleFlows.SURVEY).flow(LAST)
                .retryPolicy(RetryPolicy.exponential(Duration.ofSeconds(1), 2, 2).jitter(0).build())
                .pollInterval(Duration.ofMillis(20)).build());
        acme = fixture.voice("acme");
        callbacks = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"), TOKEN).statusUrl(STATUS_URL)
                .flowUrl(FLOW_URL).inboundFlow("support").build();
    }

    @AfterEach
    void stop() {
        fixture.close();
        twilio.close();
    }

    /** A call placed through the local Twilio, as SID {@link #SID}. */
    private CallId placedCall() {
        CallId id = acme.call(CallRequest.builder().to("07400 123456").from("+447400654321").flow("support").build());
        await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).status() == CallStatus.INITIATED);
        return id;
    }

    private static LocalTwilio.Webhook status(String status) {
        return LocalTwilio.Webhook.status(SID, status);
    }

    private CallbackResponse postStatus(LocalTwilio.Webhook webhook) {
        return callbacks.status(webhook.to(STATUS_URL));
    }

    /** A POST to the flow URL with {@code query}, signed for that URL. */
    private CallbackResponse postFlow(String query, LocalTwilio.Webhook webhook) {
        return callbacks.flow(webhook.to(query.isEmpty() ? FLOW_URL : FLOW_URL + "?" + query));
    }

    private static LocalTwilio.Webhook answered() {
        return LocalTwilio.Webhook.voice(SID, "in-progress", "outbound-api");
    }

    @Test
    void a_call_is_placed_with_the_tenants_flow_and_status_urls() {
        placedCall();

        assertThat(twilio.requests()).singleElement().satisfies(request -> {
            assertThat(request.param("Url")).isEqualTo(FLOW_URL + "?flow=support");
            assertThat(request.param("StatusCallback")).isEqualTo(STATUS_URL);
        });
    }

    @Test
    void status_callbacks_move_the_call_forward_each_status_once_with_its_event() {
        CallId id = placedCall();

        assertThat(postStatus(status("ringing")).status()).isEqualTo(204);
        assertThat(postStatus(status("in-progress").with("AnsweredBy", "human")).status()).isEqualTo(204);
        assertThat(postStatus(status("completed").with("CallDuration", "42")).status()).isEqualTo(204);

        Call call = acme.get(id);
        assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(call.providerStatus()).contains("completed");
        assertThat(call.duration()).contains(Duration.ofSeconds(42));
        assertThat(call.answeredBy()).contains("human");
        assertThat(call.endedAt()).isPresent();
        assertThat(acme.history(id)).extracting(CallStatusChange::status).containsExactly(CallStatus.QUEUED,
                CallStatus.INITIATED, CallStatus.RINGING, CallStatus.IN_PROGRESS, CallStatus.COMPLETED);
        assertThat(fixture.events(EventType.CALL_RINGING)).hasSize(1);
        assertThat(fixture.events(EventType.CALL_ANSWERED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"answeredBy\":\"human\"", "\"status\":\"in_progress\""));
        assertThat(fixture.events(EventType.CALL_COMPLETED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"durationSeconds\":42", "\"providerCallId\":\"" + SID));
    }

    @Test
    void a_completed_call_is_metered_in_seconds_once_however_often_twilio_reports_it() {
        CallId id = placedCall();
        postStatus(status("ringing"));
        postStatus(status("in-progress").with("AnsweredBy", "human"));
        assertThat(usage()).isEmpty();

        assertThat(postStatus(status("completed").with("CallDuration", "42")).status()).isEqualTo(204);
        fixture.clock.advance(Duration.ofMinutes(1));
        assertThat(postStatus(status("completed").with("CallDuration", "42")).status()).isEqualTo(204);
        assertThat(postStatus(status("completed").with("CallDuration", "43")).status()).isEqualTo(204);

        assertThat(usage()).containsExactly(id.value() + ":CALL_SECOND acme " + id.value() + " 42");
        assertThat(fixture.rows("irisx_usage")).isEqualTo(1);
    }

    @Test
    void a_call_completed_without_a_duration_is_metered_when_a_report_brings_it() {
        CallId id = placedCall();
        postStatus(status("completed"));
        assertThat(usage()).isEmpty();

        postStatus(status("completed").with("CallDuration", "7"));

        assertThat(usage()).containsExactly(id.value() + ":CALL_SECOND acme " + id.value() + " 7");
    }

    @Test
    void calls_that_were_not_answered_or_lasted_no_time_are_not_metered() {
        placedCall();
        postStatus(status("no-answer").with("CallDuration", "0"));
        postStatus(status("completed").with("CallDuration", "15"));

        assertThat(usage()).isEmpty();
    }

    /** The usage records, as {@code key tenant subject quantity}. */
    private java.util.List<String> usage() {
        return fixture.database.withConnection(connection -> {
            java.util.List<String> rows = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = connection.createStatement().executeQuery("SELECT idempotency_key,"
                    + " tenant_id, subject, quantity, unit FROM irisx_usage ORDER BY idempotency_key")) {
                while (rs.next()) {
                    assertThat(rs.getString(5)).isEqualTo("CALL_SECOND");
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getLong(4));
                }
            }
            return rows;
        });
    }

    @Test
    void callbacks_out_of_order_or_again_never_move_the_call_back_nor_store_a_status_twice() {
        CallId id = placedCall();
        postStatus(status("ringing"));
        postStatus(status("no-answer").with("CallDuration", "0"));

        // Late, repeated and contradicting reports: each is answered, none changes anything.
        assertThat(postStatus(status("ringing")).status()).isEqualTo(204);
        assertThat(postStatus(status("initiated")).status()).isEqualTo(204);
        assertThat(postStatus(status("no-answer").with("CallDuration", "0")).status()).isEqualTo(204);
        assertThat(postStatus(status("completed")).status()).isEqualTo(204);

        assertThat(acme.get(id).status()).isEqualTo(CallStatus.NO_ANSWER);
        assertThat(acme.get(id).providerStatus()).contains("no-answer");
        assertThat(acme.history(id)).extracting(CallStatusChange::status).containsExactly(CallStatus.QUEUED,
                CallStatus.INITIATED, CallStatus.RINGING, CallStatus.NO_ANSWER);
        assertThat(fixture.events(EventType.CALL_NO_ANSWER)).hasSize(1);
        assertThat(fixture.events(EventType.CALL_COMPLETED)).isEmpty();
        assertThat(fixture.events(EventType.CALL_RINGING)).hasSize(1);
    }

    @Test
    void a_final_status_arriving_first_skips_the_ones_before_it() {
        CallId id = placedCall();

        postStatus(status("busy").with("ErrorCode", "31486"));
        postStatus(status("ringing"));

        assertThat(acme.get(id).status()).isEqualTo(CallStatus.BUSY);
        assertThat(acme.get(id).errorCode()).contains("31486");
        assertThat(acme.history(id)).extracting(CallStatusChange::status).containsExactly(CallStatus.QUEUED,
                CallStatus.INITIATED, CallStatus.BUSY);
    }

    @Test
    void forged_misaddressed_and_malformed_status_callbacks_are_refused_and_change_nothing() {
        CallId id = placedCall();
        LocalTwilio.Webhook ringing = status("ringing");

        assertThat(callbacks.status(ringing.to(STATUS_URL, "0123456789abcdef0123456789abcdef", STATUS_URL)).status())
                .isEqualTo(403);
        assertThat(callbacks.status(ringing.to(STATUS_URL, TOKEN, "https://hooks.acme.example/other")).status())
                .isEqualTo(403);
        assertThat(callbacks.status(TwilioSignatures.signed(ringing.params(), "").as(CallbackRequest::post)).status())
                .isEqualTo(403);
        CallbackRequest signed = ringing.to(STATUS_URL);
        assertThat(callbacks.status(new CallbackRequest("GET", signed.path(), signed.query(), signed.headers(),
                signed.body(), "")).status()).isEqualTo(403);
        assertThat(postStatus(status("answered")).status()).isEqualTo(400);
        assertThat(postStatus(ringing.with("CallSid", "CA123")).status()).isEqualTo(400);
        assertThat(postStatus(ringing.with("CallDuration", "-1")).status()).isEqualTo(400);
        assertThat(postStatus(ringing.with("AnsweredBy", "Human Being")).status()).isEqualTo(400);
        assertThat(postStatus(ringing.with("ErrorCode", "3".repeat(17))).status()).isEqualTo(400);
        assertThat(postStatus(ringing.with("CallDuration", "99999")).status()).isEqualTo(400);
        assertThat(postStatus(ringing.with("CallSid", LocalTwilio.sid(99))).status()).isEqualTo(404);

        assertThat(acme.get(id).status()).isEqualTo(CallStatus.INITIATED);
        assertThat(fixture.events(EventType.CALL_RINGING)).isEmpty();
    }

    @Test
    void another_tenants_handler_does_not_reach_this_tenants_call() {
        CallId id = placedCall();
        TwilioVoiceCallbacks globex = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("globex"), TOKEN)
                .statusUrl(STATUS_URL).build();

        assertThat(globex.status(status("completed").to(STATUS_URL)).status()).isEqualTo(404);
        assertThat(acme.get(id).status()).isEqualTo(CallStatus.INITIATED);
        assertThat(fixture.voice("globex").list(PageRequest.first(10)).items()).isEmpty();
    }

    @Test
    void the_voice_webhook_answers_with_the_flows_first_steps() {
        CallbackResponse response = postFlow("flow=support", answered());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Content-Type", "text/xml; charset=utf-8");
        assertThat(response.bodyText()).isEqualTo(golden("start.xml"));
    }

    @Test
    void an_inbound_call_naming_no_flow_runs_the_inbound_flow() {
        assertThat(postFlow("", LocalTwilio.Webhook.voice(SID, "ringing", "inbound")).bodyText())
                .isEqualTo(golden("start.xml"));
    }

    @Test
    void a_gather_callback_goes_to_the_branch_the_digits_name() {
        CallbackResponse response = postFlow("flow=support&step=menu&attempt=1",
                answered().with("Digits", "2").with("FinishedOnKey", ""));

        assertThat(response.bodyText()).isEqualTo(golden("voicemail.xml"));
    }

    @Test
    void no_input_or_invalid_input_retries_the_gather_then_goes_to_otherwise() {
        assertThat(postFlow("flow=support&step=menu&attempt=1", answered()).bodyText())
                .isEqualTo(golden("menu-retry.xml"));
        assertThat(postFlow("flow=support&step=menu&attempt=2", answered().with("Digits", "9")).bodyText())
                .contains("attempt=3").contains("Sorry, I did not get that.");
        assertThat(postFlow("flow=support&step=menu&attempt=3", answered()).bodyText())
                .isEqualTo(golden("goodbye.xml"));
    }

    @Test
    void a_record_callback_goes_to_the_records_then_step() {
        String recordingSid = "RE" + "0123456789abcdef".repeat(2);
        LocalTwilio.Webhook recorded = answered().with("RecordingUrl", LocalTwilio.Webhook.recordingUrl(recordingSid))
                .with("RecordingSid", recordingSid).with("RecordingDuration", "17");

        assertThat(postFlow("flow=support&step=voicemail&attempt=1", recorded).bodyText())
                .isEqualTo(golden("goodbye.xml"));
    }

    @Test
    void a_gather_whose_retries_run_out_at_the_end_of_its_flow_hangs_up() {
        assertThat(postFlow("flow=last&step=happy&attempt=1", answered()).bodyText())
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>");
        assertThat(postFlow("flow=last&step=happy&attempt=1", answered().with("Digits", "1")).bodyText())
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>One question.</Say><Gather");
        // With no otherwise, the steps after the gather follow.
        assertThat(postFlow("flow=survey&step=rate&attempt=3", answered()).bodyText())
                .endsWith("<Response><Say>Thank you.</Say><Hangup/></Response>");
    }

    @Test
    void unknown_flows_and_steps_and_steps_that_take_no_input_are_refused() {
        assertThat(postFlow("flow=sales", answered()).status()).isEqualTo(404);
        assertThat(postFlow("flow=support&step=nowhere&attempt=1", answered()).status()).isEqualTo(404);
        assertThat(postFlow("flow=support&step=welcome&attempt=1", answered()).status()).isEqualTo(400);
        assertThat(postFlow("flow=support&step=menu&attempt=0", answered()).status()).isEqualTo(400);
        TwilioVoiceCallbacks noInbound = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"), TOKEN)
                .flowUrl(FLOW_URL).build();
        assertThat(noInbound.flow(answered().to(FLOW_URL)).status()).isEqualTo(404);
    }

    @Test
    void the_signature_covers_the_query_so_a_request_sent_to_another_step_is_refused() {
        String signedFor = FLOW_URL + "?flow=support&step=menu&attempt=3";

        CallbackResponse moved = callbacks.flow(answered().with("Digits", "1")
                .to(FLOW_URL + "?flow=support&step=voicemail&attempt=1", TOKEN, signedFor));

        assertThat(moved.status()).isEqualTo(403);
    }

    @Test
    void a_flow_url_with_a_query_of_its_own_is_signed_and_answered_with_it() {
        String own = "https://hooks.example/voice?tenant=acme";
        TwilioVoiceCallbacks shared = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"), TOKEN).flowUrl(own)
                .build();

        CallbackResponse response = shared.flow(answered().with("Digits", "2")
                .to(own + "&flow=support&step=menu&attempt=1"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).contains("action=\"https://hooks.example/voice?tenant=acme&amp;flow=support"
                + "&amp;step=voicemail&amp;attempt=1\"");
    }

    @Test
    void the_builder_checks_its_settings() {
        assertThatIllegalArgumentException().isThrownBy(() -> TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"),
                "secret-token")).withMessageNotContaining("secret-token");
        assertThatIllegalArgumentException().isThrownBy(() -> TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"),
                TOKEN).flowUrl("https://hooks.acme.example/voice/{tenant}/twilio")).withMessageContaining("{tenant}");
        assertThatIllegalArgumentException().isThrownBy(() -> TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"),
                TOKEN).inboundFlow("sales")).withMessageContaining("sales");
        assertThatIllegalStateException().isThrownBy(() -> TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"),
                TOKEN).build());
        TwilioVoiceCallbacks statusOnly = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"), TOKEN)
                .statusUrl(STATUS_URL).build();
        assertThatIllegalStateException().isThrownBy(() -> statusOnly.flow(answered().to(FLOW_URL)))
                .withMessageContaining("flowUrl");
    }
}

package io.irisx.voice.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.irisx.core.NotFoundException;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.core.callback.CallbackResponse;
import io.irisx.core.event.EventType;
import io.irisx.core.id.CallId;
import io.irisx.core.id.RecordingId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.TwilioSignatures;
import io.irisx.voice.CallRequest;
import io.irisx.voice.CallStatus;
import io.irisx.voice.Recording;
import io.irisx.voice.RecordingMode;
import io.irisx.voice.Voice;
import io.irisx.voice.VoiceFixture;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.SampleFlows;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Twilio's recording status callbacks through {@link TwilioVoiceCallbacks#recording}: each recording stored once per
 * RecordingSid with its {@code call.recording.completed} event once, listed and deleted through {@link Voice}, and
 * never reaching another tenant. The bodies are those Twilio documents for the {@code RecordingStatusCallback} of a
 * call (https://www.twilio.com/docs/voice/api/recording#recordingstatuscallback: {@code AccountSid}, {@code CallSid},
 * {@code RecordingSid}, {@code RecordingUrl}, {@code RecordingStatus} — {@code in-progress}, {@code completed},
 * {@code absent} or {@code failed} —, {@code RecordingDuration}, {@code RecordingChannels}, {@code RecordingSource},
 * {@code RecordingStartTime}, {@code RecordingTrack}, {@code ErrorCode}), form-encoded and signed as
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security describes (with {@link LocalTwilio.Webhook}). On each
 * database.
 */
@OnEachDialect
class TwilioRecordingCallbacksTest {

    private static final String TOKEN = LocalTwilio.AUTH_TOKEN;
    private static final String RECORDING_URL = "https://hooks.acme.example/voice/acme/recording";
    private static final String SID = LocalTwilio.sid(1);
    private static final String RECORDING_SID = "RE557ce644e5ab84fa21cc21112e22c485";
    private static final String AUDIO = LocalTwilio.Webhook.recordingUrl(RECORDING_SID);

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
                .recordingStatusCallbackUrl("https://hooks.acme.example/voice/{tenant}/recording").build();
        fixture = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder().defaultRegion("GB")
                .provider(provider).flow(SampleFlows.SUPPORT).flow(SampleFlows.SURVEY).pollInterval(Duration.ofMillis(20)).build());
        acme = fixture.voice("acme");
        callbacks = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"), TOKEN).recordingUrl(RECORDING_URL)
                .build();
    }

    @AfterEach
    void stop() {
        fixture.close();
        twilio.close();
    }

    /** A recorded call placed through the local Twilio, as SID {@link #SID}. */
    private CallId placedCall() {
        CallId id = acme.call(CallRequest.builder().to("07400 123456").from("+447400654321").flow("support")
                .record(RecordingMode.DUAL).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).status() == CallStatus.INITIATED);
        assertThat(twilio.requests().get(0).param("RecordingStatusCallback")).isEqualTo(RECORDING_URL);
        return id;
    }

    /** Twilio's recording status callback of recording {@link #RECORDING_SID} of call {@link #SID}. */
    private static LocalTwilio.Webhook recording(String status) {
        return LocalTwilio.Webhook.recording(SID, RECORDING_SID, status);
    }

    private CallbackResponse post(LocalTwilio.Webhook webhook) {
        return callbacks.recording(webhook.to(RECORDING_URL));
    }

    @Test
    void a_completed_recording_is_stored_with_its_event_and_listed_for_its_call() {
        CallId id = placedCall();
        fixture.clock.advance(Duration.ofMinutes(1));

        assertThat(post(recording("completed")).status()).isEqualTo(204);

        assertThat(acme.recordings(id)).singleElement().satisfies(recording -> {
            assertThat(recording.id().value()).startsWith("rec_");
            assertThat(recording.tenant().value()).isEqualTo("acme");
            assertThat(recording.callId()).isEqualTo(id);
            assertThat(recording.provider()).isEqualTo("twilio");
            assertThat(recording.providerRecordingId()).isEqualTo(RECORDING_SID);
            assertThat(recording.url()).isEqualTo(AUDIO);
            assertThat(recording.duration()).contains(Duration.ofSeconds(38));
            assertThat(recording.channels()).isEqualTo(2);
            assertThat(recording.status()).isEqualTo("completed");
            assertThat(recording.completed()).isTrue();
            assertThat(recording.createdAt()).isEqualTo(VoiceFixture.START.plus(Duration.ofMinutes(1)));
        });
        Recording stored = acme.recordings(id).get(0);
        assertThat(fixture.events(EventType.CALL_RECORDING_COMPLETED)).singleElement().satisfies(event -> {
            assertThat(event.tenant().value()).isEqualTo("acme");
            assertThat(event.data()).contains("\"recordingId\":\"" + stored.id().value() + "\"",
                    "\"callId\":\"" + id.value() + "\"", "\"providerRecordingId\":\"" + RECORDING_SID + "\"",
                    "\"url\":\"" + AUDIO + "\"", "\"durationSeconds\":38", "\"channels\":2",
                    "\"status\":\"completed\"");
        });
    }

    @Test
    void a_recording_reported_again_is_stored_and_announced_once() {
        CallId id = placedCall();

        assertThat(post(recording("in-progress")).status()).isEqualTo(204);
        assertThat(fixture.events(EventType.CALL_RECORDING_COMPLETED)).isEmpty();
        assertThat(acme.recordings(id)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("in-progress");
            assertThat(r.duration()).isEmpty();
        });
        assertThat(post(recording("completed")).status()).isEqualTo(204);
        assertThat(post(recording("completed")).status()).isEqualTo(204);
        // A late or contradicting report does not change a completed recording.
        assertThat(post(recording("absent")).status()).isEqualTo(204);
        assertThat(post(recording("completed").with("RecordingDuration", "99")).status()).isEqualTo(204);

        assertThat(acme.recordings(id)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("completed");
            assertThat(r.duration()).contains(Duration.ofSeconds(38));
        });
        assertThat(fixture.rows("irisx_call_recordings")).isEqualTo(1);
        assertThat(fixture.events(EventType.CALL_RECORDING_COMPLETED)).hasSize(1);
    }

    @Test
    void an_absent_recording_is_stored_without_an_event_and_a_second_recording_of_the_call_is_a_row_of_its_own() {
        CallId id = placedCall();

        post(recording("absent"));
        post(recording("completed").with("RecordingSid", "RE" + "0123456789abcdef".repeat(2))
                .with("RecordingChannels", "1"));

        assertThat(acme.recordings(id)).extracting(Recording::status, Recording::channels)
                .containsExactly(tuple("absent", 2),
                        tuple("completed", 1));
        assertThat(fixture.events(EventType.CALL_RECORDING_COMPLETED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("RE0123456789abcdef"));
    }

    @Test
    void forged_and_malformed_recording_callbacks_are_refused_and_store_nothing() {
        CallId id = placedCall();
        LocalTwilio.Webhook completed = recording("completed");

        assertThat(callbacks.recording(completed.to(RECORDING_URL, "0123456789abcdef0123456789abcdef", RECORDING_URL))
                .status()).isEqualTo(403);
        assertThat(callbacks.recording(completed.to(RECORDING_URL, TOKEN,
                "https://hooks.acme.example/voice/acme/status")).status()).isEqualTo(403);
        assertThat(callbacks.recording(TwilioSignatures.signed(completed.params(), "").as(CallbackRequest::post))
                .status()).isEqualTo(403);
        assertThat(post(completed.with("RecordingSid", "RE123")).status()).isEqualTo(400);
        assertThat(post(completed.with("CallSid", "CA123")).status()).isEqualTo(400);
        assertThat(post(completed.with("RecordingUrl", "http://api.twilio.com/x")).status()).isEqualTo(400);
        assertThat(post(completed.with("RecordingStatus", "done")).status()).isEqualTo(400);
        assertThat(post(completed.with("RecordingChannels", "3")).status()).isEqualTo(400);
        assertThat(post(completed.with("RecordingDuration", "-1")).status()).isEqualTo(400);
        assertThat(post(completed.with("RecordingDuration", "99999")).status()).isEqualTo(400);
        assertThat(post(completed.with("CallSid", LocalTwilio.sid(99))).status()).isEqualTo(404);

        assertThat(acme.recordings(id)).isEmpty();
        assertThat(fixture.rows("irisx_call_recordings")).isZero();
        assertThat(fixture.events(EventType.CALL_RECORDING_COMPLETED)).isEmpty();
    }

    @Test
    void another_tenant_can_neither_store_list_nor_delete_this_tenants_recordings() {
        CallId id = placedCall();
        post(recording("completed"));
        RecordingId recording = acme.recordings(id).get(0).id();
        Voice globex = fixture.voice("globex");
        TwilioVoiceCallbacks globexCallbacks = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("globex"), TOKEN)
                .recordingUrl(RECORDING_URL).build();

        assertThat(globexCallbacks.recording(recording("completed").with("RecordingSid", "RE"
                + "fedcba9876543210".repeat(2)).to(RECORDING_URL)).status()).isEqualTo(404);
        assertThatThrownBy(() -> globex.recordings(id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.deleteRecording(recording)).isInstanceOf(NotFoundException.class);

        assertThat(acme.recordings(id)).extracting(Recording::id).containsExactly(recording);
        assertThat(fixture.rows("irisx_call_recordings")).isEqualTo(1);
    }

    @Test
    void a_deleted_recording_is_no_longer_listed_and_cannot_be_deleted_twice() {
        CallId id = placedCall();
        post(recording("completed"));
        RecordingId recording = acme.recordings(id).get(0).id();

        acme.deleteRecording(recording);

        assertThat(acme.recordings(id)).isEmpty();
        assertThat(fixture.rows("irisx_call_recordings")).isZero();
        assertThatThrownBy(() -> acme.deleteRecording(recording)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(recording.value());
        assertThatThrownBy(() -> acme.recordings(CallId.generate())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void a_handler_without_a_recording_url_refuses_to_handle_recordings() {
        TwilioVoiceCallbacks flowOnly = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"), TOKEN)
                .flowUrl("https://hooks.acme.example/voice/acme/twilio").build();

        assertThatIllegalStateException().isThrownBy(() -> flowOnly.recording(recording("completed")
                .to(RECORDING_URL))).withMessageContaining("recordingUrl");
    }
}

package io.irisx.voice;

import static io.irisx.voice.ScriptedProvider.Answer.ACCEPT;
import static io.irisx.voice.ScriptedProvider.Answer.DOWN;
import static io.irisx.voice.ScriptedProvider.Answer.REFUSE;
import static io.irisx.voice.ScriptedProvider.Answer.SILENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.event.EventType;
import io.irisx.core.id.CallId;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.testing.LogCapture;
import io.irisx.voice.spi.OutgoingCall;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * The {@link VoiceModule}'s worker on the runtime's database outbox: queued calls placed through the providers in
 * order, each placed once, a permanent refusal failed and dead-lettered, a call whose try had no answer held for its
 * provider and marked as a possible duplicate, retries bounded by the policy, and a call canceled while being placed
 * hung up; on each database. Time is a test clock the awaits move.
 */
@OnEachDialect
class CallPlacerTest {

    private static final RetryPolicy POLICY = RetryPolicy.exponential(Duration.ofSeconds(1), 2, 2).jitter(0).build();

    @Parameter
    Database.Dialect dialect;
    private final ScriptedProvider first = new ScriptedProvider("first");
    private final ScriptedProvider second = new ScriptedProvider("second");
    private VoiceFixture fixture;
    private Voice acme;

    private void start(ScriptedProvider... providers) {
        VoiceModule.Builder module = VoiceModule.builder().defaultRegion("GB").flow(VoiceTest.SUPPORT)
                .retryPolicy(POLICY).pollInterval(Duration.ofMillis(20));
        for (ScriptedProvider provider : providers) {
            module.provider(provider);
        }
        fixture = new VoiceFixture(TestDatabases.of(dialect), module.build());
        acme = fixture.voice("acme");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private CallId call() {
        return acme.call(CallRequest.builder().to("07400 123456").from("+447400654321").flow("support")
                .record(RecordingMode.MONO).machineDetection(MachineDetection.DETECT_MESSAGE_END)
                .ringTimeout(Duration.ofSeconds(20)).timeLimit(Duration.ofMinutes(5))
                .statusCallback("https://hooks.acme.example/voice/status").idempotencyKey("reminder-1").build());
    }

    private Call awaitStatus(CallId id, CallStatus status) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            fixture.clock.advance(Duration.ofSeconds(2));
            return acme.get(id).status() == status;
        });
        return acme.get(id);
    }

    private void awaitVoiceWorkDone() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            var backlog = fixture.irisx.backlog().of(Channel.VOICE);
            return backlog.pending() == 0 && backlog.inFlight() == 0;
        });
    }

    @Test
    void a_queued_call_is_placed_through_the_first_provider_and_its_id_recorded() {
        start(first, second);
        CallId id = call();

        Call call = awaitStatus(id, CallStatus.INITIATED);
        assertThat(call.provider()).contains("first");
        assertThat(call.providerCallId()).contains(first.id(1));
        assertThat(call.providerStatus()).contains("queued");
        assertThat(call.attempts()).isEqualTo(1);
        assertThat(call.possibleDuplicate()).isFalse();
        assertThat(call.placedAt()).isPresent();
        assertThat(first.placed).singleElement().satisfies(placed -> {
            assertThat(placed).isEqualTo(new OutgoingCall(id, TenantId.of("acme"), "reminder-1", "+447400123456",
                    "+447400654321", Optional.of("support"), Optional.empty(),
                    RecordingMode.MONO, MachineDetection.DETECT_MESSAGE_END, Duration.ofSeconds(20),
                    Duration.ofMinutes(5), Optional.of("https://hooks.acme.example/voice/status")));
        });
        assertThat(second.placed).isEmpty();
        assertThat(acme.history(id)).extracting(CallStatusChange::status)
                .containsExactly(CallStatus.QUEUED, CallStatus.INITIATED);
        assertThat(fixture.events(EventType.CALL_INITIATED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"provider\":\"first\"",
                        "\"providerCallId\":\"" + first.id(1) + "\""));
    }

    @Test
    void work_delivered_again_for_a_placed_call_places_nothing() {
        start(first);
        CallId id = call();
        awaitStatus(id, CallStatus.INITIATED);
        awaitVoiceWorkDone();

        // The same call queued again, as a redelivery after a crash would deliver it.
        fixture.irisx.outbox().publish(new Envelope(MessageId.generate(), TenantId.of("acme"),
                Channel.VOICE, "again", "{\"callId\":\"" + id + "\"}"));
        awaitVoiceWorkDone();

        assertThat(first.placed).hasSize(1);
        assertThat(acme.history(id)).hasSize(2);
    }

    @Test
    void a_provider_failing_with_its_answer_hands_the_call_to_the_next_provider() {
        first.then(DOWN);
        start(first, second);
        CallId id = call();

        Call call = awaitStatus(id, CallStatus.INITIATED);
        assertThat(call.provider()).contains("second");
        assertThat(call.providerCallId()).contains(second.id(1));
        assertThat(first.placed).hasSize(1);
        assertThat(second.placed).hasSize(1);
        assertThat(call.possibleDuplicate()).isFalse();
    }

    @Test
    void a_permanent_refusal_fails_the_call_and_keeps_a_dead_letter() {
        first.then(REFUSE);
        start(first, second);
        CallId id = call();

        Call call = awaitStatus(id, CallStatus.FAILED);
        assertThat(call.lastError()).hasValueSatisfying(e -> assertThat(e).contains("first", "not valid"));
        assertThat(call.endedAt()).isPresent();
        assertThat(second.placed).isEmpty();
        assertThat(fixture.events(EventType.CALL_FAILED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"status\":\"failed\"", "not valid"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !fixture.irisx.tenant("acme")
                .deadLetters(Channel.VOICE, PageRequest.first()).items().isEmpty());
    }

    @Test
    void a_try_without_an_answer_holds_the_call_for_that_provider_and_marks_it_a_possible_duplicate() {
        first.then(SILENT, ACCEPT);
        try (LogCapture log = LogCapture.start()) {
            start(first, second);
            CallId id = call();

            Call call = awaitStatus(id, CallStatus.INITIATED);
            assertThat(call.provider()).contains("first");
            assertThat(call.possibleDuplicate()).isTrue();
            assertThat(call.attempts()).isEqualTo(2);
            assertThat(first.placed).hasSize(2);
            assertThat(second.placed).isEmpty();
            assertThat(acme.history(id).get(1).detail()).contains("placed again after a try with an unknown outcome");
            assertThat(log.lines("WARN", "io.irisx.voice")).anySatisfy(line -> assertThat(line)
                    .contains(id.value(), "possible duplicate")).noneSatisfy(line -> assertThat(line)
                    .contains("7400123456"));
        }
    }

    @Test
    void a_call_no_provider_places_fails_once_its_tries_run_out() {
        first.otherwise(DOWN);
        start(first);
        CallId id = call();

        Call call = awaitStatus(id, CallStatus.FAILED);
        assertThat(first.placed).hasSize(POLICY.maxAttempts());
        assertThat(call.lastError()).hasValueSatisfying(e -> assertThat(e)
                .contains("no provider placed it in " + POLICY.maxAttempts() + " tries", "service unavailable"));
        assertThat(acme.history(id)).extracting(CallStatusChange::status)
                .containsExactly(CallStatus.QUEUED, CallStatus.FAILED);
    }

    @Test
    void a_call_canceled_while_its_provider_places_it_is_hung_up_there() {
        first.whilePlacing(placing -> acme.hangup(placing.id()));
        start(first);
        CallId id = call();

        await().atMost(Duration.ofSeconds(20)).until(() -> !first.hungUp.isEmpty());
        assertThat(first.hungUp).singleElement()
                .satisfies(hungUp -> assertThat(hungUp.providerCallId()).isEqualTo(first.id(1)));
        assertThat(acme.get(id).status()).isEqualTo(CallStatus.CANCELED);
        assertThat(acme.history(id)).extracting(CallStatusChange::status)
                .containsExactly(CallStatus.QUEUED, CallStatus.CANCELED);
    }
}

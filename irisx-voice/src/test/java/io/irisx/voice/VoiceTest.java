package io.irisx.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.irisx.core.Channel;
import io.irisx.core.ConflictException;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.NotFoundException;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.TenantSuspendedException;
import io.irisx.core.event.EventType;
import io.irisx.core.id.CallId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.voice.flow.Flow;
import io.irisx.voice.spi.ProviderCall;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * What a tenant's {@link Voice} stores, refuses and changes, with no worker placing calls (a queue-only module whose
 * provider serves hang-ups and redirects): calls stored QUEUED with their outbox record in one transaction, numbers
 * normalised, idempotency keys honoured, hang-ups and redirects of queued and placed calls; on each database.
 */
@OnEachDialect
class VoiceTest {

    static final Flow SUPPORT = Flow.builder("support").say("hello", "Hello from Acme.").hangup("bye").build();
    static final Flow SURVEY = Flow.builder("survey").say("thanks", "Thanks for taking our survey.").build();

    @Parameter
    Database.Dialect dialect;
    private final ScriptedProvider provider = new ScriptedProvider("scripted");
    private final ScriptedProvider testProvider = new ScriptedProvider("scripted");
    private VoiceFixture fixture;
    private Voice acme;

    @BeforeEach
    void start() {
        fixture = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder().defaultRegion("GB")
                .provider(provider).testProvider(testProvider).flow(SUPPORT).flow(SURVEY).queueOnly().build());
        acme = fixture.voice("acme");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static CallRequest.Builder reminder() {
        return CallRequest.builder().to("07400 123456").from("+44 20 7946 0123").flow("support");
    }

    @Test
    void a_call_is_stored_queued_in_e164_with_its_history_event_and_outbox_record() {
        CallId id = acme.call(reminder().record(RecordingMode.DUAL).machineDetection(MachineDetection.ENABLE)
                .ringTimeout(Duration.ofSeconds(25)).timeLimit(Duration.ofMinutes(10))
                .statusCallback("https://hooks.acme.example/voice/status").build());

        Call call = acme.get(id);
        assertThat(call.status()).isEqualTo(CallStatus.QUEUED);
        assertThat(call.tenant()).isEqualTo(TenantId.of("acme"));
        assertThat(call.to()).isEqualTo("+447400123456");
        // A landline is a caller id like any other number.
        assertThat(call.from()).isEqualTo("+442079460123");
        assertThat(call.flow()).contains("support");
        assertThat(call.url()).isEmpty();
        assertThat(call.recording()).isEqualTo(RecordingMode.DUAL);
        assertThat(call.machineDetection()).isEqualTo(MachineDetection.ENABLE);
        assertThat(call.ringTimeout()).isEqualTo(Duration.ofSeconds(25));
        assertThat(call.timeLimit()).isEqualTo(Duration.ofMinutes(10));
        assertThat(call.statusCallback()).contains("https://hooks.acme.example/voice/status");
        assertThat(call.idempotencyKey()).isEqualTo(id.value());
        assertThat(call.provider()).isEmpty();
        assertThat(call.createdAt()).isEqualTo(VoiceFixture.START);
        assertThat(acme.history(id)).singleElement().satisfies(change -> {
            assertThat(change.status()).isEqualTo(CallStatus.QUEUED);
            assertThat(change.occurredAt()).isEqualTo(VoiceFixture.START);
        });
        assertThat(fixture.events(EventType.CALL_QUEUED)).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(acme.history(id).get(0).id());
            assertThat(e.data()).contains("\"callId\":\"" + id + "\"", "\"status\":\"queued\"",
                    "\"to\":\"+447400123456\"", "\"flow\":\"support\"");
        });
        assertThat(fixture.irisx.backlog().of(Channel.VOICE).pending()).isEqualTo(1);
    }

    @Test
    void a_call_to_a_url_keeps_the_url_and_no_flow() {
        CallId id = acme.call(reminder().url("https://twiml.acme.example/reminder?lang=en").build());

        assertThat(acme.get(id).url()).contains("https://twiml.acme.example/reminder?lang=en");
        assertThat(acme.get(id).flow()).isEmpty();
    }

    @Test
    void the_same_idempotency_key_is_the_same_call_and_queues_nothing_more() {
        CallId first = acme.call(reminder().idempotencyKey("reminder-8812").build());

        assertThat(acme.call(reminder().idempotencyKey("reminder-8812").flow("survey").build())).isEqualTo(first);
        assertThat(acme.get(first).flow()).contains("support");
        assertThat(acme.list(PageRequest.first(10)).items()).hasSize(1);
        assertThat(fixture.rows("irisx_outbox")).isEqualTo(1);
        assertThat(fixture.events(EventType.CALL_QUEUED)).hasSize(1);
        // Another tenant's key is its own.
        assertThat(fixture.voice("globex").call(reminder().idempotencyKey("reminder-8812").build())).isNotEqualTo(first);
    }

    @Test
    void invalid_numbers_and_unknown_flows_are_refused_naming_the_field_and_nothing_is_stored() {
        assertRefused("to", "12345", () -> acme.call(reminder().to("12345").build()));
        assertRefused("to", "07700 900123", () -> acme.call(reminder().to("07700 900123").build()));
        assertRefused("from", "+44 1", () -> acme.call(reminder().from("+44 1").build()));
        assertRefused("flow", "sales", () -> acme.call(reminder().flow("sales").build()));
        assertThat(fixture.rows("irisx_calls")).isZero();
        assertThat(fixture.rows("irisx_outbox")).isZero();
        assertThat(fixture.events).isEmpty();
    }

    @Test
    void a_suspended_tenant_places_no_call_and_nothing_is_stored() {
        fixture.irisx.tenants().create(TenantId.of("acme"), "Acme", Map.of());
        fixture.irisx.tenants().suspend(TenantId.of("acme"), "unpaid invoice");

        assertThatThrownBy(() -> acme.call(reminder().build())).isInstanceOf(TenantSuspendedException.class);
        assertThat(fixture.rows("irisx_calls")).isZero();
        assertThat(fixture.rows("irisx_outbox")).isZero();
    }

    @Test
    void after_the_runtime_is_closed_a_call_is_refused_and_nothing_is_stored() {
        fixture.irisx.close();

        assertThatThrownBy(() -> acme.call(reminder().build())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this Irisx runtime is closed");
        assertThat(fixture.rows("irisx_calls")).isZero();
        assertThat(fixture.rows("irisx_outbox")).isZero();
    }

    @Test
    void calls_are_listed_newest_first_in_pages_and_another_tenant_sees_none_of_them() {
        CallId first = acme.call(reminder().build());
        fixture.clock.advance(Duration.ofSeconds(1));
        CallId second = acme.call(reminder().build());
        fixture.clock.advance(Duration.ofSeconds(1));
        CallId third = acme.call(reminder().build());

        var page = acme.list(PageRequest.first(2));
        assertThat(page.items()).extracting(Call::id).containsExactly(third, second);
        assertThat(acme.list(PageRequest.after(page.nextCursor().orElseThrow(), 2)).items()).extracting(Call::id)
                .containsExactly(first);
        Voice globex = fixture.voice("globex");
        assertThat(globex.list(PageRequest.first(10)).items()).isEmpty();
        assertThatThrownBy(() -> globex.get(first)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.hangup(first)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.redirect(first, "survey")).isInstanceOf(NotFoundException.class);
        assertThat(acme.get(first).status()).isEqualTo(CallStatus.QUEUED);
    }

    @Test
    void calls_are_listed_by_status_numbers_and_time_and_a_bad_number_is_refused_naming_it() {
        CallId first = acme.call(reminder().build());
        fixture.clock.advance(Duration.ofMinutes(1));
        CallId second = acme.call(reminder().to("+447400999888").build());
        fixture.clock.advance(Duration.ofMinutes(1));
        CallId third = acme.call(reminder().from("+14155552671").build());
        acme.hangup(third);

        assertThat(acme.list(CallFilter.all().statuses(CallStatus.CANCELED), PageRequest.first(10)).items())
                .extracting(Call::id).containsExactly(third);
        assertThat(acme.list(CallFilter.all().statuses(CallStatus.QUEUED, CallStatus.COMPLETED),
                PageRequest.first(10)).items()).extracting(Call::id).containsExactly(second, first);
        // National numbers are read in the module's region (GB), as a call's are.
        assertThat(acme.list(CallFilter.all().to("07400 999888"), PageRequest.first(10)).items())
                .extracting(Call::id).containsExactly(second);
        assertThat(acme.list(CallFilter.all().from("+1 415 555 2671"), PageRequest.first(10)).items())
                .extracting(Call::id).containsExactly(third);
        assertThat(acme.list(CallFilter.all().createdBetween(VoiceFixture.START.plusSeconds(30),
                VoiceFixture.START.plusSeconds(90)), PageRequest.first(10)).items()).extracting(Call::id)
                .containsExactly(second);
        var page = acme.list(CallFilter.all().from("+442079460123"), PageRequest.first(1));
        assertThat(page.items()).extracting(Call::id).containsExactly(second);
        assertThat(acme.list(CallFilter.all().from("+442079460123"), PageRequest.after(page.nextCursor()
                .orElseThrow(), 1)).items()).extracting(Call::id).containsExactly(first);
        assertThat(fixture.voice("globex").list(CallFilter.all().to("+447400123456"), PageRequest.first(10))
                .items()).isEmpty();

        IrisxValidationException refused = catchThrowableOfType(IrisxValidationException.class,
                () -> acme.list(CallFilter.all().to("12345"), PageRequest.first(10)));
        assertThat(refused.field()).isEqualTo("to");
        assertThat(refused.rejectedValue()).isEqualTo("12345");
        assertThatThrownBy(() -> CallFilter.all().from(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from");
        assertThatThrownBy(() -> CallFilter.all().createdBetween(VoiceFixture.START, VoiceFixture.START))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from must be before to");
    }

    @Test
    void hanging_up_a_queued_call_cancels_it_once_without_calling_the_provider() {
        CallId id = acme.call(reminder().build());

        Call canceled = acme.hangup(id);
        assertThat(canceled.status()).isEqualTo(CallStatus.CANCELED);
        assertThat(canceled.endedAt()).contains(VoiceFixture.START);
        assertThat(acme.hangup(id).status()).isEqualTo(CallStatus.CANCELED);
        assertThat(acme.history(id)).extracting(CallStatusChange::status)
                .containsExactly(CallStatus.QUEUED, CallStatus.CANCELED);
        assertThat(fixture.events(EventType.CALL_CANCELED)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"status\":\"canceled\""));
        assertThat(provider.hungUp).isEmpty();
    }

    @Test
    void hanging_up_a_placed_call_asks_its_provider_and_applies_the_answer() {
        CallId id = acme.call(reminder().build());
        placed(id, "CA-1");

        Call ended = acme.hangup(id);
        assertThat(provider.hungUp).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo(id);
            assertThat(call.providerCallId()).isEqualTo("CA-1");
        });
        assertThat(ended.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(ended.providerStatus()).contains("completed");
        assertThat(fixture.events(EventType.CALL_COMPLETED)).hasSize(1);
        // An ended call is left as it is.
        assertThat(acme.hangup(id).status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(provider.hungUp).hasSize(1);
    }

    @Test
    void a_test_mode_view_reads_the_tenants_calls_and_sends_its_test_calls_to_the_test_provider_alone() {
        CallId live = acme.call(reminder().build());
        placed(live, "CA-3");
        Voice test = Voice.of(fixture.irisx.tenant("acme").testMode());

        assertThat(test.isTest()).isTrue();
        assertThat(test.get(live).id()).isEqualTo(live);
        assertThat(test.get(live).test()).isFalse();
        // A live call's provider is never reached from a test-mode view.
        assertThatThrownBy(() -> test.hangup(live)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test mode");
        assertThatThrownBy(() -> test.redirect(live, "survey")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test mode");

        CallId id = test.call(reminder().build());
        assertThat(test.get(id).test()).isTrue();
        assertThat(fixture.events(EventType.CALL_QUEUED).get(1).data()).contains("\"test\":true");
        placed(id, "scripted", "TEST-1");
        assertThat(test.redirect(id, "survey").flow()).contains("survey");
        assertThat(test.hangup(id).status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(testProvider.redirects).containsExactly("TEST-1 -> survey");
        assertThat(testProvider.hungUp).extracting(ProviderCall::providerCallId).containsExactly("TEST-1");
        assertThat(provider.hungUp).isEmpty();
        assertThat(provider.redirects).isEmpty();
        assertThat(acme.list(PageRequest.first(10)).items()).hasSize(2);
    }

    @Test
    void redirecting_a_queued_call_changes_the_flow_it_will_run() {
        CallId id = acme.call(reminder().url("https://twiml.acme.example/reminder").build());

        Call call = acme.redirect(id, "survey");
        assertThat(call.flow()).contains("survey");
        assertThat(call.url()).isEmpty();
        assertThat(call.status()).isEqualTo(CallStatus.QUEUED);
        assertThat(provider.redirects).isEmpty();
    }

    @Test
    void redirecting_a_placed_call_asks_its_provider_and_keeps_the_new_flow() {
        CallId id = acme.call(reminder().build());
        placed(id, "CA-2");

        Call call = acme.redirect(id, "survey");
        assertThat(provider.redirects).containsExactly("CA-2 -> survey");
        assertThat(call.flow()).contains("survey");
        assertThat(call.status()).isEqualTo(CallStatus.IN_PROGRESS);
    }

    @Test
    void an_ended_call_cannot_be_redirected_and_an_unknown_flow_is_refused() {
        CallId id = acme.call(reminder().build());
        assertRefused("flow", "sales", () -> acme.redirect(id, "sales"));
        acme.hangup(id);

        assertThatThrownBy(() -> acme.redirect(id, "survey")).isInstanceOf(ConflictException.class)
                .hasMessageContaining(id + " has ended (CANCELED)");
    }

    @Test
    void the_module_says_which_flows_it_holds() {
        assertThat(acme.flow("support")).contains(SUPPORT);
        assertThat(acme.flow("sales")).isEmpty();
        assertThat(fixture.irisx.modules()).contains("voice");
    }

    @Test
    void a_placed_call_whose_provider_this_process_lacks_cannot_be_hung_up_here() {
        CallId id = acme.call(reminder().build());
        placed(id, "elsewhere", "EL-1");

        assertThatThrownBy(() -> acme.hangup(id)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("provider elsewhere, which this process does not have");
        assertThat(acme.get(id).status()).isEqualTo(CallStatus.INITIATED);
    }

    /** Marks call {@code id} placed through the scripted provider as {@code providerCallId}, as the worker would. */
    private void placed(CallId id, String providerCallId) {
        placed(id, "scripted", providerCallId);
    }

    private void placed(CallId id, String providerName, String providerCallId) {
        fixture.database.inTransaction(connection -> {
            try (var update = connection.prepareStatement("UPDATE irisx_calls SET status = 'INITIATED',"
                    + " provider = ?, provider_call_id = ? WHERE id = ?")) {
                update.setString(1, providerName);
                update.setString(2, providerCallId);
                update.setString(3, id.value());
                return update.executeUpdate();
            }
        });
    }

    static void assertRefused(String field, String value, ThrowingCallable call) {
        IrisxValidationException refused = catchThrowableOfType(IrisxValidationException.class, call);
        assertThat(refused).as("refusal of %s", value).isNotNull();
        assertThat(refused.field()).isEqualTo(field);
        assertThat(refused.rejectedValue()).isEqualTo(value);
        assertThat(refused).hasMessageStartingWith(field + ": ");
        if (value.length() < 200 && value.chars().noneMatch(Character::isISOControl) && !value.equals("null")) {
            assertThat(refused).hasMessageStartingWith(field + ": '" + value + "' ");
        }
    }
}

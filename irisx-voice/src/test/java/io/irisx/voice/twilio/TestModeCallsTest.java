package io.irisx.voice.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.credit.CreditLedger;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.id.CallId;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import io.irisx.core.store.Jdbc;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.voice.Call;
import io.irisx.voice.CallRequest;
import io.irisx.voice.CallStatus;
import io.irisx.voice.CallStatusChange;
import io.irisx.voice.Voice;
import io.irisx.voice.VoiceFixture;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.SampleFlows;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Calls of a tenant view in test mode: stored marked as test, placed through the module's test providers or its
 * built-in sandbox and never through a live provider (the local Twilio that stands for the live one gets no request),
 * never metered and holding no prepaid credit, with {@code "test": true} in their {@code call.*} events. The live
 * provider and the registered test provider are {@link TwilioVoiceProvider}s against local servers speaking Twilio's
 * Calls API (https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource), whose statuses come in
 * signed status callbacks (https://www.twilio.com/docs/voice/api/call-resource#statuscallback). On each database.
 */
@OnEachDialect
class TestModeCallsTest {

    private static final String TOKEN = LocalTwilio.AUTH_TOKEN;
    private static final String STATUS_URL = "https://hooks.acme.example/voice/acme/status";

    @Parameter
    Database.Dialect dialect;
    private final LocalTwilio live = new LocalTwilio();
    private final LocalTwilio sandboxTwilio = new LocalTwilio();
    private VoiceFixture fixture;

    private void start(boolean withTestProvider) {
        start(withTestProvider, RateLimits.none());
    }

    private void start(boolean withTestProvider, RateLimits limits) {
        VoiceModule.Builder module = VoiceModule.builder().defaultRegion("GB").provider(twilio(live))
                .flow(SampleFlows.SUPPORT).flow(SampleFlows.SURVEY)
                .retryPolicy(RetryPolicy.exponential(Duration.ofSeconds(1), 2, 2).jitter(0).build())
                .pollInterval(Duration.ofMillis(10));
        if (withTestProvider) {
            module.testProvider(twilio(sandboxTwilio));
        }
        fixture = new VoiceFixture(TestDatabases.of(dialect), module.build(), limits);
    }

    private static TwilioVoiceProvider twilio(LocalTwilio server) {
        return TwilioVoiceProvider.builder(LocalTwilio.ACCOUNT_SID, TOKEN).baseUrl(server.baseUrl())
                .timeout(Duration.ofSeconds(2)).flowUrl("https://hooks.acme.example/voice/{tenant}/twilio")
                .statusCallbackUrl("https://hooks.acme.example/voice/{tenant}/status").build();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        live.close();
        sandboxTwilio.close();
    }

    private static CallRequest.Builder request() {
        return CallRequest.builder().to("07400 123456").from("+447400654321").flow("support");
    }

    private Voice testMode() {
        return Voice.of(fixture.irisx.tenant("acme").testMode());
    }

    private CreditLedger prepaidWithNoCredit() {
        CreditLedger credit = fixture.irisx.tenant("acme").credit();
        credit.setBillingMode(BillingMode.PREPAID);
        return credit;
    }

    private int usageRows() {
        return fixture.database.withConnection(connection -> {
            try (var select = connection.prepareStatement("SELECT COUNT(*) FROM irisx_usage"
                    + " WHERE tenant_id = 'acme'")) {
                try (var rs = select.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private List<Event> eventsOf(CallId id) {
        return fixture.events.stream().filter(e -> e.type().name().startsWith("CALL_")
                && Jdbc.fromJson(e.data(), Map.class).get("callId").equals(id.value())).toList();
    }

    /** Twilio's status callback {@code webhook}, which the handler takes. */
    private void report(LocalTwilio.Webhook webhook) {
        TwilioVoiceCallbacks callbacks = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"), TOKEN)
                .statusUrl(STATUS_URL).build();
        assertThat(callbacks.status(webhook.to(STATUS_URL)).status()).isEqualTo(204);
    }

    @Test
    void a_test_call_goes_through_every_status_in_the_sandbox_and_reaches_no_live_provider() {
        start(false);
        CreditLedger credit = prepaidWithNoCredit();
        Voice test = testMode();

        CallId id = test.call(request().build());
        await().atMost(Duration.ofSeconds(20)).until(() -> test.get(id).status() == CallStatus.COMPLETED);

        Call call = test.get(id);
        assertThat(call.test()).isTrue();
        assertThat(call.provider()).contains("sandbox");
        assertThat(call.providerCallId()).contains("sandbox-" + id.value());
        assertThat(call.duration()).contains(Duration.ZERO);
        assertThat(test.history(id)).extracting(CallStatusChange::status).containsExactly(CallStatus.QUEUED,
                CallStatus.INITIATED, CallStatus.RINGING, CallStatus.IN_PROGRESS, CallStatus.COMPLETED);
        List<Event> events = eventsOf(id);
        assertThat(events).extracting(Event::type).containsExactly(EventType.CALL_QUEUED, EventType.CALL_INITIATED,
                EventType.CALL_RINGING, EventType.CALL_ANSWERED, EventType.CALL_COMPLETED);
        assertThat(events).allSatisfy(e -> assertThat(Jdbc.fromJson(e.data(), Map.class)).containsEntry("test", true));
        assertThat(events).allSatisfy(e -> assertThat(e.test()).as("a test event").isTrue());
        assertThat(live.requests()).isEmpty();
        // A PREPAID tenant with no credit places test calls: nothing is reserved, charged or metered.
        assertThat(credit.reservation(id.value() + ":CALL_SECOND")).isEmpty();
        assertThat(credit.balance().reserved()).isZero();
        assertThat(usageRows()).isZero();
        // A test call's hang-up, once it ended, changes nothing.
        assertThat(test.hangup(id).status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(live.requests()).isEmpty();
    }

    @Test
    void a_live_call_reaches_the_live_provider_and_its_events_are_not_marked_test() {
        start(false);
        CallId id = fixture.voice("acme").call(request().build());
        await().atMost(Duration.ofSeconds(20)).until(() -> fixture.voice("acme").get(id).status()
                == CallStatus.INITIATED);

        assertThat(fixture.voice("acme").get(id).test()).isFalse();
        assertThat(live.requests()).filteredOn(r -> r.path().equals(LocalTwilio.CALLS_PATH)).hasSize(1);
        assertThat(eventsOf(id)).allSatisfy(e -> assertThat(Jdbc.fromJson(e.data(), Map.class))
                .doesNotContainKey("test"));
        assertThat(eventsOf(id)).allSatisfy(e -> assertThat(e.test()).as("a live event").isFalse());
        // A test-mode view never sends a live call's hang-up to its provider.
        assertThatThrownBy(() -> testMode().hangup(id)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test mode");
        assertThat(live.requests()).hasSize(1);
    }

    @Test
    void a_registered_test_provider_places_hangs_up_and_reports_test_calls_and_nothing_is_metered() {
        start(true);
        CreditLedger credit = prepaidWithNoCredit();
        Voice test = testMode();

        CallId id = test.call(request().timeLimit(Duration.ofMinutes(10)).build());
        await().atMost(Duration.ofSeconds(20)).until(() -> test.get(id).status() == CallStatus.INITIATED);
        String sid = test.get(id).providerCallId().orElseThrow();
        assertThat(test.get(id).provider()).contains("twilio");
        assertThat(sandboxTwilio.requests()).filteredOn(r -> r.path().equals(LocalTwilio.CALLS_PATH)).hasSize(1);

        report(LocalTwilio.Webhook.status(sid, "in-progress"));
        test.hangup(id);
        assertThat(sandboxTwilio.requests()).hasSize(2);
        assertThat(sandboxTwilio.requests().get(1).path()).endsWith("/Calls/" + sid + ".json");
        assertThat(sandboxTwilio.requests().get(1).param("Status")).isEqualTo("completed");
        report(LocalTwilio.Webhook.status(sid, "completed").with("CallDuration", "42"));

        Call call = test.get(id);
        assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(call.duration()).contains(Duration.ofSeconds(42));
        assertThat(live.requests()).isEmpty();
        assertThat(usageRows()).isZero();
        assertThat(credit.reservation(id.value() + ":CALL_SECOND")).isEmpty();
        assertThat(credit.balance().balance()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(fixture.irisx.tenant("acme").usage().daily(LocalDate.ofInstant(VoiceFixture.START,
                ZoneOffset.UTC), LocalDate.ofInstant(VoiceFixture.START, ZoneOffset.UTC))).isEmpty();
    }

    @Test
    void test_calls_take_no_delivery_tokens_so_a_flood_of_them_leaves_live_calls_their_limit() {
        start(false, RateLimits.builder().delivery(Channel.VOICE, Limit.perMinute(1).burst(1)).build());
        Voice test = testMode();
        List<CallId> calls = List.of(test.call(request().build()), test.call(request().build()),
                test.call(request().build()));

        // The clock stands still: one delivery token a minute, yet every test call completes.
        await().atMost(Duration.ofSeconds(20)).until(() -> calls.stream()
                .allMatch(id -> test.get(id).status() == CallStatus.COMPLETED));
        CallId live = fixture.voice("acme").call(request().build());
        await().atMost(Duration.ofSeconds(20)).until(() -> fixture.voice("acme").get(live).status()
                == CallStatus.INITIATED);
        assertThat(this.live.requests()).hasSize(1);
    }
}

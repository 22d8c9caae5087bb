package io.irisx.voice.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Channel;
import io.irisx.core.InsufficientCreditException;
import io.irisx.core.PageRequest;
import io.irisx.core.RateLimitedException;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.credit.CreditLedger;
import io.irisx.core.credit.Reservation;
import io.irisx.core.id.CallId;
import io.irisx.core.ratelimit.Limit;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.voice.Call;
import io.irisx.voice.CallRequest;
import io.irisx.voice.CallStatus;
import io.irisx.voice.Voice;
import io.irisx.voice.VoiceFixture;
import io.irisx.voice.VoiceModule;
import io.irisx.voice.flow.SampleFlows;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Calls held to their tenant's VOICE rate limits and, for a PREPAID tenant, to its credit: a call over the send limit
 * is refused with nothing stored; queued calls are placed at the delivery limit without spending tries; a PREPAID
 * tenant's call reserves the price of its time limit, is charged for the seconds Twilio reports it lasted, and gives
 * everything back when it never connected. Calls go through {@link TwilioVoiceProvider} to a local Twilio and their
 * statuses come in signed status callbacks (https://www.twilio.com/docs/voice/api/call-resource#statuscallback). At
 * the default price of $0.00025 a call second. On each database.
 */
@OnEachDialect
class CallLimitsAndCreditTest {

    private static final String TOKEN = LocalTwilio.AUTH_TOKEN;
    private static final String STATUS_URL = "https://hooks.acme.example/voice/acme/status";
    private static final BigDecimal SECOND = new BigDecimal("0.00025");

    @Parameter
    Database.Dialect dialect;
    private final LocalTwilio twilio = new LocalTwilio();
    private VoiceFixture fixture;
    private Voice acme;
    private TwilioVoiceCallbacks callbacks;

    private void start(RateLimits limits) {
        TwilioVoiceProvider provider = TwilioVoiceProvider.builder(LocalTwilio.ACCOUNT_SID, TOKEN)
                .baseUrl(twilio.baseUrl()).timeout(Duration.ofSeconds(2))
                .flowUrl("https://hooks.acme.example/voice/{tenant}/twilio")
                .statusCallbackUrl("https://hooks.acme.example/voice/{tenant}/status").build();
        fixture = new VoiceFixture(TestDatabases.of(dialect), VoiceModule.builder().defaultRegion("GB")
                .provider(provider).flow(SampleFlows.SUPPORT).flow(SampleFlows.SURVEY)
                .retryPolicy(RetryPolicy.exponential(Duration.ofSeconds(1), 2, 2).jitter(0).build())
                .pollInterval(Duration.ofMillis(10)).build(), limits);
        acme = fixture.voice("acme");
        callbacks = TwilioVoiceCallbacks.builder(fixture.irisx.tenant("acme"), TOKEN).statusUrl(STATUS_URL).build();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        twilio.close();
    }

    private static CallRequest.Builder request() {
        return CallRequest.builder().to("07400 123456").from("+447400654321").flow("support");
    }

    private CreditLedger prepaid(String balance) {
        CreditLedger credit = fixture.irisx.tenant("acme").credit();
        credit.setBillingMode(BillingMode.PREPAID);
        credit.topUp(new BigDecimal(balance), "top-up-1");
        return credit;
    }

    /** How many calls the local Twilio was asked to place. */
    private long placings() {
        return twilio.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().equals(LocalTwilio.CALLS_PATH)).count();
    }

    /** Waits for call {@code id} to be placed, and returns the call SID Twilio gave it. */
    private String placed(CallId id) {
        await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).status() == CallStatus.INITIATED);
        return acme.get(id).providerCallId().orElseThrow();
    }

    /** Twilio's status callback {@code webhook}, which the handler takes. */
    private void report(LocalTwilio.Webhook webhook) {
        assertThat(callbacks.status(webhook.to(STATUS_URL)).status()).isEqualTo(204);
    }

    @Test
    void a_call_over_its_tenants_send_limit_is_refused_with_when_to_retry_and_nothing_is_stored() {
        start(RateLimits.builder().send(Channel.VOICE, Limit.perMinute(2)).build());
        acme.call(request().build());
        acme.call(request().build());

        assertThatThrownBy(() -> acme.call(request().build())).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
        // A call found invalid is refused for that, and takes no token.
        assertThatThrownBy(() -> acme.call(request().to("12").build()))
                .isInstanceOf(io.irisx.core.IrisxValidationException.class);
        assertThat(acme.list(PageRequest.first(10)).items()).hasSize(2);
        // Another tenant has a limit of its own.
        assertThat(fixture.voice("globex").call(request().build())).isNotNull();

        fixture.clock.advance(Duration.ofSeconds(30));
        assertThat(acme.call(request().build())).isNotNull();
    }

    @Test
    void queued_calls_are_placed_at_their_tenants_delivery_limit_without_spending_tries() {
        start(RateLimits.builder().delivery(Channel.VOICE, Limit.perSecond(2).burst(1)).build());
        List<CallId> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(acme.call(request().build()));
        }

        // The clock stands still: the burst of one goes, the rest waits.
        await().atMost(Duration.ofSeconds(20)).until(() -> placings() == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> placings() == 1);
        for (int step = 1; placings() < 4; step++) {
            assertThat(step).as("half seconds to place 4 calls at 2 a second after a burst of 1").isLessThanOrEqualTo(3);
            fixture.clock.advance(Duration.ofMillis(500));
            int allowed = 1 + step;
            await().atMost(Duration.ofSeconds(20)).until(() -> placings() == allowed);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> calls.stream()
                .allMatch(id -> acme.get(id).status() == CallStatus.INITIATED));
        assertThat(calls).allSatisfy(id -> assertThat(acme.get(id).attempts()).isEqualTo(1));
        assertThat(fixture.irisx.tenant("acme").deadLetters(Channel.VOICE, PageRequest.first(10)).items()).isEmpty();
    }

    @Test
    void a_prepaid_call_holds_the_price_of_its_time_limit_and_is_charged_for_the_seconds_it_lasted() {
        start(RateLimits.none());
        CreditLedger credit = prepaid("1.00");
        CallId id = acme.call(request().timeLimit(Duration.ofMinutes(10)).build());
        String key = id.value() + ":CALL_SECOND";

        BigDecimal held = SECOND.multiply(BigDecimal.valueOf(600));
        assertThat(credit.reservation(key).orElseThrow().amount()).isEqualByComparingTo(held);
        assertThat(credit.balance().available()).isEqualByComparingTo(new BigDecimal("1.00").subtract(held));

        String sid = placed(id);
        report(LocalTwilio.Webhook.status(sid, "in-progress"));
        report(LocalTwilio.Webhook.status(sid, "completed").with("CallDuration", "42"));
        report(LocalTwilio.Webhook.status(sid, "completed").with("CallDuration", "42"));

        Call call = acme.get(id);
        assertThat(call.status()).isEqualTo(CallStatus.COMPLETED);
        assertThat(credit.reservation(key).orElseThrow().status()).isEqualTo(Reservation.Status.SETTLED);
        BigDecimal charged = SECOND.multiply(BigDecimal.valueOf(42));
        assertThat(credit.balance().balance()).isEqualByComparingTo(new BigDecimal("1.00").subtract(charged));
        assertThat(credit.balance().reserved()).isZero();
    }

    @Test
    void a_prepaid_call_that_never_connected_gives_back_what_it_held() {
        start(RateLimits.none());
        CreditLedger credit = prepaid("1.00");
        CallId unanswered = acme.call(request().timeLimit(Duration.ofMinutes(1)).build());
        String sid = placed(unanswered);
        report(LocalTwilio.Webhook.status(sid, "no-answer").with("CallDuration", "0"));

        assertThat(credit.reservation(unanswered.value() + ":CALL_SECOND").orElseThrow().status())
                .isEqualTo(Reservation.Status.RELEASED);
        assertThat(credit.balance().available()).isEqualByComparingTo("1.00");

        CallId busy = acme.call(request().timeLimit(Duration.ofMinutes(1)).build());
        report(LocalTwilio.Webhook.status(placed(busy), "busy"));
        assertThat(credit.reservation(busy.value() + ":CALL_SECOND").orElseThrow().status())
                .isEqualTo(Reservation.Status.RELEASED);
        assertThat(credit.balance().available()).isEqualByComparingTo("1.00");
        assertThat(credit.balance().reserved()).isZero();
    }

    @Test
    void a_call_the_credit_cannot_cover_is_refused_and_nothing_is_stored() {
        start(RateLimits.none());
        prepaid("0.01");
        int events = fixture.events.size();

        // Four hours (the default time limit) cost $3.60.
        assertThatThrownBy(() -> acme.call(request().build())).isInstanceOfSatisfying(
                InsufficientCreditException.class, e -> {
                    assertThat(e.needed()).isEqualByComparingTo("3.60");
                    assertThat(e.available()).isEqualByComparingTo("0.01");
                });
        assertThat(acme.list(PageRequest.first(10)).items()).isEmpty();
        assertThat(fixture.events).hasSize(events);
        // Twenty seconds' worth fits.
        assertThat(acme.call(request().timeLimit(Duration.ofSeconds(40)).build())).isNotNull();
    }
}

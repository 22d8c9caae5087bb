package io.irisx.testkit.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.event.EventType;
import io.irisx.core.health.Health;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.retry.CircuitState;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import io.irisx.core.usage.UsageRecord;
import io.irisx.core.usage.UsageUnit;
import io.irisx.core.callback.CallbackRequest;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsMessage;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.SmsStatus;
import io.irisx.messaging.sms.spi.OutgoingSms;
import io.irisx.messaging.sms.spi.SmsProvider;
import io.irisx.messaging.sms.spi.SmsReceipt;
import io.irisx.messaging.sms.twilio.TwilioCallbacks;
import io.irisx.testing.LogCapture;
import io.irisx.testing.TwilioSignatures;
import io.irisx.testkit.internal.KitRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SMS channel end to end on an {@link Outbox}, as JUnit 5 tests: messages queued by an {@link SmsClient} and sent
 * by the {@link SmsModule}'s worker through IRISX's Twilio provider to a {@link LocalTwilio}, in an IRISX runtime built
 * as a host builds it; time is a test clock. JUnit makes an instance per test, so an instance is used by one test's
 * threads only.
 *
 * <p>An outbox of a host's own shows that it carries SMS as IRISX's outboxes do: its test extends this kit, gives a
 * new database for each test and the outbox's factory, and removes after each test what the outbox keeps outside the
 * database, as the JetStream outbox's run does ({@code SmsSenderJetStreamPostgresTest} in IRISX's examples):
 *
 * <pre>{@code
 * class SmsSenderJetStreamPostgresTest extends SmsSenderContractKit {
 *
 *     private final String namespace = TestNats.namespace();
 *
 *     @Override
 *     protected Database newDatabase() {
 *         return TestDatabases.postgres();
 *     }
 *
 *     @Override
 *     protected Outbox.Factory outbox() {
 *         return (database, clock, events) -> TestNats.outbox(TestNats.url(), namespace)
 *                 .build(database, clock, events);
 *     }
 *
 *     @Override
 *     protected void cleanUp() {
 *         TestNats.deleteStreams(namespace);
 *     }
 * }
 * }</pre>
 *
 * <p>The kit sends through Twilio's SDK, which it brings, and reads IRISX's log lines as slf4j-simple writes them: the
 * test class path needs slf4j-simple as SLF4J's backend.
 */
public abstract class SmsSenderContractKit {

    private static final RetryPolicy POLICY = RetryPolicy.exponential(Duration.ofSeconds(1), 2, 2).jitter(0).build();

    private final LocalTwilio twilio = new LocalTwilio();
    private Database database;
    private KitRuntime runtime;
    private SmsClient acme;

    /** A new database for one test (the kit's runtime migrates it); the kit closes it after the test. */
    protected abstract Database newDatabase();

    /** The outbox under test; by default the runtime's own, the {@link JdbcOutbox}. */
    protected Outbox.Factory outbox() {
        return JdbcOutbox.factory();
    }

    /** Removes what the outbox left outside the database (streams) after each test; nothing by default. */
    protected void cleanUp() {
    }

    @BeforeEach
    final void start() {
        database = newDatabase();
        runtime = new KitRuntime(database, outbox());
        startSender(twilio.provider(), builder -> { });
    }

    @AfterEach
    final void stop() {
        try {
            runtime.close();
            database.close();
            twilio.close();
        } finally {
            cleanUp();
        }
    }

    /**
     * Starts the runtime, stopping the one running, with its SMS module sending through {@code provider} and reading
     * national numbers as British, after {@code configure} has changed the runtime's builder.
     */
    private void startSender(SmsProvider provider, Consumer<Irisx.Builder> configure) {
        runtime.start(SmsModule.builder().defaultRegion("GB").provider(provider).retryPolicy(POLICY)
                .pollInterval(Duration.ofMillis(20)).build(), configure);
        acme = SmsClient.of(irisx().tenant("acme"));
    }

    private Irisx irisx() {
        return runtime.irisx();
    }

    private static SmsMessage code(String key) {
        return SmsMessage.builder().to("07400 123456").from("+447400654321").body("Your code is 123456")
                .idempotencyKey(key).build();
    }

    /** Acme's usage records of the kit's days (its clock starts at {@link KitRuntime#START}). */
    private List<UsageRecord> usage() {
        LocalDate first = LocalDate.ofInstant(KitRuntime.START, ZoneOffset.UTC);
        return irisx().tenant("acme").usage().records(first, first.plusYears(1), PageRequest.first()).items();
    }

    private Sms awaitStatus(MessageId id, SmsStatus status, boolean tick) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (tick) {
                runtime.clock().advance(Duration.ofSeconds(2));
            }
            return acme.get(id).status() == status;
        });
        return acme.get(id);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    @Test
    void a_message_is_sent_through_twilio_and_its_sid_recorded() {
        MessageId id = acme.send(code("c-1"));

        Sms sms = awaitStatus(id, SmsStatus.SENT, false);
        assertThat(sms.provider()).contains("twilio");
        assertThat(sms.providerMessageId()).contains(LocalTwilio.sid(1));
        assertThat(sms.providerStatus()).contains("queued");
        assertThat(twilio.requests()).singleElement().satisfies(request -> {
            assertThat(request.getUrl().encodedPath())
                    .isEqualTo("/2010-04-01/Accounts/" + LocalTwilio.ACCOUNT_SID + "/Messages.json");
            assertThat(form(request.getBody().utf8())).containsEntry("To", "+447400123456")
                    .containsEntry("From", "+447400654321").containsEntry("Body", "Your code is 123456");
        });
        assertThat(runtime.events(EventType.SMS_SENT)).singleElement()
                .satisfies(e -> assertThat(e.data()).contains(LocalTwilio.sid(1)));
        assertThat(acme.segmentsSent(KitRuntime.START, KitRuntime.START.plusSeconds(60))).isEqualTo(1);
        assertThat(usage()).containsExactly(new UsageRecord(id.value() + ":SMS_SEGMENT", TenantId.of("acme"),
                UsageUnit.SMS_SEGMENT, id.value(), 1, sms.sentAt().orElseThrow()));
    }

    @Test
    void a_sender_given_a_meter_registry_times_each_provider_call_by_outcome_and_gauges_the_circuit() {
        MeterRegistry registry = new SimpleMeterRegistry();
        startSender(twilio.provider(), builder -> builder.meterRegistry(registry));
        awaitStatus(acme.send(code("c-1")), SmsStatus.SENT, false);
        twilio.mode(LocalTwilio.Mode.REFUSING);
        awaitStatus(acme.send(code("c-2")), SmsStatus.FAILED, false);

        assertThat(registry.get("irisx.provider.calls").tags("channel", "sms", "provider", "twilio", "outcome",
                "accepted").timer().count()).isEqualTo(1);
        assertThat(registry.get("irisx.provider.calls").tags("outcome", "refused").timer().count()).isEqualTo(1);
        assertThat(registry.get("irisx.provider.circuit.state").tags("provider", "twilio").gauge().value()).isZero();
    }

    @Test
    void a_refused_number_fails_the_message_with_twilios_code_and_keeps_a_dead_letter() {
        twilio.mode(LocalTwilio.Mode.REFUSING);
        MessageId id = acme.send(code("c-1"));

        Sms sms = awaitStatus(id, SmsStatus.FAILED, false);
        assertThat(sms.lastError())
                .hasValueSatisfying(e -> assertThat(e).contains("21211", "not a valid phone number"));
        assertThat(runtime.events(EventType.SMS_FAILED)).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> irisx().tenant("acme").deadLetter(id).isPresent());
        assertThat(twilio.requests()).hasSize(1);
        assertThat(usage()).isEmpty();
    }

    @Test
    void a_server_error_is_retried_until_twilio_accepts_the_message() {
        twilio.mode(LocalTwilio.Mode.DOWN);
        MessageId id = acme.send(code("c-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).attempts() == 1);
        assertThat(acme.get(id).lastError()).hasValueSatisfying(e -> assertThat(e).contains("20500"));

        twilio.mode(LocalTwilio.Mode.UP);
        Sms sms = awaitStatus(id, SmsStatus.SENT, true);
        assertThat(sms.attempts()).isEqualTo(2);
    }

    @Test
    void after_a_crash_between_acceptance_and_the_status_update_the_message_is_marked_as_a_possible_duplicate() {
        runtime.failNext(EventType.SMS_SENT);
        MessageId id = acme.send(code("c-1"));

        Sms sms = awaitStatus(id, SmsStatus.SENT, true);
        assertThat(twilio.sent()).isEqualTo(2);
        assertThat(sms.possibleDuplicate()).isTrue();
        assertThat(acme.history(id).get(1).detail()).contains("unknown outcome", "may have it twice");
        // Sent twice by Twilio, SENT once: the rolled-back change took its usage record with it.
        assertThat(usage()).extracting(UsageRecord::idempotencyKey, UsageRecord::quantity)
                .containsExactly(tuple(id.value() + ":SMS_SEGMENT", 1L));
    }

    @Test
    void a_linkage_error_after_twilio_accepted_the_message_holds_it_and_nothing_is_sent_again() {
        SmsProvider real = twilio.provider();
        SmsProvider linkingBadly = new SmsProvider() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public SmsReceipt send(OutgoingSms sms) {
                real.send(sms);
                // What a Twilio SDK built against another Jackson throws as it reads Twilio's answer.
                throw new NoSuchMethodError("'com.fasterxml.jackson.core.JsonParser"
                        + " com.fasterxml.jackson.databind.ObjectMapper.createParser(java.io.Reader)'");
            }
        };
        try (LogCapture logs = LogCapture.start()) {
            startSender(linkingBadly, builder -> { });
            MessageId id = acme.send(code("c-1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).possibleDuplicate());
            // Every retry delay and circuit wait passes many times over: the message stays held.
            // Steps well inside the 30 s claim, so a slow handling is never taken for a dead worker's.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        runtime.clock().advance(Duration.ofSeconds(2));
                        return twilio.requests().size() == 1;
                    });

            Sms sms = acme.get(id);
            assertThat(sms.status()).isEqualTo(SmsStatus.QUEUED);
            assertThat(sms.provider()).contains("twilio");
            assertThat(sms.lastError()).hasValueSatisfying(e -> assertThat(e).contains("NoSuchMethodError"));
            assertThat(acme.history(id)).last().satisfies(change -> assertThat(change.detail())
                    .startsWith("held: twilio failed with a configuration fault"));
            assertThat(runtime.circuitState("sms.providers", "twilio")).isEqualTo(CircuitState.FORCED_OPEN);
            assertThat(runtime.check("sms.providers")).isEqualTo(new Health.Check("sms.providers",
                    Health.Status.DOWN, "twilio: FORCED_OPEN"));
            assertThat(irisx().tenant("acme").deadLetter(id)).isEmpty();
            assertThat(logs.lines("ERROR", "io.irisx")).singleElement().satisfies(line -> assertThat(line).contains(
                    id.value(), "tenant=acme", "attempt 1", "java.lang.NoSuchMethodError",
                    "com.fasterxml.jackson.core.JsonParser is loaded from jackson-core-",
                    "(com.fasterxml.jackson.core:jackson-core)", "io.irisx:irisx-bom", "possible duplicate"));
        }
    }

    @Test
    void twilios_status_callbacks_carry_the_message_to_delivered() {
        MessageId id = acme.send(code("c-1"));
        String sid = awaitStatus(id, SmsStatus.SENT, false).providerMessageId().orElseThrow();
        String url = "https://hooks.acme.example/twilio/status";
        TwilioCallbacks callbacks = TwilioCallbacks.builder(irisx().tenant(acme.tenant()), LocalTwilio.AUTH_TOKEN)
                .statusUrl(url).build();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("MessageStatus", "delivered");
        assertThat(callbacks.status(TwilioSignatures.signed(LocalTwilio.AUTH_TOKEN, url, params)
                .as(CallbackRequest::post)).status()).isEqualTo(204);
        assertThat(acme.get(id).status()).isEqualTo(SmsStatus.DELIVERED);
        assertThat(runtime.events(EventType.SMS_DELIVERED)).hasSize(1);
    }
}

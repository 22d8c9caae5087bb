package io.irisx.testkit.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.credit.BillingMode;
import io.irisx.core.credit.CreditLedger;
import io.irisx.core.credit.Reservation;
import io.irisx.core.event.EventType;
import io.irisx.core.health.Health;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.JdbcOutbox;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.retry.CircuitBreakerSettings;
import io.irisx.core.retry.CircuitState;
import io.irisx.core.retry.RetryPolicy;
import io.irisx.core.store.Database;
import io.irisx.core.usage.UsageRecord;
import io.irisx.core.usage.UsageUnit;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.EmailStatus;
import io.irisx.messaging.email.StatusChange;
import io.irisx.messaging.email.spi.EmailProvider;
import io.irisx.messaging.email.spi.EmailReceipt;
import io.irisx.messaging.email.spi.OutgoingEmail;
import io.irisx.testing.LogCapture;
import io.irisx.testkit.email.LocalProviders.Mode;
import io.irisx.testkit.internal.KitRuntime;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The email channel end to end on an {@link Outbox}, as JUnit 5 tests: emails queued by an {@link EmailClient} and
 * sent by the {@link EmailModule}'s worker through Resend then Postmark, each a local server speaking its provider's
 * API, in an IRISX runtime built as a host builds it; time is a test clock, so retry delays and circuit breaker waits
 * pass without sleeping. JUnit makes an instance per test, so an instance is used by one test's threads only.
 *
 * <p>An outbox of a host's own shows that it carries email as IRISX's outboxes do: its test extends this kit, gives a
 * new database for each test and the outbox's factory, and removes after each test what the outbox keeps outside the
 * database, as the JetStream outbox's run does ({@code EmailSenderJetStreamPostgresTest} in IRISX's examples):
 *
 * <pre>{@code
 * class EmailSenderJetStreamPostgresTest extends EmailSenderContractKit {
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
 * <p>The kit reads IRISX's log lines as slf4j-simple writes them: the test class path needs slf4j-simple as SLF4J's
 * backend.
 */
public abstract class EmailSenderContractKit {

    /** Three tries: at once, after 1 s, after 2 s more; no jitter. */
    private static final RetryPolicy POLICY = RetryPolicy.exponential(Duration.ofSeconds(1), 2, 2).jitter(0).build();
    private static final TenantId GLOBEX = TenantId.of("globex");

    private final LocalProviders providers = new LocalProviders();
    private Database database;
    private KitRuntime runtime;
    private EmailClient acme;

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
        startSender(providers.resendProvider());
    }

    @AfterEach
    final void stop() {
        try {
            runtime.close();
            database.close();
            providers.close();
        } finally {
            cleanUp();
        }
    }

    /**
     * Starts the runtime, stopping the one running, with its email module sending through {@code resend} then
     * Postmark, and globex's emails through Postmark alone.
     */
    private void startSender(EmailProvider resend) {
        runtime.start(EmailModule.builder()
                .provider(resend)
                .provider(providers.postmarkProvider())
                .chain(GLOBEX, List.of("postmark"))
                .retryPolicy(POLICY)
                .pollInterval(Duration.ofMillis(20))
                .circuitBreaker(new CircuitBreakerSettings(100, 2, 2, Duration.ofSeconds(60), 1))
                .build());
        acme = client("acme");
    }

    private EmailClient client(String tenant) {
        return EmailClient.of(irisx().tenant(tenant));
    }

    private Irisx irisx() {
        return runtime.irisx();
    }

    private CircuitState circuitState(String provider) {
        return runtime.circuitState("email.providers", provider);
    }

    private static EmailMessage receipt(String key) {
        return EmailMessage.builder().from("billing@acme.example").to("ada@example.com").subject("Your receipt")
                .text("Thank you.").idempotencyKey(key).build();
    }

    /** The tenant's usage records of the kit's days (its clock starts at {@link KitRuntime#START}). */
    private List<UsageRecord> usage(String tenant) {
        LocalDate first = LocalDate.ofInstant(KitRuntime.START, ZoneOffset.UTC);
        return irisx().tenant(tenant).usage().records(first, first.plusYears(1), PageRequest.first()).items();
    }

    private Email awaitStatus(EmailClient client, MessageId id, EmailStatus status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> client.get(id).status() == status);
        return client.get(id);
    }

    /** Waits for {@code id} to reach {@code status}, moving the test clock on so that due retries come round. */
    private Email awaitStatusTicking(EmailClient client, MessageId id, EmailStatus status) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            runtime.clock().advance(Duration.ofSeconds(2));
            return client.get(id).status() == status;
        });
        return client.get(id);
    }

    @Test
    void a_provider_missing_a_class_after_sending_holds_the_email_for_it_until_a_sender_that_links_sends_it() {
        EmailProvider resend = providers.resendProvider();
        EmailProvider missingAClass = new EmailProvider() {
            @Override
            public String name() {
                return resend.name();
            }

            @Override
            public EmailReceipt send(OutgoingEmail email) {
                resend.send(email);
                throw new NoClassDefFoundError("org/example/sdk/http/RequestConfig");
            }

            @Override
            public boolean acceptsIdempotencyKey() {
                return true;
            }
        };
        try (LogCapture logs = LogCapture.start()) {
            startSender(missingAClass);
            MessageId id = acme.send(receipt("r-1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).possibleDuplicate());
            // Held for resend, which may have accepted it: postmark, next in the chain, never gets it.
            // Steps well inside the 30 s claim, so a slow handling is never taken for a dead worker's.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        runtime.clock().advance(Duration.ofSeconds(2));
                        return providers.resend.requests.size() == 1 && providers.postmark.requests.isEmpty();
                    });
            assertThat(acme.get(id).status()).isEqualTo(EmailStatus.QUEUED);
            assertThat(logs.lines("ERROR", "io.irisx")).singleElement().satisfies(line -> assertThat(line).contains(
                    id.value(), "java.lang.NoClassDefFoundError: org/example/sdk/http/RequestConfig",
                    "org.example.sdk.http.RequestConfig is absent;", "io.irisx:irisx-bom"));

            // The host fixes its class path and restarts: the email goes through resend again, with the same key.
            startSender(providers.resendProvider());
            Email sent = awaitStatusTicking(acme, id, EmailStatus.SENT);
            assertThat(sent.provider()).contains("resend");
            assertThat(sent.possibleDuplicate()).isFalse();
            assertThat(providers.resend.requests).hasSize(2).extracting(r -> r.getHeaders().get("Idempotency-Key"))
                    .containsOnly(providers.resend.requests.get(0).getHeaders().get("Idempotency-Key"));
            assertThat(providers.postmark.requests).isEmpty();
        }
    }

    @Test
    void an_email_is_sent_through_the_first_provider_and_its_id_recorded() {
        MessageId id = acme.send(receipt("r-1"));

        Email email = awaitStatus(acme, id, EmailStatus.SENT);
        assertThat(email.provider()).contains("resend");
        assertThat(email.providerMessageId()).contains("re_1");
        assertThat(email.sentAt()).isPresent();
        assertThat(email.possibleDuplicate()).isFalse();
        assertThat(acme.history(id)).extracting(StatusChange::status)
                .containsExactly(EmailStatus.QUEUED, EmailStatus.SENT);
        assertThat(runtime.events(EventType.EMAIL_SENT)).singleElement().satisfies(e -> assertThat(e.data())
                .contains("\"provider\":\"resend\"", "\"providerMessageId\":\"re_1\""));
        assertThat(providers.resend.requests).singleElement()
                .satisfies(r -> assertThat(r.getHeaders().get("Idempotency-Key")).isEqualTo("r-1"));
        assertThat(providers.postmark.requests).isEmpty();
        assertThat(usage("acme")).containsExactly(new UsageRecord(id.value() + ":EMAIL", TenantId.of("acme"),
                UsageUnit.EMAIL, id.value(), 1, email.sentAt().orElseThrow()));
    }

    @Test
    void a_prepaid_tenants_email_charges_the_price_its_send_held_once_sent() {
        CreditLedger credit = irisx().tenant("acme").credit();
        credit.setBillingMode(BillingMode.PREPAID);
        credit.topUp(new BigDecimal("1.00"), "top-up-1");
        MessageId id = acme.send(receipt("r-1"));

        awaitStatus(acme, id, EmailStatus.SENT);
        Reservation reservation = credit.reservation(id.value() + ":EMAIL").orElseThrow();
        assertThat(reservation.status()).isEqualTo(Reservation.Status.SETTLED);
        assertThat(reservation.amount()).isPositive();
        assertThat(credit.balance().reserved()).isZero();
        assertThat(credit.balance().balance()).isEqualByComparingTo(new BigDecimal("1.00")
                .subtract(reservation.amount()));
    }

    @Test
    void a_provider_that_is_down_hands_the_email_to_the_next() {
        providers.resend.mode = Mode.DOWN;
        MessageId id = acme.send(receipt("r-1"));

        Email email = awaitStatus(acme, id, EmailStatus.SENT);
        assertThat(email.provider()).contains("postmark");
        assertThat(email.providerMessageId()).contains("pm-1");
        assertThat(acme.history(id).get(1).detail())
                .contains("accepted by postmark", "resend 500", "An unexpected error occurred");
        assertThat(providers.resend.requests).hasSize(1);
    }

    @Test
    void a_tenant_with_its_own_chain_uses_it() {
        EmailClient globex = client("globex");
        MessageId id = globex.send(receipt("g-1"));

        assertThat(awaitStatus(globex, id, EmailStatus.SENT).provider()).contains("postmark");
        assertThat(providers.resend.requests).isEmpty();
    }

    @Test
    void a_permanent_refusal_fails_the_email_without_failover_and_keeps_a_dead_letter() {
        providers.resend.mode = Mode.REFUSING;
        MessageId id = acme.send(receipt("r-1"));

        Email email = awaitStatus(acme, id, EmailStatus.FAILED);
        assertThat(email.provider()).contains("resend");
        assertThat(email.lastError()).hasValueSatisfying(error ->
                assertThat(error).contains("resend 403", "[permanent]", "The acme.example domain is not verified."));
        assertThat(runtime.events(EventType.EMAIL_FAILED)).hasSize(1);
        assertThat(providers.postmark.requests).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> irisx().tenant("acme").deadLetter(id).isPresent());
        assertThat(irisx().tenant("acme").deadLetter(id).orElseThrow().lastError()).contains("not verified");
        assertThat(usage("acme")).isEmpty();
    }

    @Test
    void a_redelivered_email_that_is_no_longer_queued_is_not_sent_again() {
        providers.resend.mode = Mode.REFUSING;
        MessageId id = acme.send(receipt("r-1"));
        awaitStatus(acme, id, EmailStatus.FAILED);
        await().atMost(Duration.ofSeconds(10)).until(() -> irisx().tenant("acme").deadLetter(id).isPresent());

        // Its work comes round again; the worker reads the stored status, sends nothing and settles it.
        irisx().tenant("acme").replayDeadLetter(id);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() ->
                irisx().tenant("acme").deadLetter(id).isEmpty());
        assertThat(providers.resend.requests).hasSize(1);
        assertThat(acme.get(id).status()).isEqualTo(EmailStatus.FAILED);
    }

    @Test
    void when_no_provider_accepts_it_the_email_is_retried_then_failed() {
        providers.resend.mode = Mode.DOWN;
        providers.postmark.mode = Mode.DOWN;
        MessageId id = acme.send(receipt("r-1"));

        await().atMost(Duration.ofSeconds(20)).until(() -> acme.get(id).attempts() == 1);
        assertThat(acme.get(id).status()).isEqualTo(EmailStatus.QUEUED);
        assertThat(acme.get(id).lastError())
                .hasValueSatisfying(e -> assertThat(e).contains("resend 500", "postmark 500"));

        Email failed = awaitStatusTicking(acme, id, EmailStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.lastError())
                .hasValueSatisfying(e -> assertThat(e).contains("no provider accepted it in 3 tries"));
        // Each try went down the whole chain; the breakers opened after two failures each, so the third found
        // both circuits open or went through: at most three calls to each.
        assertThat(providers.resend.requests.size()).isBetween(2, 3);
        assertThat(runtime.events(EventType.EMAIL_FAILED)).hasSize(1);
    }

    @Test
    void the_circuit_opens_after_repeated_failures_and_half_opens_after_its_wait() {
        LogCapture logs = LogCapture.start();
        providers.resend.mode = Mode.DOWN;
        awaitStatus(acme, acme.send(receipt("r-1")), EmailStatus.SENT);
        awaitStatus(acme, acme.send(receipt("r-2")), EmailStatus.SENT);
        assertThat(circuitState("resend")).isEqualTo(CircuitState.OPEN);
        assertThat(runtime.check("email.providers")).isEqualTo(new Health.Check("email.providers",
                Health.Status.DEGRADED, "resend: OPEN, postmark: CLOSED"));

        // Open: the next email goes straight to Postmark, and Resend is not called.
        Email third = awaitStatus(acme, acme.send(receipt("r-3")), EmailStatus.SENT);
        assertThat(third.provider()).contains("postmark");
        assertThat(providers.resend.requests).hasSize(2);
        assertThat(acme.history(third.id()).get(1).detail()).contains("resend: circuit open");

        // After the wait one call is let through; Resend is back, so the circuit closes.
        providers.resend.mode = Mode.UP;
        runtime.clock().advance(Duration.ofSeconds(61));
        Email fourth = awaitStatus(acme, acme.send(receipt("r-4")), EmailStatus.SENT);
        assertThat(fourth.provider()).contains("resend");
        assertThat(circuitState("resend")).isEqualTo(CircuitState.CLOSED);
        logs.close();
        assertThat(logs.lines("io.irisx.messaging")).containsSubsequence(
                "WARN io.irisx.messaging.internal.ProviderChain - irisx: the circuit of provider resend opened"
                        + " (failure rate 100.0%); messages go to the next provider in their chain, or wait",
                "INFO io.irisx.messaging.internal.ProviderChain - irisx: the circuit of provider resend closed; it is"
                        + " called again");
    }

    @Test
    void when_every_circuit_is_open_the_email_waits_without_using_a_try() {
        providers.postmark.mode = Mode.DOWN;
        EmailClient globex = client("globex");
        MessageId first = globex.send(receipt("g-1"));
        MessageId second = globex.send(receipt("g-2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> circuitState("postmark") == CircuitState.OPEN);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                globex.get(first).attempts() == 1 && globex.get(second).attempts() == 1);

        providers.postmark.mode = Mode.UP;
        MessageId third = globex.send(receipt("g-3"));
        // Postmark's circuit is open: nothing is called, and the email keeps every try it had.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() ->
                globex.get(third).status() == EmailStatus.QUEUED);
        assertThat(globex.get(third).attempts()).isZero();
        assertThat(providers.postmark.requests).hasSize(2);

        Email sent = awaitStatusTicking(globex, third, EmailStatus.SENT);
        assertThat(sent.provider()).contains("postmark");
    }

    @Test
    void after_a_crash_between_acceptance_and_the_status_update_an_idempotent_provider_does_not_send_twice() {
        runtime.failNext(EventType.EMAIL_SENT);
        MessageId id = acme.send(receipt("r-1"));

        Email email = awaitStatusTicking(acme, id, EmailStatus.SENT);
        // Resend was asked twice with the same key, and sent once: the second answer is the first one again.
        assertThat(providers.resend.requests).hasSize(2)
                .allSatisfy(r -> assertThat(r.getHeaders().get("Idempotency-Key")).isEqualTo("r-1"));
        assertThat(providers.resend.sent.get()).isEqualTo(1);
        assertThat(email.providerMessageId()).contains("re_1");
        assertThat(email.possibleDuplicate()).isFalse();
        assertThat(acme.history(id).get(1).detail()).contains("unknown outcome", "same idempotency key");
        assertThat(runtime.events(EventType.EMAIL_SENT)).hasSize(1);
        // The SENT change that rolled back took its usage record with it: the email is metered once.
        assertThat(usage("acme")).extracting(UsageRecord::idempotencyKey).containsExactly(id.value() + ":EMAIL");
    }

    @Test
    void after_the_same_crash_a_provider_without_idempotency_keys_is_marked_as_a_possible_duplicate() {
        runtime.failNext(EventType.EMAIL_SENT);
        EmailClient globex = client("globex");
        MessageId id = globex.send(receipt("g-1"));

        Email email = awaitStatusTicking(globex, id, EmailStatus.SENT);
        assertThat(providers.postmark.sent.get()).isEqualTo(2);
        assertThat(email.possibleDuplicate()).isTrue();
        assertThat(email.providerMessageId()).contains("pm-2");
        assertThat(globex.history(id).get(1).detail())
                .contains("unknown outcome", "postmark honours no idempotency key", "may have it twice");
        // Sent twice by the provider, SENT once: metered once.
        assertThat(usage("globex")).extracting(UsageRecord::idempotencyKey).containsExactly(id.value() + ":EMAIL");
    }
}

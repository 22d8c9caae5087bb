package io.irisx.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.event.EventType;
import io.irisx.core.id.MessageId;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.core.usage.DailyUsage;
import io.irisx.core.usage.Usage;
import io.irisx.core.usage.UsageRecord;
import io.irisx.core.usage.UsageUnit;
import io.irisx.messaging.email.Email;
import io.irisx.messaging.email.EmailMessage;
import io.irisx.messaging.sms.Sms;
import io.irisx.messaging.sms.SmsMessage;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

/**
 * Emails and SMS are metered in the transaction that marks them SENT, once each however often that change is
 * attempted — again after a redelivery, from many threads at once, or after a rollback — on each database.
 */
@OnEachDialect
class MessagingUsageTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final LocalDate DAY = LocalDate.of(2030, 1, 1);

    @Parameter
    Database.Dialect dialect;
    private MessagingFixture fixture;

    @BeforeEach
    void start() {
        fixture = new MessagingFixture(TestDatabases.of(dialect));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void an_email_marked_sent_again_after_a_redelivery_is_metered_once_when_it_was_sent() {
        MessageId id = fixture.emailClient("acme").send(receipt());
        Email queued = fixture.emailStore.find(ACME, id).orElseThrow();
        fixture.clock.advance(Duration.ofMinutes(5));

        assertThat(fixture.emailStore.markSent(queued, "resend", "re_1", 1, false, "accepted")).isTrue();
        fixture.clock.advance(Duration.ofMinutes(1));
        // The worker's redelivery reads the message as it was queued and settles it again: nothing changes.
        assertThat(fixture.emailStore.markSent(queued, "resend", "re_1", 2, true, "accepted")).isFalse();

        Email sent = fixture.emailStore.find(ACME, id).orElseThrow();
        assertThat(records(ACME)).containsExactly(new UsageRecord(id.value() + ":EMAIL", ACME, UsageUnit.EMAIL,
                id.value(), 1, sent.sentAt().orElseThrow()));
    }

    @Test
    void many_threads_marking_the_same_emails_sent_at_once_meter_each_once() throws Exception {
        List<Email> emails = IntStream.range(0, 40).mapToObj(i -> fixture.emailStore.find(ACME,
                fixture.emailClient("acme").send(receipt())).orElseThrow()).toList();
        AtomicInteger changed = new AtomicInteger();

        inThreads(8, () -> {
            for (Email email : emails) {
                if (fixture.emailStore.markSent(email, "resend", "re_" + email.id(), 1, false, "accepted")) {
                    changed.incrementAndGet();
                }
            }
        });

        assertThat(changed).hasValue(emails.size());
        assertThat(records(ACME)).hasSize(emails.size()).extracting(UsageRecord::subject)
                .containsExactlyInAnyOrderElementsOf(emails.stream().map(email -> email.id().value()).toList());
        assertThat(usage(ACME).daily(DAY, DAY)).containsExactly(new DailyUsage(DAY, UsageUnit.EMAIL, 40, 40));
    }

    @Test
    void a_sent_change_that_rolls_back_meters_nothing_and_its_retry_meters_once() {
        MessageId id = fixture.emailClient("acme").send(receipt());
        Email queued = fixture.emailStore.find(ACME, id).orElseThrow();
        fixture.failNext(EventType.EMAIL_SENT);

        assertThatThrownBy(() -> fixture.emailStore.markSent(queued, "resend", "re_1", 1, false, "accepted"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(records(ACME)).isEmpty();

        assertThat(fixture.emailStore.markSent(queued, "resend", "re_1", 2, true, "accepted")).isTrue();
        assertThat(records(ACME)).extracting(UsageRecord::idempotencyKey).containsExactly(id.value() + ":EMAIL");
    }

    @Test
    void an_sms_is_metered_once_by_its_segments_and_an_mms_once_as_one_mms() throws Exception {
        // 161 GSM-7 characters: two segments.
        MessageId text = fixture.smsClient("acme").send(sms().body("x".repeat(161)).build());
        MessageId mms = fixture.smsClient("acme").send(sms().body("Your ticket").media("https://cdn.acme.example/t.png")
                .build());
        Sms queuedText = fixture.smsStore.find(ACME, text).orElseThrow();
        Sms queuedMms = fixture.smsStore.find(ACME, mms).orElseThrow();
        assertThat(queuedText.segments().segments()).isEqualTo(2);
        AtomicInteger changed = new AtomicInteger();

        inThreads(4, () -> {
            for (Sms sms : List.of(queuedText, queuedMms)) {
                if (fixture.smsStore.markSent(sms, "twilio", "SM" + sms.id(), "queued", 1, false, "accepted")) {
                    changed.incrementAndGet();
                }
            }
        });

        assertThat(changed).hasValue(2);
        assertThat(records(ACME)).extracting(UsageRecord::idempotencyKey, UsageRecord::unit, UsageRecord::quantity)
                .containsExactlyInAnyOrder(
                        tuple(text.value() + ":SMS_SEGMENT", UsageUnit.SMS_SEGMENT, 2L),
                        tuple(mms.value() + ":MMS", UsageUnit.MMS, 1L));
        assertThat(usage(ACME).daily(DAY, DAY)).containsExactly(new DailyUsage(DAY, UsageUnit.SMS_SEGMENT, 2, 1),
                new DailyUsage(DAY, UsageUnit.MMS, 1, 1));
    }

    @Test
    void a_tenant_sees_none_of_another_tenants_metered_sends() {
        MessageId id = fixture.emailClient("acme").send(receipt());
        fixture.emailStore.markSent(fixture.emailStore.find(ACME, id).orElseThrow(), "resend", "re_1", 1, false,
                "accepted");

        Usage globex = usage(TenantId.of("globex"));
        assertThat(globex.daily(DAY, DAY)).isEmpty();
        assertThat(globex.records(DAY, DAY, PageRequest.first()).items()).isEmpty();
        assertThat(globex.cost(DAY, DAY).lines()).isEmpty();
        assertThat(usage(ACME).cost(DAY, DAY).lines()).singleElement()
                .satisfies(line -> assertThat(line.quantity()).isEqualTo(1));
    }

    private static EmailMessage receipt() {
        return EmailMessage.builder().from("billing@acme.example").to("ada@example.com").subject("Your receipt")
                .text("Thank you.").build();
    }

    private static SmsMessage.Builder sms() {
        return SmsMessage.builder().to("07400 123456").from("+447400654321");
    }

    private Usage usage(TenantId tenant) {
        return fixture.irisx.tenant(tenant).usage();
    }

    private List<UsageRecord> records(TenantId tenant) {
        return usage(tenant).records(DAY, DAY, PageRequest.first(PageRequest.MAX_LIMIT)).items();
    }

    /** Runs {@code work} on {@code threads} threads at once and waits for them all. */
    private static void inThreads(int threads, Runnable work) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    work.run();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

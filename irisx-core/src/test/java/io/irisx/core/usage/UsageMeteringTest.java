package io.irisx.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.core.Irisx;
import io.irisx.core.IrisxValidationException;
import io.irisx.core.Page;
import io.irisx.core.PageRequest;
import io.irisx.core.TenantId;
import io.irisx.core.id.MessageId;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.spi.Metering;
import io.irisx.core.store.Database;
import io.irisx.core.testing.OnEachDialect;
import io.irisx.core.testing.TestDatabases;
import io.irisx.core.testing.TestRows;
import io.irisx.testing.MutableClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 * Usage records written through {@link Metering}, exactly once per key, and read back per tenant: summed per day and
 * month, paged for export with their idempotency keys, on each database.
 */
@OnEachDialect
class UsageMeteringTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final TenantId GLOBEX = TenantId.of("globex");

    @Parameter
    Database.Dialect dialect;
    private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    private Database database;
    private Irisx irisx;

    @BeforeEach
    void start() {
        database = TestDatabases.of(dialect);
        irisx = Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1")).clock(clock)
                .build();
    }

    @AfterEach
    void stop() {
        irisx.close();
        database.close();
    }

    @Test
    void the_same_unit_of_work_recorded_again_is_still_one_record() {
        String message = MessageId.generate().value();
        Instant sentAt = Instant.parse("2030-01-05T10:00:00Z");

        assertThat(record(ACME, UsageUnit.SMS_SEGMENT, message, 3, sentAt)).isTrue();
        // A redelivery, a retried status change, a restarted worker: the same key again.
        assertThat(record(ACME, UsageUnit.SMS_SEGMENT, message, 3, sentAt.plusSeconds(5))).isFalse();
        assertThat(record(ACME, UsageUnit.SMS_SEGMENT, message, 3, sentAt)).isFalse();

        Usage usage = irisx.tenant(ACME).usage();
        assertThat(usage.records(day("2030-01-01"), day("2030-01-31"), PageRequest.first()).items())
                .containsExactly(new UsageRecord(message + ":SMS_SEGMENT", ACME, UsageUnit.SMS_SEGMENT, message, 3,
                        sentAt));
        assertThat(usage.daily(day("2030-01-01"), day("2030-01-31")))
                .containsExactly(new DailyUsage(day("2030-01-05"), UsageUnit.SMS_SEGMENT, 3, 1));
        // Another unit of the same message is other usage.
        assertThat(record(ACME, UsageUnit.MMS, message, 1, sentAt)).isTrue();
    }

    @Test
    void many_threads_recording_the_same_work_at_once_write_each_key_once() throws Exception {
        int threads = 8;
        List<String> messages = IntStream.range(0, 200).mapToObj(i -> MessageId.generate().value()).toList();
        Instant sentAt = Instant.parse("2030-01-07T12:00:00Z");
        AtomicInteger written = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<String> order = new ArrayList<>(messages);
                Collections.shuffle(order);
                done.add(pool.submit(() -> {
                    go.await();
                    for (String message : order) {
                        if (record(ACME, UsageUnit.EMAIL, message, 1, sentAt)) {
                            written.incrementAndGet();
                        }
                    }
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

        assertThat(written).hasValue(messages.size());
        assertThat(irisx.tenant(ACME).usage().daily(day("2030-01-07"), day("2030-01-07")))
                .containsExactly(new DailyUsage(day("2030-01-07"), UsageUnit.EMAIL, 200, 200));
        assertThat(TestRows.column(database, "SELECT idempotency_key FROM irisx_usage"))
                .hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void usage_is_summed_per_utc_day_and_month_across_a_month_boundary() {
        record(ACME, UsageUnit.EMAIL, "msg_a", 1, Instant.parse("2030-01-31T00:00:00Z"));
        record(ACME, UsageUnit.EMAIL, "msg_b", 1, Instant.parse("2030-01-31T23:59:59.999Z"));
        record(ACME, UsageUnit.SMS_SEGMENT, "msg_c", 2, Instant.parse("2030-01-31T12:00:00Z"));
        record(ACME, UsageUnit.EMAIL, "msg_d", 1, Instant.parse("2030-02-01T00:00:00Z"));
        record(ACME, UsageUnit.SMS_SEGMENT, "msg_e", 4, Instant.parse("2030-02-01T08:00:00Z"));
        record(ACME, UsageUnit.SMS_SEGMENT, "msg_f", 1, Instant.parse("2030-02-28T23:00:00Z"));
        record(ACME, UsageUnit.WEBHOOK_DELIVERY, "msg_g", 1, Instant.parse("2030-03-01T00:00:00Z"));
        Usage usage = irisx.tenant(ACME).usage();

        assertThat(usage.daily(day("2030-01-31"), day("2030-02-01"))).containsExactly(
                new DailyUsage(day("2030-01-31"), UsageUnit.EMAIL, 2, 2),
                new DailyUsage(day("2030-01-31"), UsageUnit.SMS_SEGMENT, 2, 1),
                new DailyUsage(day("2030-02-01"), UsageUnit.EMAIL, 1, 1),
                new DailyUsage(day("2030-02-01"), UsageUnit.SMS_SEGMENT, 4, 1));
        assertThat(usage.daily(day("2030-02-01"), day("2030-02-01"))).extracting(DailyUsage::day)
                .containsOnly(day("2030-02-01"));
        assertThat(usage.monthly(YearMonth.of(2030, 1), YearMonth.of(2030, 3))).containsExactly(
                new MonthlyUsage(YearMonth.of(2030, 1), UsageUnit.EMAIL, 2, 2),
                new MonthlyUsage(YearMonth.of(2030, 1), UsageUnit.SMS_SEGMENT, 2, 1),
                new MonthlyUsage(YearMonth.of(2030, 2), UsageUnit.EMAIL, 1, 1),
                new MonthlyUsage(YearMonth.of(2030, 2), UsageUnit.SMS_SEGMENT, 5, 2),
                new MonthlyUsage(YearMonth.of(2030, 3), UsageUnit.WEBHOOK_DELIVERY, 1, 1));
        assertThat(usage.monthly(YearMonth.of(2030, 2), YearMonth.of(2030, 2))).extracting(MonthlyUsage::month)
                .containsOnly(YearMonth.of(2030, 2));
    }

    @Test
    void records_are_paged_for_export_by_day_then_key_each_with_its_idempotency_key() {
        record(ACME, UsageUnit.EMAIL, "msg_2", 1, Instant.parse("2030-01-02T09:00:00Z"));
        record(ACME, UsageUnit.EMAIL, "msg_1", 1, Instant.parse("2030-01-02T10:00:00Z"));
        record(ACME, UsageUnit.SMS_SEGMENT, "msg_0", 2, Instant.parse("2030-01-03T00:00:00Z"));
        record(ACME, UsageUnit.MMS, "msg_9", 1, Instant.parse("2030-01-01T23:00:00Z"));
        record(ACME, UsageUnit.EMAIL, "msg_late", 1, Instant.parse("2030-01-04T00:00:00Z"));
        Usage usage = irisx.tenant(ACME).usage();

        List<String> keys = new ArrayList<>();
        Page<UsageRecord> page = usage.records(day("2030-01-01"), day("2030-01-03"), PageRequest.first(2));
        keys.addAll(page.items().stream().map(UsageRecord::idempotencyKey).toList());
        while (page.hasMore()) {
            page = usage.records(day("2030-01-01"), day("2030-01-03"),
                    PageRequest.after(page.nextCursor().orElseThrow(), 2));
            keys.addAll(page.items().stream().map(UsageRecord::idempotencyKey).toList());
        }

        assertThat(keys).containsExactly("msg_9:MMS", "msg_1:EMAIL", "msg_2:EMAIL", "msg_0:SMS_SEGMENT");
        assertThat(keys).allSatisfy(key -> assertThat(key).isEqualTo(Metering.key(key.substring(0, key.indexOf(':')),
                UsageUnit.valueOf(key.substring(key.indexOf(':') + 1)))));
        assertThatThrownBy(() -> usage.records(day("2030-01-01"), day("2030-01-03"),
                PageRequest.after("not-a-cursor", 2)))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("after"));
    }

    @Test
    void a_tenant_never_sees_nor_blocks_another_tenants_usage() {
        Instant at = Instant.parse("2030-01-10T00:00:00Z");
        record(ACME, UsageUnit.EMAIL, "msg_shared", 1, at);
        record(ACME, UsageUnit.SMS_SEGMENT, "msg_acme", 7, at);

        Usage globex = irisx.tenant(GLOBEX).usage();
        assertThat(globex.daily(day("2030-01-01"), day("2030-12-31"))).isEmpty();
        assertThat(globex.monthly(YearMonth.of(2030, 1), YearMonth.of(2030, 12))).isEmpty();
        assertThat(globex.records(day("2030-01-01"), day("2030-12-31"), PageRequest.first()).items()).isEmpty();
        assertThat(globex.cost(day("2030-01-01"), day("2030-12-31")).lines()).isEmpty();
        // The same key in another tenant is that tenant's own record, not a duplicate of the first's.
        assertThat(record(GLOBEX, UsageUnit.EMAIL, "msg_shared", 1, at)).isTrue();
        assertThat(globex.daily(day("2030-01-01"), day("2030-12-31")))
                .containsExactly(new DailyUsage(day("2030-01-10"), UsageUnit.EMAIL, 1, 1));
        assertThat(irisx.tenant(ACME).usage().daily(day("2030-01-01"), day("2030-12-31")))
                .extracting(DailyUsage::quantity).containsExactly(1L, 7L);
    }

    @Test
    void deleting_a_tenant_removes_its_usage_and_own_prices_only() {
        irisx.tenants().create(ACME, "Acme", Map.of());
        record(ACME, UsageUnit.EMAIL, "msg_1", 1, Instant.parse("2030-01-02T00:00:00Z"));
        record(GLOBEX, UsageUnit.EMAIL, "msg_2", 1, Instant.parse("2030-01-02T00:00:00Z"));
        irisx.prices().setTenantPrice(ACME, UsageUnit.EMAIL, new java.math.BigDecimal("0.00005"), day("2030-01-01"));
        irisx.prices().setDefaultPrice(UsageUnit.EMAIL, new java.math.BigDecimal("0.0001"), day("2030-01-01"));

        irisx.tenants().delete(ACME);

        assertThat(irisx.tenant(ACME).usage().daily(day("2030-01-01"), day("2030-01-31"))).isEmpty();
        assertThat(irisx.prices().tenantVersions(ACME, UsageUnit.EMAIL)).isEmpty();
        assertThat(irisx.tenant(GLOBEX).usage().daily(day("2030-01-01"), day("2030-01-31"))).hasSize(1);
        assertThat(irisx.prices().defaultVersions(UsageUnit.EMAIL)).hasSize(2);
    }

    @Test
    void a_bad_range_subject_or_quantity_is_refused() {
        Usage usage = irisx.tenant(ACME).usage();
        assertThatThrownBy(() -> usage.daily(day("2030-02-01"), day("2030-01-31")))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("to");
                    assertThat(e.rejectedValue()).isEqualTo("2030-01-31");
                });
        assertThatThrownBy(() -> usage.monthly(YearMonth.of(2030, 2), YearMonth.of(2030, 1)))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("to"));
        assertThatThrownBy(() -> usage.cost(LocalDate.of(1969, 12, 31), day("2030-01-01")))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("from"));
        assertThatThrownBy(() -> usage.records(day("2030-01-01"), LocalDate.of(10000, 1, 1), PageRequest.first()))
                .isInstanceOfSatisfying(IrisxValidationException.class, e -> assertThat(e.field()).isEqualTo("to"));
        Instant at = Instant.parse("2030-01-02T00:00:00Z");
        assertThatThrownBy(() -> record(ACME, UsageUnit.EMAIL, "msg_1", 0, at))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quantity");
        assertThatThrownBy(() -> record(ACME, UsageUnit.EMAIL, "msg:1", 1, at))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
        assertThatThrownBy(() -> record(ACME, UsageUnit.EMAIL, "m".repeat(101), 1, at))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
        assertThat(TestRows.column(database, "SELECT idempotency_key FROM irisx_usage")).isEmpty();
    }

    private boolean record(TenantId tenant, UsageUnit unit, String subject, long quantity, Instant at) {
        return database.inTransaction(connection -> Metering.record(connection, tenant, unit, subject, quantity, at));
    }

    private static LocalDate day(String text) {
        return LocalDate.parse(text);
    }
}

package io.irisx.core.credit;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.InsufficientCreditException;
import io.irisx.core.Irisx;
import io.irisx.core.PageRequest;
import io.irisx.core.Tenant;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.core.testing.ChildJvm;
import io.irisx.core.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Concurrent reservations against one prepaid balance never overdraw it: many threads of one process on each
 * database, and two processes on one PostgreSQL. Exactly {@code floor(available / price)} reservations pass, and the
 * available credit ends at zero or more.
 */
class CreditConcurrencyTest {

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Database.Dialect.class)
    void many_threads_reserving_against_one_balance_never_overdraw_it(Database.Dialect dialect) throws Exception {
        try (Database database = TestDatabases.of(dialect); Irisx irisx = runtime(database)) {
            Tenant tenant = irisx.tenant("acme");
            tenant.credit().setBillingMode(BillingMode.PREPAID);
            tenant.credit().topUp(new BigDecimal("1.00"), "receipt-1");
            BigDecimal price = new BigDecimal("0.03");
            int threads = 16;
            int attempts = 12;
            AtomicInteger reserved = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    running.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < attempts; i++) {
                            try {
                                tenant.credit().reserve(price, "msg_" + thread + "_" + i + ":EMAIL");
                                reserved.incrementAndGet();
                            } catch (InsufficientCreditException e) {
                                refused.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : running) {
                    future.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(reserved.get()).isEqualTo(33);
            assertThat(refused.get()).isEqualTo(threads * attempts - 33);
            CreditBalance balance = tenant.credit().balance();
            assertThat(balance.reserved()).isEqualTo(new BigDecimal("0.99"));
            assertThat(balance.available()).isEqualTo(new BigDecimal("0.01"));
            assertThat(summed(irisx, tenant)).isEqualTo(balance);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Database.Dialect.class)
    void threads_reserving_under_one_key_make_one_reservation(Database.Dialect dialect) throws Exception {
        try (Database database = TestDatabases.of(dialect); Irisx irisx = runtime(database)) {
            Tenant tenant = irisx.tenant("acme");
            tenant.credit().setBillingMode(BillingMode.PREPAID);
            tenant.credit().topUp(new BigDecimal("1.00"), "receipt-1");
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Reservation>> running = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    running.add(pool.submit(() -> {
                        start.await();
                        return tenant.credit().reserve(new BigDecimal("0.40"), "msg_same:EMAIL").orElseThrow();
                    }));
                }
                start.countDown();
                for (Future<Reservation> future : running) {
                    assertThat(future.get(1, TimeUnit.MINUTES).amount()).isEqualTo(new BigDecimal("0.40"));
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(tenant.credit().balance().reserved()).isEqualTo(new BigDecimal("0.40"));
            assertThat(tenant.credit().entries(PageRequest.first()).items()).hasSize(2);
        }
    }

    @Test
    void two_processes_reserving_against_one_balance_on_postgresql_never_overdraw_it() {
        try (Database database = TestDatabases.postgres(); Irisx irisx = runtime(database)) {
            Tenant tenant = irisx.tenant("acme");
            tenant.credit().setBillingMode(BillingMode.PREPAID);
            tenant.credit().topUp(new BigDecimal("5.00"), "receipt-1");
            String url = TestDatabases.url(database);
            // Both start at one moment, well after both JVMs are up.
            String startAt = String.valueOf(System.currentTimeMillis() + 8_000);
            int reserved;
            try (ChildJvm first = ChildJvm.start("reserver-1", CreditReservingMain.class, url, "acme", "0.07", "4",
                    "30", "one", startAt);
                    ChildJvm second = ChildJvm.start("reserver-2", CreditReservingMain.class, url, "acme", "0.07",
                            "4", "30", "two", startAt)) {
                first.awaitLine("done", Duration.ofMinutes(2));
                second.awaitLine("done", Duration.ofMinutes(2));
                int firstReserved = count(first, "reserved ");
                int secondReserved = count(second, "reserved ");
                assertThat(count(first, "refused ") + count(second, "refused ")).isEqualTo(240 - 71);
                // Both processes won some of the race: the lock, not one process alone, kept the balance.
                assertThat(firstReserved).isPositive();
                assertThat(secondReserved).isPositive();
                reserved = firstReserved + secondReserved;
            }

            // floor(5.00 / 0.07) = 71.
            assertThat(reserved).isEqualTo(71);
            CreditBalance balance = tenant.credit().balance();
            assertThat(balance.reserved()).isEqualTo(new BigDecimal("4.97"));
            assertThat(balance.available()).isEqualTo(new BigDecimal("0.03"));
            assertThat(summed(irisx, tenant)).isEqualTo(balance);
        }
    }

    private static int count(ChildJvm child, String prefix) {
        return Integer.parseInt(child.linesAfter(prefix).get(0));
    }

    private static Irisx runtime(Database database) {
        return Irisx.builder().dataSource(database.dataSource()).sealingKeys(SealingKeys.generate("k1")).build();
    }

    /** The tenant's balance summed from its ledger's entries: the running totals must equal it. */
    private static CreditBalance summed(Irisx irisx, Tenant tenant) {
        return irisx.database().withConnection(connection -> io.irisx.core.credit.internal.CreditStore.summed(
                connection, tenant.id(), tenant.credit().currency()));
    }
}

package io.irisx.core.credit;

import io.irisx.core.InsufficientCreditException;
import io.irisx.core.TenantId;
import io.irisx.core.store.Database;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host process reserving credit on a shared database, for {@link CreditConcurrencyTest}, run by
 * {@link io.irisx.core.testing.ChildJvm}: {@code <jdbc url> <tenant> <price> <threads> <attempts per thread>
 * <key prefix> <start at, epoch millis>}. It prints {@code ready}, waits for the start time (so that two processes
 * start together), then each thread reserves {@code price} under keys of its own, each in a transaction of its own
 * as a send would; then it prints {@code reserved <n>}, {@code refused <n>} and {@code done}, and waits for its
 * standard input to close.
 */
public final class CreditReservingMain {

    private CreditReservingMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        TenantId tenant = TenantId.of(args[1]);
        BigDecimal price = new BigDecimal(args[2]);
        int threads = Integer.parseInt(args[3]);
        int attempts = Integer.parseInt(args[4]);
        String prefix = args[5];
        long startAt = Long.parseLong(args[6]);
        PrintStream out = System.out;
        try (Database database = Database.connect(url, null, null, threads)) {
            out.println("ready");
            out.flush();
            long wait = startAt - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            AtomicInteger reserved = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit(() -> {
                    for (int i = 0; i < attempts; i++) {
                        String key = prefix + "-" + thread + "-" + i + ":EMAIL";
                        try {
                            database.inTransaction(connection -> SendCredit.reserve(connection, tenant, price, key,
                                    Instant.now()));
                            reserved.incrementAndGet();
                        } catch (InsufficientCreditException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
            pool.shutdown();
            out.println("reserved " + reserved.get());
            out.println("refused " + refused.get());
            out.println("done");
            out.flush();
            while (System.in.read() != -1) {
                // The parent closes standard input to stop this process.
            }
        }
    }
}

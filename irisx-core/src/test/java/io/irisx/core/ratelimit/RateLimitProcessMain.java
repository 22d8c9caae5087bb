package io.irisx.core.ratelimit;

import io.irisx.core.Channel;
import io.irisx.core.RateLimitedException;
import io.irisx.core.TenantId;
import io.irisx.core.store.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A host process taking email send tokens of one tenant as fast as it can, for {@link RateLimitAcrossProcessesTest},
 * run by {@link io.irisx.core.testing.ChildJvm}: {@code <jdbc url> <tenant> <tokens a second> <burst> <threads>
 * <milliseconds>}. It prints {@code ready}, waits for the line {@code go}, then takes tokens from that many threads
 * for that long, on the system clock, and prints {@code result <taken> <refused> <first> <last>}: the tokens taken,
 * the refusals, and, in microseconds since the epoch, when the call that took the first token began and when the
 * call that took the last one returned. It then waits for its standard input to close.
 */
public final class RateLimitProcessMain {

    private RateLimitProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        TenantId tenant = TenantId.of(args[1]);
        Limit limit = Limit.perSecond(Long.parseLong(args[2])).burst(Long.parseLong(args[3]));
        int threads = Integer.parseInt(args[4]);
        Duration duration = Duration.ofMillis(Long.parseLong(args[5]));
        PrintStream out = System.out;
        Clock clock = Clock.systemUTC();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Database database = Database.connect(url, null, null, threads + 1)) {
            RateLimiter limiter = RateLimiter.builder(database).clock(clock)
                    .limits(RateLimits.builder().send(Channel.EMAIL, limit).build()).build();
            out.println("ready");
            out.flush();
            if (!"go".equals(in.readLine())) {
                return;
            }
            AtomicLong taken = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicLong first = new AtomicLong(Long.MAX_VALUE);
            AtomicLong last = new AtomicLong(Long.MIN_VALUE);
            Instant end = clock.instant().plus(duration);
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread worker = new Thread(() -> {
                    while (clock.instant().isBefore(end)) {
                        long before = micros(clock);
                        try {
                            limiter.acquireSend(tenant, Channel.EMAIL);
                        } catch (RateLimitedException e) {
                            refused.incrementAndGet();
                            continue;
                        }
                        long after = micros(clock);
                        taken.incrementAndGet();
                        first.accumulateAndGet(before, Math::min);
                        last.accumulateAndGet(after, Math::max);
                    }
                }, "taker-" + i);
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            out.println("result " + taken.get() + " " + refused.get() + " " + first.get() + " " + last.get());
            out.flush();
            while (in.readLine() != null) {
                // The parent closes standard input to stop this process.
            }
        } catch (IOException e) {
            e.printStackTrace(out);
        }
    }

    private static long micros(Clock clock) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
    }
}

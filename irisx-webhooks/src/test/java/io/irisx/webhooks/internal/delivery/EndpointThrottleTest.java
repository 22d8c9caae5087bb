package io.irisx.webhooks.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.irisx.testing.MutableClock;
import io.irisx.webhooks.internal.delivery.EndpointThrottle.Permit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Per-endpoint limits on deliveries in flight and deliveries started per second, on a test clock. */
class EndpointThrottleTest {

    private static final OptionalInt NONE = OptionalInt.empty();

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final EndpointThrottle throttle =
            EndpointThrottle.builder().clock(clock).busyDelay(Duration.ofMillis(500)).build();

    @Test
    @DisplayName("At most maxConcurrency deliveries to an endpoint are in flight; closing one frees its slot")
    void concurrency_cap() {
        Permit first = throttle.tryAcquire("ep_a", NONE, OptionalInt.of(2));
        Permit second = throttle.tryAcquire("ep_a", NONE, OptionalInt.of(2));
        Permit third = throttle.tryAcquire("ep_a", NONE, OptionalInt.of(2));

        assertThat(first.isGranted()).isTrue();
        assertThat(second.isGranted()).isTrue();
        assertThat(third.isGranted()).isFalse();
        assertThat(third.retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(throttle.inFlight("ep_a")).isEqualTo(2);

        first.close();
        first.close();
        third.close();

        assertThat(throttle.inFlight("ep_a")).isEqualTo(1);
        try (Permit again = throttle.tryAcquire("ep_a", NONE, OptionalInt.of(2))) {
            assertThat(again.isGranted()).isTrue();
            assertThat(throttle.tryAcquire("ep_a", NONE, OptionalInt.of(2)).isGranted()).isFalse();
        }
        second.close();
        assertThat(throttle.inFlight("ep_a")).isZero();
    }

    @Test
    @DisplayName("A full endpoint holds back only itself")
    void endpoints_are_independent() {
        Permit busy = throttle.tryAcquire("ep_slow", OptionalInt.of(1), OptionalInt.of(1));
        assertThat(busy.isGranted()).isTrue();
        assertThat(throttle.tryAcquire("ep_slow", OptionalInt.of(1), OptionalInt.of(1)).isGranted()).isFalse();

        for (int i = 0; i < 3; i++) {
            try (Permit other = throttle.tryAcquire("ep_fast", NONE, OptionalInt.of(1))) {
                assertThat(other.isGranted()).isTrue();
            }
        }
        busy.close();
    }

    @Test
    @DisplayName("At most ratePerSecond deliveries start per second; a refusal says when the next token comes")
    void rate_cap() {
        OptionalInt rate = OptionalInt.of(5);
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryAcquire("ep_a", rate, NONE).isGranted()).as("start %d", i).isTrue();
        }
        assertThat(throttle.availableStarts("ep_a")).hasValue(0);

        Permit refused = throttle.tryAcquire("ep_a", rate, NONE);
        assertThat(refused.isGranted()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(200));

        clock.advance(Duration.ofMillis(200));
        assertThat(throttle.tryAcquire("ep_a", rate, NONE).isGranted()).isTrue();
        assertThat(throttle.tryAcquire("ep_a", rate, NONE).isGranted()).isFalse();

        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.availableStarts("ep_a")).as("refilled to one second's worth, no more").hasValue(5);
    }

    @Test
    @DisplayName("A delivery refused for its rate does not keep a concurrency slot")
    void rate_refusal_frees_the_slot() {
        assertThat(throttle.tryAcquire("ep_a", OptionalInt.of(1), OptionalInt.of(3)).isGranted()).isTrue();
        assertThat(throttle.inFlight("ep_a")).isEqualTo(1);

        assertThat(throttle.tryAcquire("ep_a", OptionalInt.of(1), OptionalInt.of(3)).isGranted()).isFalse();
        assertThat(throttle.inFlight("ep_a")).isEqualTo(1);
    }

    @Test
    @DisplayName("New limits for an endpoint apply from the next request")
    void limits_change() {
        assertThat(throttle.tryAcquire("ep_a", OptionalInt.of(1), NONE).isGranted()).isTrue();
        assertThat(throttle.tryAcquire("ep_a", OptionalInt.of(1), NONE).isGranted()).isFalse();

        assertThat(throttle.tryAcquire("ep_a", OptionalInt.of(10), NONE).isGranted()).isTrue();
        assertThat(throttle.availableStarts("ep_a")).hasValue(9);

        assertThat(throttle.tryAcquire("ep_a", NONE, NONE).isGranted()).isTrue();
        assertThat(throttle.availableStarts("ep_a")).isEmpty();
    }

    @Test
    @DisplayName("Under contention from many threads, no more than maxConcurrency permits are ever out at once")
    void concurrency_cap_holds_under_contention() throws Exception {
        int threads = 8;
        AtomicInteger out = new AtomicInteger();
        AtomicInteger mostOut = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 500; i++) {
                        try (Permit permit = throttle.tryAcquire("ep_hot", NONE, OptionalInt.of(3))) {
                            if (permit.isGranted()) {
                                granted.incrementAndGet();
                                mostOut.accumulateAndGet(out.incrementAndGet(), Math::max);
                                out.decrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(mostOut.get()).isBetween(1, 3);
        assertThat(granted.get()).isPositive();
        assertThat(throttle.inFlight("ep_hot")).isZero();
    }

    @Test
    @DisplayName("Limits below 1 are refused, naming the limit")
    void bad_limits() {
        assertThatThrownBy(() -> throttle.tryAcquire("ep_a", OptionalInt.of(0), NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ratePerSecond").hasMessageContaining("0");
        assertThatThrownBy(() -> throttle.tryAcquire("ep_a", NONE, OptionalInt.of(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrency");
        assertThatThrownBy(() -> EndpointThrottle.builder().busyDelay(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyDelay");
    }
}

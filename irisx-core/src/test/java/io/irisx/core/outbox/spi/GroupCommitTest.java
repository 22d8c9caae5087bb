package io.irisx.core.outbox.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void every_caller_gets_its_own_result_and_batches_overlap_up_to_the_writer_limit() throws Exception {
        AtomicInteger writing = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        GroupCommit<Integer, Integer> group = new GroupCommit<>(8, 3, items -> {
            mostAtOnce.accumulateAndGet(writing.incrementAndGet(), Math::max);
            batches.incrementAndGet();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writing.decrementAndGet();
            assertThat(items).hasSizeBetween(1, 8);
            return items.stream().map(item -> item * 10).toList();
        });
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int item = i;
                results.add(callers.submit(() -> group.submit(item) == item * 10));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(1, TimeUnit.MINUTES)).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(mostAtOnce.get()).isBetween(2, 3);
        // Callers that arrive while the writers are busy share a batch.
        assertThat(batches.get()).isLessThan(2_000);
    }

    @Test
    void a_failed_batch_fails_each_of_its_callers_with_the_writer_exception() {
        GroupCommit<String, String> group = new GroupCommit<>(4, 2, items -> {
            throw new IllegalStateException("database away");
        });

        assertThatThrownBy(() -> group.submit("a")).isInstanceOf(IllegalStateException.class)
                .hasMessage("database away");
        // The group goes on: the next submit is written again.
        assertThatThrownBy(() -> group.submit("b")).hasMessage("database away");
    }
}

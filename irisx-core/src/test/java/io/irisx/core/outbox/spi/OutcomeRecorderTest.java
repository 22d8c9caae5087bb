package io.irisx.core.outbox.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutcomeRecorderTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<List<Integer>> written = new CopyOnWriteArrayList<>();
    private final CountDownLatch writerMayGo = new CountDownLatch(1);
    private final CountDownLatch writing = new CountDownLatch(1);
    private final AtomicBoolean stopped = new AtomicBoolean();

    @AfterEach
    void letTheWriterGo() {
        writerMayGo.countDown();
    }

    /** A recorder of batches of at most {@code batchSize} whose writer holds its first batch until let go. */
    private OutcomeRecorder<Integer> recorder(int batchSize) {
        OutcomeRecorder<Integer> recorder = new OutcomeRecorder<>(Thread::new, batchSize, Duration.ofMillis(10),
                stopped::get, batch -> {
                    if (written.isEmpty()) {
                        writing.countDown();
                        try {
                            writerMayGo.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    written.add(List.copyOf(batch));
                });
        recorder.start();
        return recorder;
    }

    @Test
    @DisplayName("a handler goes on while outcomes are written, until a batch of them waits; what came in meanwhile is"
            + " written together, in order")
    void handsOverWithoutWaitingUpToABatch() throws Exception {
        OutcomeRecorder<Integer> recorder = recorder(3);
        AtomicInteger handed = new AtomicInteger();
        recorder.hand(1);
        writing.await();
        Thread handler = new Thread(() -> {
            for (int i = 2; i <= 8; i++) {
                recorder.hand(i);
                handed.set(i);
            }
        });
        handler.start();

        // 1 is being written (held), 2 to 3 wait with it: room for three. The fourth waits for room.
        await().atMost(PATIENCE).until(() -> handed.get() == 3);
        await().during(Duration.ofMillis(200)).atMost(PATIENCE).until(() -> handed.get() == 3);
        assertThat(written).isEmpty();

        writerMayGo.countDown();
        handler.join(PATIENCE.toMillis());
        await().atMost(PATIENCE).until(() -> written.stream().mapToInt(List::size).sum() == 8);

        assertThat(written.get(0)).containsExactly(1);
        assertThat(written.get(1)).startsWith(2, 3);
        assertThat(written).allMatch(batch -> batch.size() <= 3);
        assertThat(written.stream().flatMap(List::stream).toList()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    @DisplayName("finishing writes what waits before it returns, then stops the recorder")
    void finishWritesWhatWaits() throws Exception {
        writerMayGo.countDown();
        OutcomeRecorder<Integer> recorder = recorder(4);
        for (int i = 1; i <= 10; i++) {
            recorder.hand(i);
        }

        recorder.finish(PATIENCE);

        assertThat(written.stream().flatMap(List::stream).toList()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    @DisplayName("a writer's failure gives its batch up and frees its room: the recorder goes on with the next")
    void aFailedBatchIsGivenUp() throws Exception {
        List<List<Integer>> tried = new CopyOnWriteArrayList<>();
        OutcomeRecorder<Integer> recorder = new OutcomeRecorder<>(Thread::new, 1, Duration.ofMillis(10),
                stopped::get, batch -> {
                    tried.add(List.copyOf(batch));
                    if (batch.contains(1)) {
                        throw new IllegalStateException("the database is away");
                    }
                });
        recorder.start();

        recorder.hand(1);
        recorder.hand(2);
        recorder.finish(PATIENCE);

        assertThat(tried).containsExactly(List.of(1), List.of(2));
    }

    @Test
    @DisplayName("an idle recorder stops by itself once its worker has stopped, when nothing waits")
    void anIdleRecorderStopsOnceItsWorkerHas() {
        List<Thread> threads = new ArrayList<>();
        OutcomeRecorder<Integer> recorder = new OutcomeRecorder<>(runnable -> {
            Thread thread = new Thread(runnable);
            threads.add(thread);
            return thread;
        }, 2, Duration.ofMillis(10), stopped::get, batch -> written.add(List.copyOf(batch)));
        recorder.start();
        recorder.hand(7);
        await().atMost(PATIENCE).until(() -> written.size() == 1);
        assertThat(threads.get(0).isAlive()).isTrue();

        stopped.set(true);

        await().atMost(PATIENCE).pollInterval(5, TimeUnit.MILLISECONDS).until(() -> !threads.get(0).isAlive());
        assertThat(written).containsExactly(List.of(7));
    }
}

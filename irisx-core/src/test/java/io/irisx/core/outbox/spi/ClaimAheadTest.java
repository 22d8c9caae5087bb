package io.irisx.core.outbox.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.core.outbox.ConsumeOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How far a worker claims ahead of its handlers: a batch more only while they are shown quick. */
class ClaimAheadTest {

    private static final ConsumeOptions OPTIONS = ConsumeOptions.builder().concurrency(4).batchSize(32)
            .claimTimeout(Duration.ofSeconds(30)).build();

    @Test
    void beforeAnyHandlingTheWorkerHoldsNoMoreThanItsHandlers() {
        ClaimAhead pace = ClaimAhead.of(OPTIONS);

        assertThat(pace.room(0)).isEqualTo(4);
        assertThat(pace.room(3)).isEqualTo(1);
        assertThat(pace.room(4)).isZero();
    }

    @Test
    void quickHandlersGetABatchClaimedAheadOfThem() {
        ClaimAhead pace = ClaimAhead.of(OPTIONS);
        handle(pace, 4, Duration.ofMillis(1));

        assertThat(pace.room(0)).isEqualTo(36);
        assertThat(pace.room(30)).isEqualTo(6);
    }

    @Test
    void fewerHandlingsThanHandlersShowNothingYet() {
        ClaimAhead pace = ClaimAhead.of(OPTIONS);
        handle(pace, 3, Duration.ofMillis(1));

        assertThat(pace.room(0)).isEqualTo(4);
    }

    @Test
    void handlersTooSlowForARecordInLineToStartWithinAQuarterOfItsClaimGetNothingAhead() {
        ClaimAhead pace = ClaimAhead.of(OPTIONS);
        // A record claimed ahead waits for up to 32 / 4 handlings, then takes its own: 9 x 1 s > 30 s / 4.
        handle(pace, 4, Duration.ofSeconds(1));

        assertThat(pace.room(0)).isEqualTo(4);
    }

    @Test
    void aBacklogIsTakenABatchAtATimeNotARecordEachTimeAHandlerFreesItsPlace() {
        ClaimAhead pace = ClaimAhead.of(OPTIONS);
        assertThat(pace.batch(0)).as("before any handling: the handlers' places").isEqualTo(4);
        handle(pace, 4, Duration.ofMillis(1));

        assertThat(pace.batch(0)).as("a batch at most").isEqualTo(32);
        assertThat(pace.batch(4)).as("handlers busy, none in line").isEqualTo(32);
        assertThat(pace.batch(20)).as("half a batch free").isEqualTo(16);
        assertThat(pace.batch(21)).as("less than half a batch free").isZero();
        assertThat(pace.batch(36)).isZero();
    }

    @Test
    void aPlaceIsTakenOnlyWhileThereIsRoomCountingWhatIsHeldBesides() {
        ClaimAhead pace = ClaimAhead.of(OPTIONS);
        AtomicInteger taken = new AtomicInteger(1);

        assertThat(pace.take(taken, 2)).isTrue();
        assertThat(taken).hasValue(2);
        assertThat(pace.take(taken, 2)).isFalse();
        assertThat(taken).hasValue(2);

        handle(pace, 4, Duration.ofMillis(1));
        assertThat(pace.take(taken, 2)).isTrue();
        assertThat(taken).hasValue(3);
    }

    @Test
    void aRecordThatWaitedInLineForAQuarterOfItsClaimIsStale() {
        ClaimAhead pace = ClaimAhead.of(OPTIONS);
        long now = System.nanoTime();

        assertThat(pace.waitedTooLong(now)).isFalse();
        assertThat(pace.waitedTooLong(now - Duration.ofSeconds(8).toNanos())).isTrue();
    }

    /** Notes {@code count} handlings of {@code each}, the last of them ending now. */
    private static void handle(ClaimAhead pace, int count, Duration each) {
        long end = System.nanoTime();
        for (int i = 0; i < count; i++) {
            pace.handled(end - each.toNanos(), end);
        }
    }
}

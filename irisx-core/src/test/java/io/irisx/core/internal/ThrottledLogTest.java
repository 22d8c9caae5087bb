package io.irisx.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.irisx.testing.LogCapture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLogTest {

    @Test
    void eachKindIsWrittenAtMostItsRateAMinuteAndTheNextLineSaysHowManyWereLeftOut() {
        AtomicLong now = new AtomicLong();
        ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger("throttled.test"), 3, now::get);
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 10; i++) {
                log.warn("attempt", "attempt {} failed", i);
            }
            log.error("dead", "dead letter {}", 1);
            now.addAndGet(61_000_000_000L);
            log.warn("attempt", "attempt {} failed", 10);

            assertThat(logs.lines("throttled.test")).containsExactly(
                    "WARN throttled.test - attempt 0 failed",
                    "WARN throttled.test - attempt 1 failed",
                    "WARN throttled.test - attempt 2 failed",
                    "ERROR throttled.test - dead letter 1",
                    "WARN throttled.test - attempt 10 failed (7 more such line(s) left out in the last minute)");
        }
    }
}

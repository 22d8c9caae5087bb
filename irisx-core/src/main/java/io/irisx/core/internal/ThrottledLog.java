package io.irisx.core.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Logs lines that may come in floods (a failed attempt of every message while a provider is down) without drowning
 * the host's log: each kind of line is written at most {@code perMinute} times a minute, and the first one written
 * after some were left out says how many. Thread-safe.
 */
public final class ThrottledLog {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final Logger logger;
    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    ThrottledLog(Logger logger, int perMinute, LongSupplier nanoTime) {
        this.logger = Objects.requireNonNull(logger, "logger");
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1, was " + perMinute);
        }
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /** Writes through {@code logger}, at most {@code perMinute} lines of each kind a minute. */
    public static ThrottledLog of(Logger logger, int perMinute) {
        return new ThrottledLog(logger, perMinute, System::nanoTime);
    }

    /** Logs at WARN, unless {@code kind}'s lines are over their rate this minute. */
    public void warn(String kind, String format, Object... arguments) {
        log(Level.WARN, kind, format, arguments);
    }

    /** Logs at ERROR, unless {@code kind}'s lines are over their rate this minute. */
    public void error(String kind, String format, Object... arguments) {
        log(Level.ERROR, kind, format, arguments);
    }

    private void log(Level level, String kind, String format, Object... arguments) {
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        long left = windows.computeIfAbsent(kind, k -> new Window()).admit(nanoTime.getAsLong(), perMinute);
        if (left < 0) {
            return;
        }
        String line = left == 0 ? format : format + " (" + left + " more such line(s) left out in the last minute)";
        if (level == Level.ERROR) {
            logger.error(line, arguments);
        } else {
            logger.warn(line, arguments);
        }
    }

    /** One kind's current minute: lines written and left out. */
    private static final class Window {
        private long start;
        private boolean started;
        private int written;
        private long leftOut;

        /** The number of lines left out before this one when it is to be written, or -1 when it is left out too. */
        synchronized long admit(long now, int perMinute) {
            if (!started || now - start >= MINUTE_NANOS) {
                started = true;
                start = now;
                written = 0;
            }
            if (written >= perMinute) {
                leftOut++;
                return -1;
            }
            written++;
            long before = leftOut;
            leftOut = 0;
            return before;
        }
    }
}

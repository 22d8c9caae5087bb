package io.irisx.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * What IRISX logs while a test runs, as slf4j-simple (the tests' SLF4J backend) writes it to standard error, which this
 * copies while it is open; thread-safe. Lines read {@code LEVEL logger - message}, without the thread.
 *
 * <p>It reads slf4j-simple's lines only: with another SLF4J backend on the test class path {@link #start()} fails
 * and says so, rather than letting a test find no lines.
 */
public final class LogCapture implements AutoCloseable {

    /** A line as slf4j-simple writes it: the thread in brackets, unless a host's configuration leaves it out. */
    private static final Pattern LINE =
            Pattern.compile("^(?:\\[[^\\]]*\\] )?((?:TRACE|DEBUG|INFO|WARN|ERROR) \\S+ - .*)$");

    private final PrintStream original;
    private final List<String> lines = new ArrayList<>();

    private LogCapture() {
        this.original = System.err;
        System.setErr(new PrintStream(new Tee(), true, StandardCharsets.UTF_8));
    }

    /**
     * Starts copying what is logged; close it to stop.
     *
     * @throws IllegalStateException when SLF4J's backend is not slf4j-simple
     */
    public static LogCapture start() {
        requireSimpleLogger(LoggerFactory.getILoggerFactory().getClass().getName());
        return new LogCapture();
    }

    /** Checks that {@code loggerFactory}, the class name of SLF4J's logger factory, is slf4j-simple's. */
    static void requireSimpleLogger(String loggerFactory) {
        if (!loggerFactory.startsWith("org.slf4j.simple.")) {
            throw new IllegalStateException("LogCapture reads the lines slf4j-simple writes to standard error, but"
                    + " SLF4J logs through " + loggerFactory + ": put org.slf4j:slf4j-simple, and no other SLF4J"
                    + " backend, on the test class path");
        }
    }

    /** Every line logged so far by a logger whose name starts with {@code loggerPrefix}, in order. */
    public synchronized List<String> lines(String loggerPrefix) {
        List<String> matching = new ArrayList<>();
        for (String line : lines) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches() && matcher.group(1).split(" ", 3)[1].startsWith(loggerPrefix)) {
                matching.add(matcher.group(1));
            }
        }
        return matching;
    }

    /** Every line logged so far at {@code level} (WARN, ERROR, …) by a logger under {@code loggerPrefix}. */
    public List<String> lines(String level, String loggerPrefix) {
        return lines(loggerPrefix).stream().filter(line -> line.startsWith(level + " ")).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }

    private synchronized void add(String line) {
        lines.add(line);
    }

    /**
     * Passes everything on to the original stream as it comes, a whole write at once (the stream a test runner gives
     * may take long over each write), and keeps each line.
     */
    private final class Tee extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            original.write(b);
            keep(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            original.write(bytes, offset, length);
            for (int i = offset; i < offset + length; i++) {
                keep(bytes[i]);
            }
        }

        private void keep(int b) {
            if (b == '\n') {
                add(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            } else {
                pending.write(b);
            }
        }
    }
}

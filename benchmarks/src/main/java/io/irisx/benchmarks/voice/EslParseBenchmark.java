package io.irisx.benchmarks.voice;

import io.irisx.voice.freeswitch.internal.EslDecoder;
import io.irisx.voice.freeswitch.internal.EslEvent;
import io.irisx.voice.freeswitch.internal.EslMessage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Event Socket events parsed per millisecond from a stream of 200 calls' events ({@link EslStream}, 2,600 events, fed
 * in 64 KiB chunks as a socket reads them): IRISX's {@link EslDecoder} framing each message and {@link EslEvent}
 * decoding its headers, beside a bare split of the same bytes at blank lines and line breaks with no URL decoding and
 * no checks (the limit). One operation is the whole stream; run by JMH.
 *
 * <p>Not {@code final}: JMH generates a subclass of each benchmark class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EslParseBenchmark {

    /** Calls in the stream. */
    public static final int CALLS = 200;
    private static final int CHUNK = 64 * 1024;

    private byte[] stream;

    /** Builds the stream once. */
    @Setup
    public void setUp() {
        stream = EslStream.of(CALLS);
    }

    /** IRISX: decoder and event parser; returns the events parsed. */
    @Benchmark
    public int irisx() {
        return parse(stream);
    }

    /** The limit: messages cut at blank lines, bodies by Content-Length, headers split at ": ", nothing decoded. */
    @Benchmark
    public int bareSplit() {
        String text = new String(stream, StandardCharsets.ISO_8859_1);
        int events = 0;
        int at = 0;
        while (at < text.length()) {
            int blank = text.indexOf("\n\n", at);
            int length = Integer.parseInt(text.substring(at + "Content-Length: ".length(), text.indexOf('\n', at)));
            String body = text.substring(blank + 2, blank + 2 + length);
            Map<String, String> headers = new HashMap<>();
            int line = 0;
            while (line < body.length()) {
                int end = body.indexOf('\n', line);
                if (end == line) {
                    break;
                }
                int colon = body.indexOf(": ", line);
                headers.put(body.substring(line, colon), body.substring(colon + 2, end));
                line = end + 1;
            }
            events += headers.isEmpty() ? 0 : 1;
            at = blank + 2 + length;
        }
        return events;
    }

    /** Parses {@code stream} with IRISX's codec, as the connection's reader does; returns the events. */
    public static int parse(byte[] stream) {
        EslDecoder decoder = new EslDecoder();
        int events = 0;
        for (int at = 0; at < stream.length; at += CHUNK) {
            for (EslMessage message : decoder.feed(stream, at, Math.min(CHUNK, stream.length - at))) {
                events += EslEvent.parse(message).name().isEmpty() ? 0 : 1;
            }
        }
        return events;
    }
}

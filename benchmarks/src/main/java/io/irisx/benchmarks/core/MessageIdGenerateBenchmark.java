package io.irisx.benchmarks.core;

import io.irisx.core.id.MessageId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How many {@link MessageId}s one thread makes per microsecond, beside {@link UUID#randomUUID()}, the JDK's own
 * unique id; run by JMH, which gives each fork its own instance.
 *
 * <p>Not {@code final}: JMH generates a subclass of each benchmark class.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MessageIdGenerateBenchmark {

    /** IRISX: a time-sortable {@code msg_} id, 48-bit millisecond time and 80 random bits. */
    @Benchmark
    public MessageId irisx() {
        return MessageId.generate();
    }

    /** The peer: a random (version 4) UUID, 122 bits from {@code SecureRandom}. */
    @Benchmark
    public UUID jdkRandomUuid() {
        return UUID.randomUUID();
    }
}

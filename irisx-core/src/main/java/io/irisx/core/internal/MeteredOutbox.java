package io.irisx.core.internal;

import io.irisx.core.Channel;
import io.irisx.core.health.Health;
import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Backlog;
import io.irisx.core.outbox.ConsumeOptions;
import io.irisx.core.outbox.DeadLetters;
import io.irisx.core.outbox.Envelope;
import io.irisx.core.outbox.Handler;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.outbox.Outcome;
import io.irisx.core.outbox.Subscription;
import io.irisx.core.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An {@link Outbox} that counts and times what passes through it in a Micrometer registry, and gauges each channel's
 * backlog; thread-safe. The runtime wraps its outbox in one when the host gives it a registry.
 *
 * <p>Meters, each tagged with {@code channel} (lower case): {@code irisx.outbox.published} (envelopes published);
 * {@code irisx.outbox.handled} (deliveries handled, tagged {@code outcome}: done, retry, defer, fail or error);
 * {@code irisx.outbox.handling} (the handler's time); {@code irisx.outbox.latency} (from the envelope's publication to
 * its handling done); {@code irisx.outbox.dead.letters} (dead letters made); and gauges read from the backlog at most
 * once every few seconds: {@code irisx.outbox.backlog} (tagged {@code status}: pending, in_flight, dead),
 * {@code irisx.outbox.overdue.seconds}, {@code irisx.outbox.unpublished} and {@code irisx.outbox.relay.lag.seconds}.
 */
public final class MeteredOutbox implements Outbox {

    /** What a handler's outcome is counted as, error being a handler that threw. */
    private static final List<String> OUTCOMES = List.of("done", "retry", "defer", "fail", "error");

    private final Outbox outbox;
    private final MeterRegistry registry;
    private final Clock clock;
    /** Registered once, as publishing is a hot path. */
    private final Map<Channel, Counter> published = new EnumMap<>(Channel.class);

    private MeteredOutbox(Outbox outbox, MeterRegistry registry, Clock clock) {
        this.outbox = outbox;
        this.registry = registry;
        this.clock = clock;
        for (Channel channel : Channel.values()) {
            published.put(channel, Counter.builder("irisx.outbox.published").tag("channel", tag(channel))
                    .register(registry));
        }
    }

    /** {@code outbox}, metered in {@code registry}, with gauges over the backlog that {@code backlog} reads. */
    public static Outbox of(Outbox outbox, MeterRegistry registry, Clock clock, Supplier<Backlog> backlog) {
        Supplier<Backlog> cached = new CachedBacklog(backlog, clock, Duration.ofSeconds(5));
        for (Channel channel : Channel.values()) {
            gauge(registry, "irisx.outbox.backlog", channel, cached, b -> b.pending(), "status", "pending");
            gauge(registry, "irisx.outbox.backlog", channel, cached, b -> b.inFlight(), "status", "in_flight");
            gauge(registry, "irisx.outbox.backlog", channel, cached, b -> b.dead(), "status", "dead");
            gauge(registry, "irisx.outbox.overdue.seconds", channel, cached, b -> b.overdue().toMillis() / 1000.0);
            gauge(registry, "irisx.outbox.unpublished", channel, cached, b -> b.unpublished());
            gauge(registry, "irisx.outbox.relay.lag.seconds", channel, cached,
                    b -> b.relayLag(clock.instant()).toMillis() / 1000.0);
        }
        return new MeteredOutbox(outbox, registry, clock);
    }

    private static void gauge(MeterRegistry registry, String name, Channel channel, Supplier<Backlog> backlog,
            Function<Backlog.ChannelBacklog, Number> value, String... tags) {
        // Held strongly: nothing else refers to the cached backlog, and a weakly held one is collected (NaN).
        Gauge.builder(name, backlog, b -> value.apply(b.get().of(channel)).doubleValue())
                .strongReference(true)
                .tag("channel", tag(channel)).tags(tags).register(registry);
    }

    private static String tag(Channel channel) {
        return channel.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public MessageId publish(Envelope envelope) {
        MessageId id = outbox.publish(envelope);
        published.get(envelope.channel()).increment();
        return id;
    }

    @Override
    public MessageId publish(Connection transaction, Envelope envelope) {
        MessageId id = outbox.publish(transaction, envelope);
        published.get(envelope.channel()).increment();
        return id;
    }

    @Override
    public void committed(Collection<Envelope> envelopes) {
        outbox.committed(envelopes);
    }

    @Override
    public <T> T inTransaction(Database database, Work<T> work) {
        return outbox.inTransaction(database, (connection, queue) -> work.run(connection, envelope -> {
            MessageId id = queue.publish(envelope);
            published.get(envelope.channel()).increment();
            return id;
        }));
    }

    @Override
    public Subscription consume(Channel channel, Handler handler, ConsumeOptions options) {
        String tag = tag(channel);
        Timer handling = Timer.builder("irisx.outbox.handling").tag("channel", tag).register(registry);
        Timer latency = Timer.builder("irisx.outbox.latency").tag("channel", tag).register(registry);
        Counter dead = Counter.builder("irisx.outbox.dead.letters").tag("channel", tag).register(registry);
        Map<String, Counter> handled = new HashMap<>();
        for (String outcome : OUTCOMES) {
            handled.put(outcome, Counter.builder("irisx.outbox.handled").tag("channel", tag).tag("outcome", outcome)
                    .register(registry));
        }
        Handler metered = delivery -> {
            long start = System.nanoTime();
            String outcome = "error";
            try {
                Outcome result = handler.handle(delivery);
                outcome = name(result);
                if (result instanceof Outcome.Done) {
                    MessageId id = delivery.envelope().id();
                    latency.record(Duration.between(id.createdAt(), clock.instant()));
                }
                return result;
            } finally {
                handling.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                handled.get(outcome).increment();
            }
        };
        ConsumeOptions counted = options.toBuilder().onDeadLetter(letter -> {
            dead.increment();
            options.onDeadLetter().accept(letter);
        }).build();
        return outbox.consume(channel, metered, counted);
    }

    private static String name(Outcome outcome) {
        if (outcome instanceof Outcome.Done) {
            return "done";
        }
        if (outcome instanceof Outcome.Retry) {
            return "retry";
        }
        if (outcome instanceof Outcome.Defer) {
            return "defer";
        }
        return outcome instanceof Outcome.Fail ? "fail" : "error";
    }

    @Override
    public DeadLetters deadLetters() {
        return outbox.deadLetters();
    }

    @Override
    public Health.Check health() {
        return outbox.health();
    }

    @Override
    public void close() {
        outbox.close();
    }

    @Override
    public String toString() {
        return outbox.toString();
    }

    /** The last backlog read, read again once it is older than its time to live; thread-safe. */
    private static final class CachedBacklog implements Supplier<Backlog> {
        private final Supplier<Backlog> read;
        private final Clock clock;
        private final Duration timeToLive;
        private Backlog last;

        CachedBacklog(Supplier<Backlog> read, Clock clock, Duration timeToLive) {
            this.read = read;
            this.clock = clock;
            this.timeToLive = timeToLive;
        }

        @Override
        public synchronized Backlog get() {
            if (last == null || !last.at().plus(timeToLive).isAfter(clock.instant())) {
                last = read.get();
            }
            return last;
        }
    }
}

package io.irisx.testkit.internal;

import io.irisx.core.Irisx;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventSink;
import io.irisx.core.event.EventType;
import io.irisx.core.health.Health;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.retry.CircuitState;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.spi.IrisxModule;
import io.irisx.core.store.Database;
import io.irisx.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IRISX runtime a kit runs a module in, as a host builds it: on the kit's database, the outbox under test, a
 * {@link MutableClock}, and an event sink that keeps every event and can fail the next of a type. It can be stopped
 * and started again on the same database, as a host restarts its process. Thread-safe as a kit uses it: the test's
 * thread starts and stops it, while the runtime's workers emit.
 */
public final class KitRuntime implements EventSink, AutoCloseable {

    /** Where every kit's clock starts. */
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final Database database;
    private final Outbox.Factory outbox;
    private final MutableClock clock = MutableClock.at(START);
    private final SealingKeys sealingKeys = SealingKeys.generate("k1");
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Set<EventType> failing = ConcurrentHashMap.newKeySet();
    private volatile Irisx irisx;

    /** A runtime, not yet started, on {@code database} with the outbox {@code outbox} makes. */
    public KitRuntime(Database database, Outbox.Factory outbox) {
        this.database = Objects.requireNonNull(database, "database");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /** Stops the running runtime, if any, and starts one with {@code module} installed. */
    public Irisx start(IrisxModule module) {
        return start(module, builder -> { });
    }

    /**
     * Stops the running runtime, if any, and starts one with {@code module} installed, after {@code configure} has
     * changed the builder (a meter registry, other sealing keys).
     */
    public Irisx start(IrisxModule module, Consumer<Irisx.Builder> configure) {
        close();
        Irisx.Builder builder = Irisx.builder().dataSource(database.dataSource()).sealingKeys(sealingKeys)
                .clock(clock).outbox(outbox).eventSink(this).install(module);
        configure.accept(builder);
        irisx = builder.build();
        return irisx;
    }

    /** The running runtime. */
    public Irisx irisx() {
        Irisx running = irisx;
        if (running == null) {
            throw new IllegalStateException("the kit's runtime is not started");
        }
        return running;
    }

    /** The clock of every runtime this starts, standing at {@link #START} until the test moves it. */
    public MutableClock clock() {
        return clock;
    }

    /**
     * Makes the next emission of {@code type} fail, as a lost database connection would: the transaction that
     * stores the status change it belongs to rolls back.
     */
    public void failNext(EventType type) {
        failing.add(type);
    }

    @Override
    public void emit(Event event) {
        if (failing.remove(event.type())) {
            throw new IllegalStateException("the database connection was lost while storing " + event.type());
        }
        events.add(event);
    }

    /** The events of {@code type} emitted so far, in order. */
    public List<Event> events(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /** The running runtime's health check named {@code name}. */
    public Health.Check check(String name) {
        return irisx().health().checks().stream().filter(check -> check.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the runtime's health has no check named " + name));
    }

    /**
     * The state of {@code provider}'s circuit, as the running runtime's health check {@code check} (a sender's
     * {@code email.providers} or {@code sms.providers}) reports it.
     */
    public CircuitState circuitState(String check, String provider) {
        String detail = check(check).detail();
        Matcher state = Pattern.compile("(?:^|, )" + Pattern.quote(provider) + ": (\\w+)").matcher(detail);
        if (!state.find()) {
            throw new IllegalStateException("the health check " + check + " names no provider " + provider + ": "
                    + detail);
        }
        return CircuitState.valueOf(state.group(1));
    }

    /** Stops the running runtime, if any; the database stays open. */
    @Override
    public void close() {
        Irisx running = irisx;
        irisx = null;
        if (running != null) {
            running.close();
        }
    }
}

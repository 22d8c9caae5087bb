package io.irisx.voice;

import io.irisx.core.Irisx;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.ratelimit.RateLimits;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An IRISX runtime on a test database with a {@link VoiceModule}, a {@link MutableClock}, and every event it emits
 * kept in order. Close it after each test.
 */
public final class VoiceFixture implements AutoCloseable {

    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    public final MutableClock clock = MutableClock.at(START);
    public final List<Event> events = new CopyOnWriteArrayList<>();
    public final Database database;
    public final Irisx irisx;

    /** A runtime on {@code database} with {@code module} installed and the embedded JDBC outbox. */
    public VoiceFixture(Database database, VoiceModule module) {
        this(database, module, RateLimits.none());
    }

    /** As {@link #VoiceFixture(Database, VoiceModule)}, with the tenants held to {@code rateLimits}. */
    public VoiceFixture(Database database, VoiceModule module, RateLimits rateLimits) {
        this.database = database;
        this.irisx = Irisx.builder()
                .dataSource(database.dataSource())
                .sealingKeys(SealingKeys.generate("k1"))
                .clock(clock)
                .eventSink(events::add)
                .rateLimits(rateLimits)
                .install(module)
                .build();
    }

    /** Tenant {@code tenant}'s calls. */
    public Voice voice(String tenant) {
        return Voice.of(irisx.tenant(tenant));
    }

    /** The events of {@code type}, in order. */
    public List<Event> events(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /** The number of rows in {@code table}. */
    public int rows(String table) {
        return database.withConnection(connection -> {
            try (java.sql.ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Override
    public void close() {
        irisx.close();
        database.close();
    }
}

package io.irisx.messaging;

import io.irisx.core.Irisx;
import io.irisx.core.event.Event;
import io.irisx.core.event.EventType;
import io.irisx.core.outbox.Outbox;
import io.irisx.core.secret.SealingKeys;
import io.irisx.core.store.Database;
import io.irisx.messaging.email.EmailClient;
import io.irisx.messaging.email.EmailModule;
import io.irisx.messaging.email.internal.EmailStore;
import io.irisx.messaging.sms.SmsClient;
import io.irisx.messaging.sms.SmsModule;
import io.irisx.messaging.sms.internal.SmsStore;
import io.irisx.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An IRISX runtime on a test database with the email and SMS stores, a {@link MutableClock}, and every event it
 * emits kept in order. Close it after each test.
 */
public final class MessagingFixture implements AutoCloseable {

    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    public final MutableClock clock = MutableClock.at(START);
    public final List<Event> events = new CopyOnWriteArrayList<>();
    private final Set<EventType> failing = ConcurrentHashMap.newKeySet();
    public final Database database;
    public final Irisx irisx;
    public final EmailStore emailStore;
    public final SmsStore smsStore;

    /** A runtime on {@code database} with the embedded JDBC outbox. */
    public MessagingFixture(Database database) {
        this(database, null);
    }

    /** A runtime on {@code database} with the outbox {@code outbox} builds, or the JDBC outbox when null. */
    public MessagingFixture(Database database, Outbox.Factory outbox) {
        this.database = database;
        Irisx.Builder builder = Irisx.builder()
                .dataSource(database.dataSource())
                .sealingKeys(SealingKeys.generate("k1"))
                .clock(clock)
                .eventSink(this::emit)
                // The tests start their senders themselves, with the providers and settings each needs.
                // Links, so that marketing email (which carries an unsubscribe link) can be sent.
                .install(EmailModule.builder().sendOnly().links("https://links.irisx.test/email").build())
                .install(SmsModule.builder().defaultRegion("GB").sendOnly().build());
        if (outbox != null) {
            builder.outbox(outbox);
        }
        this.irisx = builder.build();
        this.emailStore = EmailStore.create(irisx.database(), irisx.clock(), irisx.events());
        this.smsStore = SmsStore.create(irisx.database(), irisx.clock(), irisx.events());
    }

    /**
     * Makes the next emission of {@code type} fail, as a lost database connection would: the transaction that
     * stores the status change it belongs to rolls back.
     */
    public void failNext(EventType type) {
        failing.add(type);
    }

    private void emit(Event event) {
        if (failing.remove(event.type())) {
            throw new IllegalStateException("the database connection was lost while storing " + event.type());
        }
        events.add(event);
    }

    /** An email client for tenant {@code tenant}. */
    public EmailClient emailClient(String tenant) {
        return EmailClient.of(irisx.tenant(tenant));
    }

    /** An SMS client for tenant {@code tenant}, reading national numbers as British. */
    public SmsClient smsClient(String tenant) {
        return SmsClient.of(irisx.tenant(tenant));
    }

    /** The events of {@code type}, in order. */
    public List<Event> events(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    @Override
    public void close() {
        irisx.close();
        database.close();
    }
}

package io.irisx.testkit.outbox;

import io.irisx.core.id.MessageId;
import io.irisx.core.outbox.Delivery;
import io.irisx.core.outbox.Handler;
import io.irisx.core.outbox.Outcome;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link Handler} for tests that records every delivery it sees and answers with a given function of it;
 * thread-safe.
 */
public final class RecordingHandler implements Handler {

    /** Decides a delivery's outcome; may throw, as a handler may. */
    @FunctionalInterface
    public interface Behaviour {
        /** The outcome for {@code delivery}. */
        Outcome apply(Delivery delivery) throws Exception;
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Behaviour behaviour;

    private RecordingHandler(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    /** A handler that answers {@link Outcome#done()} to everything. */
    public static RecordingHandler done() {
        return new RecordingHandler(delivery -> Outcome.done());
    }

    /** A handler that answers as {@code behaviour} says. */
    public static RecordingHandler answering(Behaviour behaviour) {
        return new RecordingHandler(behaviour);
    }

    /** A handler whose outcome depends on the delivery's attempt number only. */
    public static RecordingHandler byAttempt(Function<Integer, Outcome> outcomes) {
        return new RecordingHandler(delivery -> outcomes.apply(delivery.attempt()));
    }

    @Override
    public Outcome handle(Delivery delivery) throws Exception {
        deliveries.add(delivery);
        return behaviour.apply(delivery);
    }

    /** Every delivery seen so far, in the order they arrived. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The deliveries of the envelope {@code id} seen so far. */
    public List<Delivery> deliveriesOf(MessageId id) {
        return deliveries.stream().filter(d -> d.envelope().id().equals(id)).toList();
    }

    /** How many times the envelope {@code id} has been delivered. */
    public int count(MessageId id) {
        return deliveriesOf(id).size();
    }
}

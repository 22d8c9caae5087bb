package io.irisx.queue;

import io.nats.client.Message;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message a {@link StreamWorker} pulled, and its answers to the broker, given only while the stream it came from
 * is still the channel's; thread-safe.
 *
 * <p>A stream created anew numbers its messages from 1 again, under the same stream and consumer names: an answer to
 * a delivery from the stream before would name a sequence of the new one, and acknowledge another record's message.
 * Such a delivery's record says in the table what became of it, and its copy on the new stream is answered instead.
 */
final class Delivered implements Reply {

    private static final Logger log = LoggerFactory.getLogger(Delivered.class);

    private final Message message;
    private final BooleanSupplier current;

    /**
     * @param current true while the subscription the message came from is the worker's, on the channel's stream
     */
    Delivered(Message message, BooleanSupplier current) {
        this.message = message;
        this.current = current;
    }

    Message message() {
        return message;
    }

    @Override
    public void ack() {
        if (answerable("acknowledgement")) {
            message.ack();
        }
    }

    @Override
    public void nakWithDelay(Duration delay) {
        if (answerable("NAK")) {
            message.nakWithDelay(delay);
        }
    }

    @Override
    public void term() {
        if (answerable("termination")) {
            message.term();
        }
    }

    @Override
    public void inProgress() {
        if (current.getAsBoolean()) {
            message.inProgress();
        }
    }

    @Override
    public OptionalLong streamSequence() {
        return OptionalLong.of(message.metaData().streamSequence());
    }

    private boolean answerable(String answer) {
        if (current.getAsBoolean()) {
            return true;
        }
        log.debug("irisx outbox: no {} for a delivery from stream {} before it was created anew", answer,
                message.metaData().getStream());
        return false;
    }
}

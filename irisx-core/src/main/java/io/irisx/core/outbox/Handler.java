package io.irisx.core.outbox;

/**
 * A channel's worker logic for one delivery (SPI); must be thread-safe, as deliveries run concurrently.
 *
 * <p>Deliveries are at-least-once: a handler may see an envelope again after a crash or a lost acknowledgement, so
 * it reads the stored status first and answers {@link Outcome#done()} for work already done.
 *
 * <p>Anything the handler throws counts as {@link Outcome#retry(String)} with what was thrown as the reason, so it is
 * retried by the policy and dead-lettered once the tries run out: an exception, and an {@link Error} too (a
 * {@link LinkageError} from clashing dependency versions, say), which is also logged at ERROR with its stack trace.
 * Only a {@link VirtualMachineError} ({@link OutOfMemoryError}, {@link StackOverflowError}) is thrown on, as the JVM
 * is then failing: nothing is recorded, and the record comes back to a worker once its claim lapses.
 */
@FunctionalInterface
public interface Handler {

    /** Does the work of one delivery and says how it went. */
    Outcome handle(Delivery delivery) throws Exception;
}

package io.irisx.core.outbox;

/**
 * A channel's worker logic for one delivery (SPI); must be thread-safe, as deliveries run concurrently.
 *
 * <p>Deliveries are at-least-once: a handler may see an envelope again after a crash or a lost acknowledgement, so
 * it reads the stored status first and answers {@link Outcome#done()} for work already done. An exception thrown
 * by the handler counts as {@link Outcome#retry(String)} with the exception as the reason.
 */
@FunctionalInterface
public interface Handler {

    /** Does the work of one delivery and says how it went. */
    Outcome handle(Delivery delivery) throws Exception;
}

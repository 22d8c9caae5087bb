package io.irisx.core.health;

/**
 * One part of the runtime's health (SPI): the database, the outbox's broker, a channel's backlog, a sender's provider
 * circuits. Must be thread-safe and quick, as a host may ask for health every few seconds; a check that throws counts
 * as {@link Health.Status#DOWN}.
 */
@FunctionalInterface
public interface HealthCheck {

    /** How this part is now. */
    Health.Check check();
}

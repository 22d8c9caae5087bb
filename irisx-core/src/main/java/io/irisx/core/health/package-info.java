/**
 * The runtime's health, for a host to serve as readiness: {@link io.irisx.core.health.Health}, made of named checks
 * ({@link io.irisx.core.health.HealthCheck}) that IRISX and its modules contribute.
 */
package io.irisx.core.health;

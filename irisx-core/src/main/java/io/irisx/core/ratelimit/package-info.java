/**
 * Per-tenant rate limits: the {@link io.irisx.core.ratelimit.RateLimits} a host gives the runtime
 * ({@code Irisx.builder().rateLimits(…)}), per tenant, channel and stage, and the
 * {@link io.irisx.core.ratelimit.RateLimiter} that holds tenants to them, with Bucket4j token buckets shared by every
 * process on PostgreSQL.
 */
package io.irisx.core.ratelimit;

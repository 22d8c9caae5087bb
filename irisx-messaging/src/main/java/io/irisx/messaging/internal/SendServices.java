package io.irisx.messaging.internal;

import io.irisx.core.Channel;
import io.irisx.core.TenantId;
import io.irisx.core.credit.SendCredit;
import io.irisx.core.ratelimit.RateLimiter;
import io.irisx.core.spi.ModuleContext;
import io.irisx.core.usage.PriceBook;
import io.irisx.core.usage.UsageUnit;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a channel's client asks of the runtime at each send: a token of the tenant's send limit, and a PREPAID
 * tenant's price reserved in the send's transaction. Without a runtime (a client built alone, in tests) neither is
 * asked. Immutable. Not API.
 *
 * @param rateLimiter the runtime's rate limiter, if any
 * @param prices the runtime's prices, if any
 */
public record SendServices(Optional<RateLimiter> rateLimiter, Optional<PriceBook> prices) {

    /** Checks that nothing is missing. */
    public SendServices {
        Objects.requireNonNull(rateLimiter, "rateLimiter");
        Objects.requireNonNull(prices, "prices");
    }

    /** Neither limits nor prices. */
    public static SendServices none() {
        return new SendServices(Optional.empty(), Optional.empty());
    }

    /** The runtime's, from the context a module is installed with. */
    public static SendServices of(ModuleContext context) {
        return new SendServices(Optional.of(context.rateLimiter()), Optional.of(context.prices()));
    }

    /** Takes a token of {@code tenant}'s send limit on {@code channel}, or throws its refusal. */
    public void acquireSend(TenantId tenant, Channel channel) {
        rateLimiter.ifPresent(limiter -> limiter.acquireSend(tenant, channel));
    }

    /**
     * Reserves, in the send's transaction, the price of {@code quantity} units of {@code unit} of message
     * {@code subject} when the tenant is PREPAID (see {@link SendCredit#reserve(Connection, TenantId, PriceBook,
     * UsageUnit, long, String, Instant)}); whether it reserved anything.
     */
    public boolean reserve(Connection connection, TenantId tenant, UsageUnit unit, long quantity, String subject,
            Instant at) throws SQLException {
        return prices.isPresent()
                && SendCredit.reserve(connection, tenant, prices.get(), unit, quantity, subject, at).isPresent();
    }

    /** Releases what {@link #reserve} held for message {@code subject}, if anything. */
    public void release(Connection connection, TenantId tenant, UsageUnit unit, String subject, Instant at)
            throws SQLException {
        if (prices.isPresent()) {
            SendCredit.releaseReserved(connection, tenant, unit, subject, at);
        }
    }
}

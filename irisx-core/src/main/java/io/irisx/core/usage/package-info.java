/**
 * Usage metering and pricing: each tenant's billable work recorded exactly once per unit
 * ({@link io.irisx.core.usage.Usage}, from {@link io.irisx.core.Tenant#usage()}), the versioned prices
 * ({@link io.irisx.core.usage.PriceBook}, from {@link io.irisx.core.Irisx#prices()}) and the cost reports they make
 * ({@link io.irisx.core.usage.CostReport}). Modules write the records through {@link io.irisx.core.spi.Metering}.
 */
package io.irisx.core.usage;

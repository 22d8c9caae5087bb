/**
 * Running the host's own customers: the tenants it registers ({@link io.irisx.core.tenant.Tenants}: suspend, resume,
 * delete with their data) and the API keys it issues them for its own API ({@link io.irisx.core.tenant.ApiKeys},
 * checked by {@link io.irisx.core.tenant.ApiKeyAuthenticator}).
 */
package io.irisx.core.tenant;

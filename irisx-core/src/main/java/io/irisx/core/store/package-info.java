/**
 * The database IRISX stores in: connection pool, per-module schema migrations and transactions, and the small JDBC
 * helper every module's stores use on the host's own connections ({@link io.irisx.core.store.Params} to bind,
 * {@link io.irisx.core.store.Where} for a listing's conditions, {@link io.irisx.core.store.Row} to read by column
 * name, {@link io.irisx.core.store.Jdbc} to run a query and for the JSON columns).
 */
package io.irisx.core.store;

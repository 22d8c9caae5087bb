/** The database IRISX stores in: connection pool, per-module schema migrations and transactions. */
package io.irisx.core.store;

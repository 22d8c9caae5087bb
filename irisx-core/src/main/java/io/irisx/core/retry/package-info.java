/** Retry schedules: {@link io.irisx.core.retry.RetryPolicy}. */
package io.irisx.core.retry;
